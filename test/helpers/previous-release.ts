import { readFileSync } from 'node:fs';
import type { MikroORM } from '@mikro-orm/core';
import {
  PREVIOUS_POSTGRESQL,
  PREVIOUS_SQLITE,
} from '../../src/db/migrations/20261129000000-previous-release.migration.js';
import type { Em } from '../../src/db/em.js';
import type { DialectName } from './databases.js';

type Row = Record<string, unknown>;

/**
 * A database as the release before versioned migrations left it: its schema (what its
 * `schema.update` created, no migrations table), the week-20 seed and some writes of every kind
 * (status changes, a bulk change, deletes and restores of items and workstreams, a move, a
 * manual percent), with the figures and report lines that release computed from them. Dumped
 * from that release's code at a0b7136 into test/fixtures/previous-release.json.
 */
export interface PreviousRelease {
  readonly tables: Record<string, Row[]>;
  readonly figures: Record<
    string,
    { root: Row; nodes: Record<string, Row>; reportLines: string[] }
  >;
}

export function previousRelease(): PreviousRelease {
  return JSON.parse(
    readFileSync(new URL('../fixtures/previous-release.json', import.meta.url), 'utf8'),
  );
}

const TABLES = ['initiative', 'workstream', 'item', 'workstream_tally', 'status_change'];
const isTime = (column: string) => column === 'at' || column.endsWith('_at');

/** Writes the old schema and the fixture's rows, as that release stored them. */
export async function writePreviousRelease(
  orm: MikroORM,
  dialect: DialectName,
  fixture: PreviousRelease,
): Promise<void> {
  const em = orm.em.fork() as Em;
  for (const sql of dialect === 'postgresql' ? PREVIOUS_POSTGRESQL : PREVIOUS_SQLITE)
    await em.execute(sql, [], 'run');
  for (const table of TABLES) {
    for (const row of fixture.tables[table]!) {
      const columns = Object.keys(row);
      const values = columns.map((c) => {
        const v = row[c];
        // SQLite kept times as epoch milliseconds; PostgreSQL as timestamptz.
        return isTime(c) && typeof v === 'number' && dialect === 'postgresql' ? new Date(v) : v;
      });
      await em.execute(
        `insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`,
        values,
        'run',
      );
    }
    if (dialect === 'postgresql' && table !== 'workstream_tally') {
      await em.execute(
        `select setval(pg_get_serial_sequence('${table}', 'id'), (select max(id) from ${table}))`,
      );
    }
  }
}
