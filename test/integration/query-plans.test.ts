import type { MikroORM } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Em } from '../../src/db/em.js';
import { openOrm } from '../../src/db/orm.js';
import { findItemsPage } from '../../src/db/queries/item.queries.js';
import { countLiveChildren, nextPosition } from '../../src/db/queries/workstream.queries.js';
import { createTestDatabase, DIALECTS, type DialectName } from '../helpers/databases.js';

/*
 * The statements that once read a whole initiative (or a whole table) for an answer of a few
 * rows, each asked of the planner: an index must answer it, its condition naming the columns
 * that bound the rows read. The statements are the query functions' own (recorded as they are
 * sent), so a change to one is checked as it is. SQLite's plan is fixed by the schema (the
 * server never runs ANALYZE); PostgreSQL's is asked with sequential scans off, so the answer is
 * the best index it has, not a guess from the few rows of a test database.
 */

interface Statement {
  readonly sql: string;
  readonly params: unknown[];
}

/** What a plan reads: each index with its condition, and whether it sorts. */
interface Plan {
  readonly accesses: readonly { readonly index: string; readonly cond: string }[];
  readonly sorts: boolean;
  readonly text: string;
}

/** An index by name (per dialect when they differ) and the columns its condition must name. */
interface Expected {
  readonly index: string | { readonly sqlite: string; readonly postgresql: string };
  readonly columns: readonly string[];
}

/** The statements `run` sends through `em.execute` (each still runs: later ones see its rows). */
async function statementsOf(em: Em, run: (em: Em) => Promise<unknown>): Promise<Statement[]> {
  const sent: Statement[] = [];
  const recording = new Proxy(em, {
    get(target, key) {
      if (key === 'execute')
        return (sql: string, params: unknown[] = [], ...rest: unknown[]) => {
          sent.push({ sql, params });
          return (target.execute as (...args: unknown[]) => unknown)(sql, params, ...rest);
        };
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  await run(recording);
  return sent;
}

async function planOf(em: Em, dialect: DialectName, s: Statement): Promise<Plan> {
  if (dialect === 'sqlite') {
    const rows = await em.execute(`explain query plan ${s.sql}`, s.params);
    const details = rows.map((r) => String(r.detail));
    const accesses = details.flatMap((d) => {
      const index = /USING (?:COVERING )?INDEX (\S+)(?: \((.*)\))?/.exec(d);
      if (index) return [{ index: index[1]!, cond: index[2] ?? '' }];
      const key = /USING INTEGER PRIMARY KEY \((.*)\)/.exec(d);
      return key ? [{ index: 'PRIMARY KEY', cond: key[1]! }] : [];
    });
    return {
      accesses,
      sorts: details.some((d) => /USE TEMP B-TREE FOR (LAST TERM OF )?ORDER BY/.test(d)),
      text: details.join('\n'),
    };
  }
  return em.transactional(async (tem) => {
    await tem.execute('set local enable_seqscan = off');
    const [row] = await tem.execute(`explain (format json) ${s.sql}`, s.params);
    const raw = row!['QUERY PLAN'];
    const root = (typeof raw === 'string' ? JSON.parse(raw) : raw)[0].Plan;
    const accesses: { index: string; cond: string }[] = [];
    let sorts = false;
    const walk = (node: Record<string, any>) => {
      if (node['Index Name'])
        accesses.push({ index: node['Index Name'], cond: String(node['Index Cond'] ?? '') });
      if (/Sort$/.test(node['Node Type'])) sorts = true;
      for (const child of node.Plans ?? []) walk(child);
    };
    walk(root);
    return { accesses, sorts, text: JSON.stringify(root, null, 1) };
  });
}

describe.each(DIALECTS)('hot statements are answered by an index (%s)', (dialect) => {
  let orm: MikroORM;
  let drop: () => Promise<void>;
  const em = () => orm.em.fork() as Em;

  /** Every statement `run` sends is answered by `expected`'s index (`sorted`: unsorted too). */
  const expectPlans = async (
    run: (em: Em) => Promise<unknown>,
    expected: Expected,
    opts: { statements?: number; unsorted?: boolean } = {},
  ) => {
    const sent = await statementsOf(em(), run);
    expect(sent).toHaveLength(opts.statements ?? 1);
    const index = typeof expected.index === 'string' ? expected.index : expected.index[dialect];
    for (const s of sent) {
      const plan = await planOf(em(), dialect, s);
      const hit = plan.accesses.find(
        (a) =>
          a.index === index && expected.columns.every((c) => new RegExp(`\\b${c}\\b`).test(a.cond)),
      );
      expect(
        hit,
        `${index} on ${expected.columns.join(', ')}:\n${s.sql}\n${plan.text}`,
      ).toBeDefined();
      if (opts.unsorted) expect(plan.sorts, `a sort:\n${s.sql}\n${plan.text}`).toBe(false);
    }
  };

  beforeAll(async () => {
    const db = await createTestDatabase(dialect);
    drop = () => db.drop();
    orm = await openOrm({ databaseUrl: db.url, poolSize: 2 });
    await orm.schema.refresh();
  });
  afterAll(async () => {
    await orm?.close();
    await drop?.();
  });

  const SIBLINGS = {
    index: 'workstream_initiative_id_parent_id_deleted_at_position_index',
    columns: ['initiative_id', 'parent_id'],
  };

  it("a parent's next free position", () => expectPlans((e) => nextPosition(e, 1, 2), SIBLINGS));

  it("a parent's live children", () =>
    expectPlans((e) => countLiveChildren(e, { id: 2, initiativeId: 1 }), SIBLINGS));

  const PAGE = { afterId: 40, limit: 51, statuses: null };

  it("a page of a workstream's items, in the index's order", () =>
    expectPlans(
      (e) => findItemsPage(e, { ...PAGE, workstreamIds: [7] }),
      { index: 'item_workstream_id_deleted_at_id_index', columns: ['workstream_id', 'id'] },
      { unsorted: true },
    ));

  it("a page of an initiative's items, each workstream found by id", async () => {
    const page = (e: Em) => findItemsPage(e, { ...PAGE, workstreamIds: { initiativeId: 1 } });
    await expectPlans(
      page,
      { index: 'item_initiative_id_deleted_at_id_index', columns: ['initiative_id', 'id'] },
      { unsorted: true },
    );
    // SQLite listed every live workstream of the initiative for each page.
    if (dialect === 'sqlite') await expectPlans(page, { index: 'PRIMARY KEY', columns: ['rowid'] });
  });
});
