import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openOrm } from '../../src/db/orm.js';
import { type Em } from '../../src/db/em.js';

/** Set by .ci/run; without it the PostgreSQL variants report themselves skipped. */
export const POSTGRES_URL = process.env.TEST_POSTGRES_URL;

export type DialectName = 'sqlite' | 'postgresql';
export const DIALECTS: readonly DialectName[] = POSTGRES_URL
  ? ['sqlite', 'postgresql']
  : ['sqlite'];

export interface TestDatabase {
  readonly dialect: DialectName;
  readonly url: string;
  /** Removes the database (PostgreSQL) or its directory (SQLite file). */
  drop(): Promise<void>;
}

/**
 * A database of its own for one test file: SQLite in memory or in a fresh temp file, or a new
 * PostgreSQL database created on the server of TEST_POSTGRES_URL and dropped afterwards.
 */
export async function createTestDatabase(
  dialect: DialectName,
  sqliteFile = false,
): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    if (!sqliteFile) return { dialect, url: 'sqlite::memory:', drop: async () => {} };
    const dir = mkdtempSync(join(tmpdir(), 'jindu-test-'));
    return {
      dialect,
      url: `sqlite:${join(dir, 'jindu.sqlite')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  if (!POSTGRES_URL) throw new Error('TEST_POSTGRES_URL is not set');
  const name = `jindu_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = await openOrm({ databaseUrl: POSTGRES_URL, poolSize: 1 });
  await (admin.em.fork() as Em).execute(`create database ${name}`);
  await admin.close();
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    dialect,
    url: url.toString(),
    drop: async () => {
      const again = await openOrm({ databaseUrl: POSTGRES_URL, poolSize: 1 });
      await (again.em.fork() as Em).execute(`drop database if exists ${name} with (force)`);
      await again.close();
    },
  };
}
