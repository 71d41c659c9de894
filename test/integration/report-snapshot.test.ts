import { execFileSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { week20Seed } from '../../seeds/week-20.seed.js';
import type { KeptStatementsConnection } from '../../src/db/sqlite-driver.js';
import type { Context } from '../../src/graphql/context.type.js';
import { toGlobalId } from '../../src/domain/global-id.js';
import { inOneSnapshot } from '../../src/graphql/one-snapshot.js';
import { inReadSnapshot } from '../../src/db/read-snapshot.js';
import { exportSheet } from '../../src/services/export-sheet.js';
import { loadSeed } from '../../src/services/load-seed.js';
import { inTransaction } from '../../src/services/transaction.js';
import { verifyCounters } from '../../src/services/verify-counters.js';
import { DIALECTS } from '../helpers/databases.js';
import { createTestApp, requestContext, type TestApp } from '../helpers/test-app.js';

/*
 * A report reads one state of the database: the state at its first statement (`weeklyReport`
 * as a whole, an initiative's `reportLines`). Another connection (another process, as `jindu
 * import` is, or another instance) commits a change to an item's percent right after that
 * statement. The report must read as it did before the
 * commit, whole: not its counts from before and its percent groups from after, nor the whole
 * report from after. Both with the trees a server keeps between requests and with trees read
 * afresh inside the snapshot (another connection's commit first makes every kept tree stale).
 */

/** Each query, and the reads before its report's first (the root field's own). */
const REPORT = { query: '{ weeklyReport(locale: ZH_CN) }', before: 0 };
const LINES = { query: '{ initiative(key: "hive") { reportLines } }', before: 1 };

interface Target {
  id: number;
  workstreamId: number;
  initiativeId: number;
}

/** Moves the initiative's revision: what another instance's write does first. */
const bump = (t: Target) =>
  `update initiative_revision set revision = revision + 1 where initiative_id = ${t.initiativeId}`;

/** Another connection's write: the item's percent one up, its counters and revision with it. */
const percentUp = (t: Target): string[] => [
  `update workstream_tally set percent_weight = percent_weight + (select weight from item where id = ${t.id}) where workstream_id = ${t.workstreamId} and status = 'IN_PROGRESS'`,
  `update item set percent = percent + 1, version = version + 1 where id = ${t.id}`,
  bump(t),
];

describe.each(DIALECTS)('reads in one snapshot (%s)', (dialect) => {
  let app: TestApp;
  let target: Target;
  /**
   * When to commit the change, once: after the reads (`select`s matching `match`) that `reads`
   * lets pass. Null: not armed.
   */
  let armed: { reads: number; match: RegExp; change?: () => string[] } | null = null;
  let fired = 0;
  /** The change to commit before the next statement (see onQuery). */
  let deferred: string[] | null = null;

  const commitElsewhere = (sql: readonly string[]) => {
    if (dialect === 'sqlite') {
      const other = new Database(app.db.url.slice('sqlite:'.length));
      try {
        other.transaction(() => sql.forEach((s) => other.prepare(s).run()))();
      } finally {
        other.close();
      }
    } else {
      execFileSync('psql', [
        app.db.url,
        '-q',
        '-v',
        'ON_ERROR_STOP=1',
        '-c',
        `begin; ${sql.join('; ')}; commit;`,
      ]);
    }
  };

  beforeAll(async () => {
    app = await createTestApp(dialect, {
      sqliteFile: true,
      // The real path once per request: compare mode would read the report three times.
      executor: 'jit',
      onQuery: (message) => {
        // The change is committed when the next statement is logged: the read it follows has
        // then run. Logged as soon as it was sent, a read could still be waiting for the
        // server when the change committed, and on a busy machine PostgreSQL then took the
        // snapshot after it (the read saw the change, as it should have).
        if (deferred) {
          const sql = deferred;
          deferred = null;
          commitElsewhere(sql);
        }
        // The logger's line, without its colours: `[query] select …`.
        const sql = message.replace(/\x1b\[[0-9;]*m/g, '');
        if (armed === null || !/^\[query\]\s+select\b/i.test(sql) || !armed.match.test(sql)) return;
        if (armed.reads-- > 0) return;
        const change = armed.change ?? (() => percentUp(target));
        armed = null;
        fired++;
        deferred = change();
      },
    });
    await loadSeed({ em: app.em(), initiatives: week20Seed });
    const [row] = await app.em().execute(
      `select id, workstream_id, initiative_id from item
        where status = 'IN_PROGRESS' and percent between 1 and 98 and deleted_at is null
          and initiative_id = (select id from initiative where key = 'hive')
          and id not in (select item_id from item_stage) order by id limit 1`,
    );
    target = {
      id: Number(row.id),
      workstreamId: Number(row.workstream_id),
      initiativeId: Number(row.initiative_id),
    };
  }, 120_000);
  afterAll(() => app?.close());

  /** The answer, then the answer read across another connection's commit, then after it. */
  async function across({ query, before: reads }: typeof REPORT, stale: boolean) {
    const read = async () => JSON.stringify(await app.ok(query));
    const before = await read();
    if (stale) commitElsewhere([bump(target)]);
    const firedBefore = fired;
    armed = { reads, match: /./ };
    const during = await read();
    expect(fired).toBe(firedBefore + 1);
    return { before, during, after: await read() };
  }

  for (const [name, query] of [
    ['weeklyReport', REPORT],
    ['reportLines', LINES],
  ] as const)
    for (const stale of [false, true])
      it(`${name} does not show a commit made while it is read (${stale ? 'trees read afresh' : 'kept trees'})`, async () => {
        const { before, during, after } = await across(query, stale);
        // The commit changes the answer (so the test can tell), and the answer read across it
        // is the one from before, whole.
        expect(after).not.toBe(before);
        expect(during).toBe(before);
      });

  /** Commits the change right after `read`'s first read matching `match`. */
  async function acrossRead<T>(
    read: () => Promise<T>,
    match = /./,
    reads = 0,
    change = () => percentUp(target),
  ): Promise<T> {
    const firedBefore = fired;
    armed = { reads, match, change };
    const result = await read();
    expect(fired).toBe(firedBefore + 1);
    return result;
  }

  it('verify finds no difference in a write made while it reads', async () => {
    // Right after it reads Hive's stored counters (initiatives are checked in id order): without
    // one snapshot it would compare them with items read after the write.
    const [{ n }] = await app
      .em()
      .execute(`select count(*) as n from initiative where id < ${target.initiativeId}`);
    const report = await acrossRead(
      () => verifyCounters(app.em()),
      /select workstream_id, status, items, weight, percent_weight from workstream_tally/,
      Number(n),
    );
    expect(report.differences).toEqual([]);
    expect(report.items).toBeGreaterThan(0);
  });

  it('an export reads its rows and its figures in one state', async () => {
    const csv = async () =>
      (
        await exportSheet({
          em: app.em(),
          initiativeKey: 'hive',
          format: 'csv',
          canRead: () => true,
        })
      ).bytes.toString('utf8');
    const before = await csv();
    const during = await acrossRead(csv);
    expect(await csv()).not.toBe(before);
    expect(during).toBe(before);
  });

  it('a dashboard reads its tree and its counters in one state', async () => {
    // Another connection moves a leaf workstream's items into another leaf and deletes the
    // first, right after the dashboard has read the tree's rows: read apart, the counters would
    // come from after it, the first leaf still there with nothing in it.
    const em = app.em();
    const [w, v] = (await em.execute(
      `select w.id from workstream w
        where w.initiative_id = ${target.initiativeId} and w.deleted_at is null
          and not exists (select 1 from workstream c where c.parent_id = w.id and c.deleted_at is null)
          and exists (select 1 from item i where i.workstream_id = w.id and i.deleted_at is null)
        order by w.id limit 2`,
    )) as { id: number }[];
    const [from, to] = [Number(w!.id), Number(v!.id)];
    const dashboard = `{ initiative(key: "hive") { progress { total percent }
      workstreams { name progress { total } children { name progress { total }
        children { name progress { total } } } } } }`;
    const read = async () => JSON.stringify(await app.ok(dashboard));
    const before = await read();
    commitElsewhere([bump(target)]); // the kept tree is stale: the next read reads it afresh
    const during = await acrossRead(read, /from\s+workstream\s+where/, 0, () => [
      `update item set workstream_id = ${to} where workstream_id = ${from} and deleted_at is null`,
      `insert into workstream_tally (workstream_id, status, initiative_id, items, weight, percent_weight)
         select ${to}, status, initiative_id, items, weight, percent_weight from workstream_tally where workstream_id = ${from}
         on conflict (workstream_id, status) do update set items = workstream_tally.items + excluded.items,
           weight = workstream_tally.weight + excluded.weight, percent_weight = workstream_tally.percent_weight + excluded.percent_weight`,
      `update workstream_tally set items = 0, weight = 0, percent_weight = 0 where workstream_id = ${from}`,
      `update workstream set deleted_at = updated_at where id = ${from}`,
      bump(target),
    ]);
    expect(await read()).not.toBe(before);
    expect(during).toBe(before);
  });

  it("reads inside a write's transaction in that transaction", async () => {
    // A snapshot asked for inside a write reads the write's own state: on SQLite a transaction
    // of its own would wait for ever for the connection the write holds.
    const seen = inTransaction(app.em(), async (tem) => {
      await tem.execute(`update initiative set name = 'renamed in the write' where key = 'hive'`);
      const [row] = await inReadSnapshot(tem, (em) =>
        em.execute(`select name from initiative where key = 'hive'`),
      );
      throw new Error(`rolled back, having read ${String(row.name)}`);
    });
    await expect(seen).rejects.toThrow('rolled back, having read renamed in the write');
  });

  it('a snapshot asked for inside one is that one', async () => {
    const em = app.em();
    const ctx: Context = requestContext(em);
    const [outer, inner, inTransaction] = await inOneSnapshot(ctx, (o) =>
      inOneSnapshot(o, async (i) => [o, i, i.em.isInTransaction()] as const),
    );
    expect(inTransaction).toBe(true);
    expect(outer.em).not.toBe(em);
    expect(inner.loaders).toBe(outer.loaders); // what the outer one loaded serves the inner
    expect(inner.em).toBe(outer.em);
  });

  if (dialect === 'sqlite')
    it('leaves what the server keeps between writes as it was', async () => {
      // A write keeps the figures it published; a report's snapshot ends in a rollback, which
      // leaves them (a commit would drop them, and the next write would read them again).
      await app.ok(
        `mutation { setItemStatus(input: { itemId: "${toGlobalId('Item', target.id)}", status: PAUSED }) { userErrors { code } } }`,
      );
      const connection = app.em().getConnection() as unknown as KeptStatementsConnection;
      const kept = connection.publishedFigures!.size;
      expect(kept).toBeGreaterThan(0);
      await app.ok(REPORT.query);
      expect(connection.publishedFigures!.size).toBe(kept);
    });

  it('leaves the connection free for writes once it is read', async () => {
    await app.ok(REPORT.query);
    const data = await app.ok(
      `mutation { setItemStatus(input: { itemId: "${toGlobalId('Item', target.id)}", status: DONE }) { item { status } userErrors { code message } } }`,
    );
    expect(data.setItemStatus).toEqual({ item: { status: 'DONE' }, userErrors: [] });
  });
});
