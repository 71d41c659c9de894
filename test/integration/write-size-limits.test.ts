import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findEntriesOfItems,
  findVersionsAt,
  itemsLoggedIn,
} from '../../src/db/queries/as-of.queries.js';
import { findChanges } from '../../src/db/queries/change-log.queries.js';
import { STALLED_JOIN_FROM, findStalledItems } from '../../src/db/queries/series.queries.js';
import { applyTallyDeltas } from '../../src/db/queries/item.queries.js';
import { fromGlobalId } from '../../src/domain/global-id.js';
import { importSheet } from '../../src/services/import-sheet.js';
import { inTransaction } from '../../src/services/transaction.js';
import { ALL_INITIATIVES } from '../../src/services/write-scope.js';
import { DIALECTS } from '../helpers/databases.js';
import {
  CREATE_INITIATIVE,
  CREATE_ITEMS,
  CREATE_WORKSTREAM,
  MOVE_ITEM,
} from '../helpers/operations.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/** More counters than one statement could carry on either database (6 parameters each). */
const COUNTERS = Math.ceil(65_535 / 6) + 100;

// A write's statements whose parameters grow with the write (one per counter moved) go in
// slices: one import into thousands of new workstreams moves a counter in each.
describe.each(DIALECTS)('a write as large as an import makes it (%s)', (dialect) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp(dialect);
  });
  afterAll(() => app?.close());

  it(`moves ${COUNTERS} counters in one write, past both databases' parameter limits`, async () => {
    const deltas = Array.from({ length: COUNTERS }, (_, i) => ({
      workstreamId: 1_000_000 + i,
      delta: { status: 'DONE' as const, items: 1, weight: 2, percentWeight: 200 },
    }));
    await inTransaction(app.em(), (tem) => applyTallyDeltas(tem, 999, deltas));
    await inTransaction(app.em(), (tem) => applyTallyDeltas(tem, 999, deltas.slice(0, 10)));
    const [sum] = await app
      .em()
      .execute(
        'select count(*) as n, sum(items) as items, sum(weight) as weight from workstream_tally where initiative_id = 999',
      );
    expect([Number(sum.n), Number(sum.items), Number(sum.weight)]).toEqual([
      COUNTERS,
      COUNTERS + 10,
      2 * (COUNTERS + 10),
    ]);
  });

  // Reads that name an initiative's workstreams (an as-of export, stalled items, a subtree's
  // history) failed past 32,766 of them on SQLite: an initiative of 34,034 did. The names now go
  // a slice at a time; an item logged in workstreams of two slices is read once, and a page
  // ordered across slices is the first of every slice's first.
  it('reads by more workstreams than a statement takes: an item of two slices once, pages in order', async () => {
    const { createInitiative } = await app.ok(CREATE_INITIATIVE, {
      input: { key: 'sliced', name: '分片' },
    });
    const initiativeId = createInitiative.initiative.id;
    const ws = async (name: string) =>
      (await app.ok(CREATE_WORKSTREAM, { input: { initiativeId, name } })).createWorkstream
        .workstream.id as string;
    const [a, b] = [await ws('甲'), await ws('乙')];
    const add = async (workstreamId: string, name: string) =>
      (
        await app.ok(CREATE_ITEMS, {
          input: { workstreamId, items: [{ name, status: 'IN_PROGRESS', percent: 10 }] },
        })
      ).createItems.items[0].id as string;
    const first = await add(a, '一');
    const second = await add(b, '二');
    const mover = await add(a, '三');
    const moved = await app.ok(MOVE_ITEM, { input: { itemId: mover, workstreamId: b } });
    expect(moved.moveItem.userErrors).toEqual([]);
    const id = (globalId: string) => fromGlobalId(globalId)!.id;
    // 乙 in the first slice, 甲 in the last: 70,002 names, past both databases' limits.
    const ids = [id(b), ...Array.from({ length: 70_000 }, (_, i) => 2_000_000 + i), id(a)];
    const now = Date.now() + 1000;
    const entries = await findEntriesOfItems(
      app.em(),
      await itemsLoggedIn(app.em(), ids),
      now,
      now,
    );
    expect(
      entries
        .filter((e) => e.itemId === id(mover))
        .map((e) => e.kind)
        .sort(),
    ).toEqual(['ItemCreated', 'ItemMoved']);
    // Items named past both limits too: the mover among 70,002.
    const itemIds = [id(first), ...Array.from({ length: 70_000 }, (_, i) => 2_000_000 + i)];
    const versions = await findVersionsAt(app.em(), [...itemIds, id(mover)], now, now);
    expect([versions.get(id(first)), versions.get(id(mover))]).toEqual([1, 2]);
    // Looked up item by item, and joined to the log (a subtree of many items in progress).
    for (const candidates of [0, STALLED_JOIN_FROM]) {
      const stalled = (limit: number, after: { at: number; id: number } | null = null) =>
        findStalledItems(app.em(), ids, now, after, limit, candidates);
      const [oldest] = await stalled(1);
      expect(oldest!.itemId).toBe(id(first));
      expect((await stalled(5)).map((s) => s.itemId)).toEqual([id(first), id(second), id(mover)]);
      const after = { at: oldest!.lastChangeAt, id: oldest!.itemId };
      expect((await stalled(5, after)).map((s) => s.itemId)).toEqual([id(second), id(mover)]);
    }
    // Walking the initiative's rows (the subtree is all of it), and by workstream (a sliver).
    for (const initiativeWorkstreams of [ids.length, 1_000 * ids.length]) {
      const history = await findChanges(app.em(), {
        initiativeId: Number(id(initiativeId)),
        workstreamIds: ids,
        initiativeWorkstreams,
        beforeId: null,
        limit: 2,
      });
      expect(history.map((c) => c.kind)).toEqual(['ItemMoved', 'ItemCreated']);
      expect(history[0]!.id).toBeGreaterThan(history[1]!.id);
    }
  });
});

// SQLite's limit (32,766 parameters) falls at 5,462 counters; PostgreSQL's at 10,923, which an
// import there takes most of a minute to reach (53 s for 11,000): the counters above stand for it.
describe('an import into thousands of new workstreams (sqlite)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp('sqlite');
  });
  afterAll(() => app?.close());

  it('imports 5,500 items each into a new workstream of its own', async () => {
    await app.ok(CREATE_INITIATIVE, { input: { key: 'wide', name: '宽' } });
    const rows = Array.from({ length: 5_500 }, (_, i) => `组${Math.floor(i / 50)}/叶${i},事项${i}`);
    const result = await importSheet({
      em: app.em(),
      initiativeKey: 'wide',
      fileName: 'wide.csv',
      by: null,
      bytes: new TextEncoder().encode(['工作流,事项', ...rows].join('\n')),
      dryRun: false,
      skipErrors: false,
      prune: false,
      scope: ALL_INITIATIVES,
    });
    expect(result.applied).toBe(true);
    expect(result.plan.summary).toMatchObject({ create: 5_500, newWorkstreams: 5_610 });
    const { initiative } = await app.ok('{ initiative(key: "wide") { progress { total } } }');
    expect(initiative.progress.total).toBe(5_500);
  }, 60_000);
});
