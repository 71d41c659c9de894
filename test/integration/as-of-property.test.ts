import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ITEM_STATUSES } from '../../src/domain/item-status.js';
import { DomainError, DomainErrors } from '../../src/domain/errors.js';
import { replayItems, type LogEntry, type ReadTime } from '../../src/domain/replay-items.js';
import { replayStructure } from '../../src/domain/replay-structure.js';
import { resolvePolicy } from '../../src/domain/rollup-policy.js';
import { foldTree, type Figure } from '../../src/domain/rollup.js';
import {
  applyDelta,
  emptyTally,
  itemDelta,
  itemsOfStatuses,
  type Tally,
} from '../../src/domain/tally.js';
import { findItemEntries, findStructureEntries } from '../../src/db/queries/as-of.queries.js';
import { findInitiativesByIds } from '../../src/db/queries/initiative.queries.js';
import { itemsAsOf, itemsAsOfPage } from '../../src/services/as-of-items.js';
import { loadAsOfTree } from '../../src/services/as-of-tree.js';
import { createInitiative } from '../../src/services/create-initiative.js';
import { createItems } from '../../src/services/create-items.js';
import { createWorkstream } from '../../src/services/create-workstream.js';
import { deleteItem } from '../../src/services/delete-item.js';
import { deleteWorkstream } from '../../src/services/delete-workstream.js';
import { loadInitiativeTree } from '../../src/services/load-initiative-tree.js';
import { moveItem } from '../../src/services/move-item.js';
import { moveWorkstream } from '../../src/services/move-workstream.js';
import { restoreItem, restoreWorkstream } from '../../src/services/restore.js';
import { setItemStatuses } from '../../src/services/set-item-statuses.js';
import { SNAPSHOT_SETTLE_MS, takeSnapshot } from '../../src/services/snapshots.js';
import { updateItem } from '../../src/services/update-item.js';
import { updateWorkstream } from '../../src/services/update-workstream.js';
import { runWrite } from '../../src/services/write-pipeline/run-write.js';
import { operatorContext } from '../../src/services/write-pipeline/write-context.js';
import { DIALECTS } from '../helpers/databases.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * Random histories with back-dated writes, checked against a brute-force replay. Commands run
 * through the services (the write pipeline itself) on one database, each run in an initiative of
 * its own, under a fake clock that moves 10 s per command so recorded times differ. 200 histories
 * per database, in parts of 50 (each its own test and seed): on PostgreSQL every statement is a
 * network round trip, and a part of 100 took the whole test timeout (60 s) on a machine loaded
 * four times over; a part of 50 keeps well under it.
 */
const STEP = 10_000;
/** Items a page of `itemsAsOfPage` asks for: small, so a history's items take several. */
const PAGE = 4;
const RUNS_PER_PART = 50;
const PARTS = [1, 2, 3, 4];

const command = fc.record({
  op: fc.constantFrom(
    'ws',
    'ws',
    'items',
    'items',
    'items',
    'status',
    'status',
    'status',
    'delete',
    'restore',
    'dropWs',
    'move',
    'update',
    'reweigh',
    'moveItem',
    'restoreWs',
    'snapshot',
  ),
  a: fc.nat(50),
  b: fc.nat(50),
  status: fc.constantFrom(...ITEM_STATUSES),
  percent: fc.integer({ min: 0, max: 100 }),
  /** How far back it is dated, in steps; null: now. */
  back: fc.option(fc.integer({ min: 0, max: 8 }), { nil: null }),
});

/** Brute force: every item's last visible row, tallied and folded under the replayed structure. */
function bruteForce(entries: LogEntry[], t: ReadTime) {
  const structure = replayStructure(entries, t);
  const tallies = new Map<number, Tally>();
  for (const s of replayItems(entries, t).values()) {
    const tally = tallies.get(s.workstreamId) ?? emptyTally();
    applyDelta(tally, itemDelta(s.status, s.weight, s.percent, 1));
    tallies.set(s.workstreamId, tally);
  }
  const live = [...structure.workstreams.values()].filter((w) => !w.deleted);
  const ids = new Set(live.map((w) => w.id));
  const nodes = live
    .filter((w) => w.parentId === null || ids.has(w.parentId))
    .map((w) => ({
      id: w.id,
      parentId: w.parentId,
      tally: tallies.get(w.id) ?? emptyTally(),
      manual:
        w.manualPercentBp === null
          ? null
          : { weightCenti: w.weightCenti, percentBp: w.manualPercentBp },
    }));
  return foldTree(nodes, resolvePolicy(structure.initiative?.rollupPolicy ?? null));
}

const shape = (f: Figure | undefined) =>
  f && [f.credit, f.counted, f.total, ITEM_STATUSES.map((s) => f.tally[s].items)];

describe.each(DIALECTS)('as-of figures equal a replay of the log (%s)', (dialect) => {
  let app: TestApp;
  let run = 0;
  beforeAll(async () => {
    app = await createTestApp(dialect);
  });
  afterAll(async () => {
    vi.useRealTimers();
    await app.close();
  });

  it.each(PARTS)(
    `for random histories and random (asOf, knownAt), with and without snapshots (%i/${PARTS.length})`,
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(command, { minLength: 20, maxLength: 60 }),
          fc.array(fc.tuple(fc.nat(70), fc.nat(70)), { minLength: 3, maxLength: 3 }),
          async (commands, times) => {
            const em = app.em();
            const ctx = operatorContext(em, 'prop');
            const t0 = Date.UTC(2024, 0, 1) + run * 10_000_000;
            let clock = t0;
            vi.useFakeTimers({ toFake: ['Date'], now: clock });
            const tick = () => vi.setSystemTime((clock += STEP));
            const key = `p${dialect[0]}${run++}`;
            const init = await runWrite(ctx, createInitiative, {
              key,
              name: key,
              effectiveAt: new Date(t0 - 20 * STEP),
            });
            const ws: number[] = [];
            const items: number[] = [];
            for (const c of commands) {
              tick();
              const effectiveAt = c.back === null ? null : new Date(clock - c.back * STEP);
              const pickWs = ws[c.a % Math.max(ws.length, 1)];
              const pickItem = items[c.b % Math.max(items.length, 1)];
              try {
                switch (c.op) {
                  case 'ws':
                    ws.push(
                      (
                        await runWrite(ctx, createWorkstream, {
                          initiativeId: init.id,
                          parentId:
                            c.b % 3 === 0 ? null : (ws[c.b % Math.max(ws.length, 1)] ?? null),
                          name: `w${ws.length}`,
                          weight: 1 + (c.a % 3),
                          effectiveAt,
                        })
                      ).id,
                    );
                    break;
                  case 'items':
                    if (pickWs === undefined) break;
                    for (const i of await runWrite(ctx, createItems, {
                      workstreamId: pickWs,
                      items: Array.from({ length: 1 + (c.a % 3) }, () => ({
                        name: 'x',
                        status: c.status,
                        percent: c.status === 'IN_PROGRESS' ? c.percent : null,
                        weight: 1 + (c.b % 4),
                      })),
                      effectiveAt,
                    }))
                      items.push(i.id);
                    break;
                  case 'status':
                    if (pickItem === undefined) break;
                    await runWrite(ctx, setItemStatuses, {
                      updates: [
                        {
                          itemId: pickItem,
                          status: c.status,
                          percent: c.status === 'IN_PROGRESS' ? c.percent : null,
                          effectiveAt,
                        },
                      ],
                    });
                    break;
                  case 'delete':
                    if (pickItem !== undefined)
                      await runWrite(ctx, deleteItem, { itemId: pickItem, effectiveAt });
                    break;
                  case 'restore':
                    if (pickItem !== undefined) await runWrite(ctx, restoreItem, { id: pickItem });
                    break;
                  case 'dropWs':
                    if (pickWs !== undefined && c.b % 3 === 0)
                      await runWrite(ctx, deleteWorkstream, { id: pickWs, effectiveAt });
                    break;
                  case 'move':
                    if (pickWs !== undefined)
                      await runWrite(ctx, moveWorkstream, {
                        id: pickWs,
                        parentId: c.b % 2 === 0 ? null : (ws[c.b % ws.length] ?? null),
                        effectiveAt,
                      });
                    break;
                  case 'update':
                    if (pickWs !== undefined)
                      await runWrite(ctx, updateWorkstream, {
                        id: pickWs,
                        weight: 1 + (c.b % 5),
                        manualPercent: c.a % 2 === 0 ? c.percent : null,
                        effectiveAt,
                      });
                    break;
                  case 'reweigh':
                    if (pickItem !== undefined)
                      await runWrite(ctx, updateItem, {
                        itemId: pickItem,
                        weight: 1 + (c.a % 4),
                        effectiveAt,
                      });
                    break;
                  case 'moveItem':
                    if (pickItem !== undefined && pickWs !== undefined)
                      await runWrite(ctx, moveItem, {
                        itemId: pickItem,
                        workstreamId: pickWs,
                        effectiveAt,
                      });
                    break;
                  case 'restoreWs':
                    if (pickWs !== undefined)
                      await runWrite(ctx, restoreWorkstream, { id: pickWs });
                    break;
                  case 'snapshot':
                    // Half known from now on (the settle margin lifted: nothing runs
                    // concurrently here), half as the server takes them: known 5 min back, at a
                    // time that may lie in that settle window.
                    await takeSnapshot(
                      em,
                      init.id,
                      effectiveAt ?? (c.a % 2 === 0 ? new Date(clock) : null),
                      c.b % 2 === 0 ? clock : clock + SNAPSHOT_SETTLE_MS,
                    );
                    break;
                }
              } catch (err) {
                if (!(err instanceof DomainError || err instanceof DomainErrors)) throw err;
              }
            }
            tick();
            const end = clock;
            const [record] = await findInitiativesByIds(em, [init.id]);
            const all = { asOf: end + STEP, knownAt: end + STEP };
            const entries = [
              ...(await findStructureEntries(em, init.id, all.asOf, all.knownAt)),
              ...(await findItemEntries(em, init.id, all.asOf, all.knownAt)),
            ];
            // asOf = now: the live figures.
            const live = await loadInitiativeTree(em, record!);
            const now = await loadAsOfTree(em, record!, { asOf: end, knownAt: end });
            expect(shape(now.rollup.root)).toEqual(shape(live.rollup.root));
            expect([...now.rollup.figures.keys()].sort()).toEqual(
              [...live.rollup.figures.keys()].sort(),
            );
            for (const [id, f] of live.rollup.figures)
              expect(shape(now.rollup.figures.get(id))).toEqual(shape(f));
            for (const [a, k] of times) {
              const t = { asOf: t0 - 25 * STEP + a * STEP, knownAt: t0 - 5 * STEP + k * STEP };
              const expected = bruteForce(entries, t);
              for (const useSnapshots of [true, false]) {
                const got = await loadAsOfTree(em, record!, t, { useSnapshots });
                expect(shape(got.rollup.root)).toEqual(shape(expected.root));
                expect([...got.rollup.figures.keys()].sort()).toEqual(
                  [...expected.figures.keys()].sort(),
                );
                for (const [id, f] of expected.figures)
                  expect(shape(got.rollup.figures.get(id))).toEqual(shape(f));
              }
              // A page of items as they stood replays only what it takes: paged through, it
              // gives what replaying every item gives, and the as-of tree's counters (a page's
              // totalCount) count as many in its workstreams. The candidates of
              // both come from the initiative's items for half of its workstreams or more, else
              // from the workstreams' rows in the log (both kinds of set), so the whole answer
              // is checked against the replay of the initiative's whole log as well.
              const states = replayItems(entries, t);
              const tree = await loadAsOfTree(em, record!, t);
              for (const set of [ws, ws.filter((_, i) => i % 2 === 0), ws.slice(0, 1)])
                for (const statuses of [null, ['IN_PROGRESS', 'DONE'] as const]) {
                  const full = await itemsAsOf(em, set, t, statuses);
                  const inSet = new Set(set);
                  const stood = [...states]
                    .filter(([, s]) => inSet.has(s.workstreamId))
                    .filter(
                      ([, s]) => !statuses || (statuses as readonly string[]).includes(s.status),
                    )
                    .map(([id]) => id)
                    .sort((a, b) => a - b);
                  expect(full.map((i) => i.id)).toEqual(stood);
                  const paged = [];
                  for (let after: number | null = null; ;) {
                    const page = await itemsAsOfPage(em, set, t, statuses, after, PAGE);
                    paged.push(...page);
                    if (page.length < PAGE) break;
                    after = page.at(-1)!.id;
                  }
                  expect(paged).toEqual(full);
                  // The tree's workstreams only: it keeps the tallies of deleted ones too.
                  const counted = set
                    .filter((id) => tree.nodes.has(id))
                    .reduce(
                      (n, id) =>
                        n + itemsOfStatuses(tree.tallies.get(id) ?? emptyTally(), statuses),
                      0,
                    );
                  expect(counted).toBe(full.filter((i) => tree.nodes.has(i.workstreamId)).length);
                }
            }
            vi.useRealTimers();
          },
        ),
        { numRuns: RUNS_PER_PART, endOnFailure: true },
      );
    },
  );
});
