import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openOrm } from '../../src/db/orm.js';
import { MIGRATIONS } from '../../src/db/migrations/index.js';
import { type Em } from '../../src/db/em.js';
import { findAllInitiatives } from '../../src/db/queries/initiative.queries.js';
import { loadReportDetails, reportLines } from '../../src/services/build-report.js';
import { loadInitiativeTree } from '../../src/services/load-initiative-tree.js';
import { verifyCounters } from '../../src/services/verify-counters.js';
import { createTestDatabase, DIALECTS } from '../helpers/databases.js';
import { SET_ITEM_STATUS } from '../helpers/operations.js';
import {
  previousRelease,
  writePreviousRelease,
  type PreviousRelease,
} from '../helpers/previous-release.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { toGlobalId } from '../../src/domain/global-id.js';

/** The migrations as listed, each named for the time it was written: oldest first, once each. */
const MIGRATION_NAMES = MIGRATIONS.map((m) => m.name);

describe('the list of migrations', () => {
  it('starts at the previous release and runs oldest first, each once', () => {
    expect(MIGRATION_NAMES[0]).toBe('Migration20261129000000PreviousRelease');
    expect(MIGRATION_NAMES.every((name) => /^Migration\d{14}[A-Za-z]+$/.test(name))).toBe(true);
    expect([...new Set(MIGRATION_NAMES)].sort()).toEqual(MIGRATION_NAMES);
  });

  it('lists every migration file (they are listed, not discovered)', () => {
    const dir = fileURLToPath(new URL('../../src/db/migrations/', import.meta.url));
    const times = readdirSync(dir)
      .filter((file) => file.endsWith('.migration.ts'))
      .map((file) => file.slice(0, 14));
    expect(times.length).toBeGreaterThan(10);
    expect(times.sort()).toEqual(
      MIGRATION_NAMES.map((name) => name.slice('Migration'.length, 'Migration'.length + 14)),
    );
  });
});

const KINDS: Record<string, string> = {
  CREATE: 'ItemCreated',
  STATUS: 'ItemStatusChanged',
  DELETE: 'ItemDeleted',
  RESTORE: 'ItemRestored',
  WORKSTREAM_DELETE: 'WorkstreamDeleted',
  WORKSTREAM_RESTORE: 'WorkstreamRestored',
};
const ms = (v: unknown) => new Date(v as string | number | Date).getTime();
const plain = (v: unknown) => JSON.parse(JSON.stringify(v));

describe.each(DIALECTS)('upgrading a database of the previous release (%s)', (dialect) => {
  let app: TestApp;
  let old: PreviousRelease;
  let report: Awaited<ReturnType<typeof migrate>>;
  let before: number;
  let after: number;
  const em = () => app.em();
  const rows = (sql: string) => em().execute(sql);

  beforeAll(async () => {
    app = await createTestApp(dialect);
    // createTestApp made today's schema; start instead from what the previous release left.
    const drop = await em().execute(
      dialect === 'postgresql'
        ? 'select tablename as name from pg_tables where schemaname = current_schema()'
        : "select name from sqlite_master where type = 'table' and name not like 'sqlite_%'",
    );
    for (const { name } of drop)
      await em().execute(
        `drop table if exists ${String(name)}${dialect === 'postgresql' ? ' cascade' : ''}`,
      );
    old = previousRelease();
    await writePreviousRelease(app.orm, dialect, old);
    before = Date.now();
    report = await migrate(app.orm);
    after = Date.now();
  });
  afterAll(() => app?.close());

  it('recognises the unversioned schema and applies only the new migrations', async () => {
    // Every migration after the previous release's, in the order they were written.
    expect(report).toEqual({
      applied: MIGRATION_NAMES.slice(1),
      upgradedFromUnversioned: true,
    });
    expect(await migrate(app.orm)).toEqual({ applied: [], upgradedFromUnversioned: false });
    // The migrated schema is the one the entities describe: nothing left to change.
    expect(await app.orm.schema.getUpdateSchemaSQL()).toBe('');
  });

  it('keeps every item, workstream and initiative as it was', async () => {
    for (const table of ['item', 'workstream', 'initiative']) {
      const now = await rows(`select * from ${table} order by id`);
      expect(now).toHaveLength(old.tables[table]!.length);
      now.forEach((row, i) => {
        const was = old.tables[table]![i]!;
        for (const [column, value] of Object.entries(was)) {
          const is = row[column];
          if (column.endsWith('_at') && value !== null) expect(ms(is), column).toBe(value);
          else if (column === 'rollup_policy' || column === 'status_labels')
            expect(
              is === null ? null : plain(typeof is === 'string' ? JSON.parse(is) : is),
            ).toEqual(value === null ? null : JSON.parse(String(value)));
          else
            expect(is === null ? null : String(is), `${table}.${column}`).toBe(
              value === null ? null : String(value),
            );
        }
        // Each object existed since it was created.
        expect(ms(row.effective_from)).toBe(was.created_at);
      });
    }
  });

  it('keeps every figure and report line', async () => {
    expect((await verifyCounters(em())).differences).toEqual([]);
    const initiatives = await findAllInitiatives(em());
    expect(initiatives.map((i) => i.key).sort()).toEqual(Object.keys(old.figures).sort());
    for (const initiative of initiatives) {
      const tree = await loadInitiativeTree(em(), initiative);
      const want = old.figures[initiative.key]!;
      expect(plain(tree.rollup.root)).toEqual(want.root);
      expect(plain(Object.fromEntries(tree.rollup.figures))).toEqual(want.nodes);
      expect(reportLines(tree, await loadReportDetails(em(), tree), 'zh-CN')).toEqual(
        want.reportLines,
      );
    }
  });

  it('keeps every log entry with its id, meaning and time; items get their weight', async () => {
    const log = await rows('select * from change_log order by id');
    const weights = new Map(old.tables.item!.map((i) => [Number(i.id), Number(i.weight)]));
    const byId = new Map(log.map((r) => [Number(r.id), r]));
    for (const was of old.tables.status_change!) {
      const is = byId.get(Number(was.id))!;
      expect(is, `row ${String(was.id)}`).toBeDefined();
      expect(is.kind).toBe(KINDS[String(was.kind)]);
      for (const column of [
        'initiative_id',
        'workstream_id',
        'item_id',
        'from_status',
        'from_percent',
        'to_status',
        'to_percent',
        'version',
        'actor',
        'note',
      ])
        expect(is[column] === null ? null : String(is[column]), column).toBe(
          was[column] === null ? null : String(was[column]),
        );
      expect(ms(is.effective_at)).toBe(was.at);
      expect(ms(is.recorded_at)).toBe(was.at);
      expect(is.weight === null ? null : Number(is.weight)).toBe(
        was.item_id === null ? null : weights.get(Number(was.item_id)),
      );
    }
  });

  it('adds one baseline per initiative, workstream and live item, at the upgrade time', async () => {
    const baselines = await rows(
      "select * from change_log where kind like '%Baseline' order by id",
    );
    const count = (kind: string) => baselines.filter((r) => r.kind === kind).length;
    expect(count('InitiativeBaseline')).toBe(old.tables.initiative!.length);
    expect(count('WorkstreamBaseline')).toBe(old.tables.workstream!.length);
    const live = old.tables.item!.filter((i) => i.deleted_at === null);
    expect(count('ItemBaseline')).toBe(live.length);
    for (const b of baselines) {
      expect(ms(b.recorded_at)).toBeGreaterThanOrEqual(before);
      expect(ms(b.recorded_at)).toBeLessThanOrEqual(after);
      expect(ms(b.effective_at)).toBe(ms(b.recorded_at));
      expect(b.actor).toBe('upgrade');
    }
    const item = live[0]!;
    const row = baselines.find((b) => Number(b.item_id) === Number(item.id))!;
    expect([row.to_status, Number(row.to_percent), Number(row.weight)]).toEqual([
      item.status,
      item.percent,
      item.weight,
    ]);
    const ws = old.tables.workstream!.find((w) => w.manual_percent_bp !== null)!;
    const wsRow = baselines.find(
      (b) => b.kind === 'WorkstreamBaseline' && Number(b.workstream_id) === Number(ws.id),
    )!;
    expect(JSON.parse(String(wsRow.data)).state).toMatchObject({
      parentId: ws.parent_id,
      weightCenti: ws.weight_centi,
      manualPercentBp: ws.manual_percent_bp,
    });
  });

  it('serves the old history and takes new writes after the upgrade', async () => {
    const changed = old.tables.status_change!.find((r) => r.kind === 'STATUS')!;
    const id = toGlobalId('Item', Number(changed.item_id));
    const res = await app.ok(SET_ITEM_STATUS, { input: { itemId: id, status: 'PAUSED' } });
    expect(res.setItemStatus.userErrors).toEqual([]);
    const history = await app.ok(
      `query($id: ID!) { node(id: $id) { ... on Item { history(first: 50) { nodes { kind actor at } } } } }`,
      { id },
    );
    const kinds = history.node.history.nodes.map((n: any) => n.kind);
    expect(kinds[0]).toBe('STATUS');
    expect(kinds).toContain('ITEM_BASELINE');
    expect(kinds.at(-1)).toBe('CREATE');
    expect((await verifyCounters(em())).differences).toEqual([]);
  });
});

describe.each(DIALECTS)('a new database (%s)', (dialect) => {
  it('gets every migration, and the schema the entities describe', async () => {
    const db = await createTestDatabase(dialect);
    const orm = await openOrm({ databaseUrl: db.url });
    try {
      expect(await migrate(orm)).toEqual({
        applied: MIGRATION_NAMES,
        upgradedFromUnversioned: false,
      });
      expect(await orm.schema.getUpdateSchemaSQL()).toBe('');
      const log = await (orm.em.fork() as Em).execute('select count(*) as n from change_log');
      expect(Number(log[0]!.n)).toBe(0); // nothing to reconstruct: no baselines
    } finally {
      await orm.close();
      await db.drop();
    }
  });
});

describe.each(DIALECTS)('milestones stored with an unknown precision (%s)', (dialect) => {
  it('become DAY, and only they', async () => {
    const db = await createTestDatabase(dialect);
    const orm = await openOrm({ databaseUrl: db.url });
    try {
      await migrate(orm);
      const em = orm.em.fork() as Em;
      const insert = (name: string, due: string, precision: string, original: string) =>
        em.execute(
          `insert into milestone (initiative_id, name, due_date, due_precision, original_due_date, original_due_precision)
           values (?, ?, ?, ?, ?, ?)`,
          [1, name, due, precision, due, original],
          'run',
        );
      // Written before duePrecision was checked, as if this migration had not run yet.
      await insert('坏行', '2026-12-01', 'YEAR', 'YEAR');
      await insert('旧的坏', '2026-05-01', 'MONTH', 'QUARTER');
      await insert('好行', '2026-05-01', 'MONTH', 'WEEK');
      await em.execute(
        "delete from mikro_orm_migrations where name = 'Migration20261204010000MilestonePrecision'",
        [],
        'run',
      );
      expect((await migrate(orm)).applied).toEqual(['Migration20261204010000MilestonePrecision']);
      const rows = await em.execute(
        'select name, due_precision, original_due_precision from milestone order by id',
      );
      expect(plain(rows)).toEqual([
        { name: '坏行', due_precision: 'DAY', original_due_precision: 'DAY' },
        { name: '旧的坏', due_precision: 'MONTH', original_due_precision: 'DAY' },
        { name: '好行', due_precision: 'MONTH', original_due_precision: 'WEEK' },
      ]);
    } finally {
      await orm.close();
      await db.drop();
    }
  });
});
