import type { MikroORM } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Em } from '../../src/db/em.js';
import { migrate, openOrm } from '../../src/db/orm.js';
import {
  findEntriesOfItems,
  findInitiativeOwnEntries,
  findReportModelEntries,
  findStructureSignature,
  findVersionsAt,
  itemIdsOfInitiative,
  itemsLoggedIn,
} from '../../src/db/queries/as-of.queries.js';
import { findChanges, WALK_ROWS } from '../../src/db/queries/change-log.queries.js';
import { findItemsPage } from '../../src/db/queries/item.queries.js';
import { readInitiativeOutboxSince } from '../../src/db/queries/outbox.queries.js';
import { findDeliveries } from '../../src/db/queries/webhook-delivery.queries.js';
import {
  findItemStagesAt,
  findUpdatesOfInitiatives,
} from '../../src/db/queries/report-reads.queries.js';
import { findItemStages, stagedItemPaths } from '../../src/db/queries/report-model.queries.js';
import {
  findHealthEntries,
  findStalledItems,
  findTargetDateEntries,
} from '../../src/db/queries/series.queries.js';
import {
  findPathEntriesUpTo,
  findStructureVersion,
} from '../../src/db/queries/structure-version.queries.js';
import { findLatestEffective } from '../../src/db/queries/write-order.queries.js';
import {
  deleteSubtree,
  moveSubtree,
  restoreSubtree,
} from '../../src/db/queries/workstream-writes.queries.js';
import {
  hasLiveChildren,
  deepestBelow,
  nextPosition,
} from '../../src/db/queries/workstream.queries.js';
import { createTestDatabase, DIALECTS, type DialectName } from '../helpers/databases.js';

/*
 * The statements that once read a whole initiative (or a whole table) for an answer of a few
 * rows, each asked of the planner: an index must answer it, its condition naming the columns
 * that bound the rows read. The statements are the query functions' own (recorded as they are
 * sent), so a change to one is checked as it is. SQLite's plan is fixed by the schema (the
 * server never runs ANALYZE); PostgreSQL's is asked of an analysed database of some size (see
 * `fill`) with sequential scans off, so the answer is the index it would pick on real data.
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

/**
 * An index by name (per dialect when they differ; any of a list) and the columns its condition
 * must name.
 */
type Indexes = string | readonly string[];
interface Expected {
  readonly index: Indexes | Readonly<Record<DialectName, Indexes>>;
  readonly columns: readonly string[];
}

function indexesOf(expected: Expected, dialect: DialectName): readonly string[] {
  const { index } = expected;
  const named =
    typeof index === 'string' || Array.isArray(index)
      ? (index as Indexes)
      : (index as Record<DialectName, Indexes>)[dialect];
  return typeof named === 'string' ? [named] : named;
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

/**
 * Ten initiatives, three of them with 10,000 workstreams, for PostgreSQL's statistics: over a
 * few rows it reads a whole small table rather than probe an index, which a test cannot tell
 * from the scans these checks are for. SQLite's plans do not depend on the rows.
 */
async function fill(em: Em, dialect: DialectName): Promise<void> {
  const time = dialect === 'sqlite' ? '1700000000000 + v' : 'now()';
  const rows = (n: number, insert: string) =>
    em.execute(
      `insert into ${insert.replace('$N', `(with recursive n(v) as (select 1 union all select v + 1 from n where v < ${n}) select v from n) s`)}`,
    );
  await rows(
    10,
    `initiative (key, name, created_at, updated_at) select 'i' || v, 'i', ${time}, ${time} from $N`,
  );
  // Three trees of 10,000 workstreams: 70 at the top of each, the rest below them.
  await rows(
    30000,
    `workstream (initiative_id, parent_id, path, name, position, created_at, updated_at)
     select 1 + (v - 1) % 3, case when v <= 210 then null else v - 30 * (1 + v % 7) end,
       '/' || v || '/', 'w', v, ${time}, ${time} from $N`,
  );
  await rows(
    60000,
    `item (initiative_id, workstream_id, name, status, created_at, updated_at)
     select 1 + v % 3, 3 * (v % 1000) + 1 + v % 3, 'x', 'DONE', ${time}, ${time} from $N`,
  );
  // Every initiative's log: mostly item rows, a few of each kind the readers look up.
  await rows(
    60000,
    `change_log (initiative_id, workstream_id, item_id, kind, actor, data, effective_at, recorded_at)
     select 1 + v / 10 % 10, case when v % 50 = 0 then null else 1 + v % 30000 end,
       case when v % 10 = 0 then null else 1 + v * 7919 % 60000 end,
       case when v % 500 = 0 then 'HealthSet' when v % 700 = 0 then 'MilestoneSet'
         when v % 10 = 0 then 'WorkstreamCreated' when v % 13 = 0 then 'ItemStageChanged'
         else 'ItemStatusChanged' end,
       'a', '${JSON.stringify({ to: 'a', pad: 'x'.repeat(200) })}', ${time}, ${time} from $N`,
  );
  // A stage on every seventh item, in its item's initiative.
  await rows(
    8000,
    `item_stage (item_id, initiative_id, stage, since) select 7 * v, 1 + 7 * v % 3, 's', ${time} from $N`,
  );
  await rows(
    5000,
    `outbox (seq, initiative_id, revision, payload, created_at)
     select v, 1 + v % 10, v / 10, '{}', ${time} from $N`,
  );
  await rows(
    5000,
    `written_update (initiative_id, section, week, body, author, effective_at, recorded_at)
     select 1 + v % 10, 'progress', '2025-01-01', 'b', 'a', ${time}, ${time} from $N`,
  );
  // Ten endpoints' deliveries, interleaved.
  await rows(
    20000,
    `webhook_delivery (webhook_id, message_id, event_type, payload, state, attempts, created_at)
     select 1 + v % 10, 'm' || v, 'item.changed', '{}', 'delivered', 1, ${time} from $N`,
  );
  if (dialect === 'postgresql') await em.execute('analyze');
}

describe.each(DIALECTS)('hot statements are answered by an index (%s)', (dialect) => {
  let orm: MikroORM;
  let drop: () => Promise<void>;
  const em = () => orm.em.fork() as Em;

  /**
   * Every statement `run` sends (or those numbered `checked`) is answered by `expected`'s index,
   * without a sort when `unsorted`.
   */
  const expectPlans = async (
    run: (em: Em) => Promise<unknown>,
    expected: Expected,
    opts: { statements?: number; checked?: readonly number[]; unsorted?: boolean } = {},
  ) => {
    const sent = await statementsOf(em(), run);
    expect(sent).toHaveLength(opts.statements ?? 1);
    const indexes = indexesOf(expected, dialect);
    for (const s of opts.checked ? opts.checked.map((i) => sent[i]!) : sent) {
      const plan = await planOf(em(), dialect, s);
      const hit = plan.accesses.find(
        (a) =>
          indexes.includes(a.index) &&
          expected.columns.every((c) => new RegExp(`\\b${c}\\b`).test(a.cond)),
      );
      expect(
        hit,
        `${indexes.join(' or ')} on ${expected.columns.join(', ')}:\n${s.sql}\n${plan.text}`,
      ).toBeDefined();
      if (opts.unsorted) expect(plan.sorts, `a sort:\n${s.sql}\n${plan.text}`).toBe(false);
    }
  };

  beforeAll(async () => {
    const db = await createTestDatabase(dialect);
    drop = () => db.drop();
    orm = await openOrm({ databaseUrl: db.url, poolSize: 2 });
    // Migrated as a server migrates a new database: without statistics SQLite breaks a tie
    // between two indexes by the order they were made in, which the entities do not keep.
    await migrate(orm);
    await fill(em(), dialect);
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
    expectPlans((e) => hasLiveChildren(e, { id: 2, initiativeId: 1 }), SIBLINGS));

  const PAGE = { afterId: 40, limit: 5, statuses: null };

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

  // A subtree, from its node down through parent_id: not every workstream of the initiative.
  const NODE = { id: 2, initiativeId: 1, path: '/1/2/', depth: 1 };
  const now = new Date();

  it("the depth of a workstream's subtree", () =>
    expectPlans((e) => deepestBelow(e, NODE), SIBLINGS));

  it('deleting a subtree', () =>
    expectPlans((e) => deleteSubtree(e, NODE, now), SIBLINGS, { statements: 2 }));

  it('restoring a subtree', () =>
    expectPlans((e) => restoreSubtree(e, { ...NODE, deletedAt: now }, now), SIBLINGS, {
      statements: 2,
    }));

  it('moving a subtree', () =>
    expectPlans(
      (e) => moveSubtree(e, NODE, { parentId: null, path: '/2/', position: 0 }, now),
      SIBLINGS,
      { statements: 2, checked: [0] },
    ));

  it("a resumed subscription's missed events", () =>
    expectPlans((e) => readInitiativeOutboxSince(e, 1, 450, 101), {
      index: 'outbox_initiative_id_revision_index',
      columns: ['initiative_id', 'revision'],
    }));

  it("an initiative's written updates", () =>
    expectPlans((e) => findUpdatesOfInitiatives(e, [3]), {
      index: 'written_update_initiative_id_effective_at_index',
      columns: ['initiative_id'],
    }));

  it("an endpoint's deliveries, newest first", () =>
    // PostgreSQL walked the primary key back from the newest delivery of any endpoint.
    expectPlans((e) => findDeliveries(e, { afterId: 15000, limit: 21, webhookIds: [3, 4] }), {
      index: 'webhook_delivery_webhook_id_id_index',
      columns: ['webhook_id'],
    }));

  // The change log's workstream and initiative rows: a node's own, not the initiative's log.
  const OWN = {
    index: 'change_log_workstream_structure_index',
    columns: ['workstream_id', 'initiative_id'],
  };
  const none = { items: [], workstreams: [], initiatives: [] };

  it('the latest time logged for an initiative', () =>
    expectPlans((e) => findLatestEffective(e, { ...none, initiatives: [1] }), OWN));

  it('the latest time logged for a workstream', () =>
    // SQLite reads the workstream's own log, (workstream_id, id); PostgreSQL combined that
    // index with every row of the table that has no item.
    expectPlans((e) => findLatestEffective(e, { ...none, workstreams: [7] }), {
      index: {
        sqlite: 'change_log_workstream_id_id_index',
        postgresql: 'change_log_workstream_structure_index',
      },
      columns: ['workstream_id'],
    }));

  it("an initiative's and a workstream's target dates", async () => {
    await expectPlans(
      (e) => findTargetDateEntries(e, { initiativeId: 1, workstreamId: null }, 0),
      OWN,
    );
    await expectPlans(
      (e) => findTargetDateEntries(e, { initiativeId: 1, workstreamId: 7 }, 0),
      OWN,
    );
  });

  it("an initiative's own rows (an as-of tree's settings)", () =>
    expectPlans((e) => findInitiativeOwnEntries(e, 1), OWN));

  const BY_ID = { index: 'change_log_structure_id_index', columns: ['initiative_id'] };

  it("an initiative's structure version", () =>
    expectPlans((e) => findStructureVersion(e, 1), BY_ID));

  it("an initiative's structure signature (every as-of read's key)", () =>
    // A whole index on (initiative_id, id, workstream_id), the history walk's first form, took
    // this read on SQLite, which then read every row of the initiative: the as-of dashboard
    // grew 7.5× from 100,000 to 1,000,000 log rows (S11).
    expectPlans((e) => findStructureSignature(e, 1), {
      index: {
        sqlite: BY_ID.index,
        postgresql: [BY_ID.index, 'change_log_structure_index'],
      },
      columns: ['initiative_id'],
    }));

  it("an initiative's path changes up to a version", () =>
    // PostgreSQL read them from the initiative's structure rows already; SQLite read every
    // initiative's.
    expectPlans((e) => findPathEntriesUpTo(e, 1, 50000), {
      index: {
        sqlite: BY_ID.index,
        postgresql: [BY_ID.index, 'change_log_structure_index'],
      },
      columns: ['initiative_id'],
    }));

  // Rows of a kind read by kind, not the initiative's log or its structure rows.
  const ofKind = (index: string) => ({ index, columns: ['initiative_id'] });
  const at = { asOf: Date.now(), knownAt: Date.now() };

  it("an initiative's items' stages as they stood", () =>
    expectPlans((e) => findItemStagesAt(e, [1], at), ofKind('change_log_stage_index')));

  it("an initiative's health set by hand", () =>
    expectPlans(
      (e) => findHealthEntries(e, 1, at.asOf, at.knownAt),
      ofKind('change_log_health_index'),
    ));

  it("an initiative's milestones and metrics as they stood", () =>
    expectPlans((e) => findReportModelEntries(e, [1]), ofKind('change_log_report_model_index')));

  it("a workstream's items as they stood: its items first, then their rows by item", async () => {
    // In one statement (`item_id in (select …)`) PostgreSQL misjudged how many items a
    // workstream has and read the whole log.
    const run = async (e: Em) =>
      findEntriesOfItems(e, await itemsLoggedIn(e, [7]), at.asOf, at.knownAt);
    await expectPlans(
      run,
      { index: 'change_log_workstream_id_id_index', columns: ['workstream_id'] },
      { statements: 2, checked: [0] },
    );
    const BY_ITEM = { index: 'change_log_item_id_index', columns: ['item_id'] };
    await expectPlans(run, BY_ITEM, { statements: 2, checked: [1] });
    await expectPlans((e) => findVersionsAt(e, [11, 12], at.asOf, at.knownAt), BY_ITEM);
  });

  it("an initiative's items, deleted ones too (an as-of page's candidates)", () =>
    expectPlans((e) => itemIdsOfInitiative(e, 1), {
      index: ['item_initiative_id_index', 'item_initiative_id_deleted_at_id_index'],
      columns: ['initiative_id'],
    }));

  // Joined to item in one statement, PostgreSQL hashed every item row of the table for a large
  // initiative's stages; each read is now by an index.
  const STAGES = { index: 'item_stage_initiative_id_index', columns: ['initiative_id'] };
  const byKey = (pg: string, column: string) => ({
    index: { sqlite: 'PRIMARY KEY', postgresql: pg },
    columns: [dialect === 'sqlite' ? 'rowid' : column],
  });

  it("an initiative's staged items: their stages, then the items by id", async () => {
    const run = (e: Em) => findItemStages(e, [1]);
    await expectPlans(run, STAGES, { statements: 2, checked: [0] });
    await expectPlans(run, byKey('item_pkey', 'id'), { statements: 2, checked: [1] });
  });

  it("the paths of an initiative's staged items: stages, items, workstreams by id", async () => {
    const run = (e: Em) => stagedItemPaths(e, 1);
    await expectPlans(run, STAGES, { statements: 3, checked: [0] });
    await expectPlans(run, byKey('item_pkey', 'id'), { statements: 3, checked: [1] });
    await expectPlans(run, byKey('workstream_pkey', 'id'), { statements: 3, checked: [2] });
  });

  it("a subtree's history: its initiative's newest rows, then its own by workstream", async () => {
    // PostgreSQL walked the whole log's primary key back, through other initiatives' rows. A
    // workstream with no rows, as all of its initiative: the walk reads its five windows of the
    // initiative's 6,000 rows, then the workstream's own rows.
    const run = (e: Em) =>
      findChanges(e, {
        initiativeId: 1,
        workstreamIds: [999_999],
        initiativeWorkstreams: 1,
        beforeId: null,
        limit: 5,
      });
    const statements = WALK_ROWS / 1_000 + 1;
    await expectPlans(
      run,
      { index: 'change_log_initiative_walk_index', columns: ['initiative_id'] },
      { statements, checked: [0], unsorted: true },
    );
    await expectPlans(
      run,
      { index: 'change_log_workstream_id_id_index', columns: ['workstream_id'] },
      { statements, checked: [statements - 1] },
    );
  });

  it("a subtree's stalled items: its items by workstream, each one's last change by item", async () => {
    // As a join, an analysed PostgreSQL started from the change log and read all of it.
    const run = (e: Em) => findStalledItems(e, [7, 8, 9], Date.now(), null, 21, 0);
    await expectPlans(run, {
      index: 'item_workstream_id_deleted_at_id_index',
      columns: ['workstream_id'],
    });
    await expectPlans(run, { index: 'change_log_item_id_index', columns: ['item_id'] });
  });
});
