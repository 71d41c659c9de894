import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventDelta } from '../../../src/domain/event-deltas.js';
import { ITEM_STATUSES } from '../../../src/domain/item-status.js';
import { figuresFromDeltas } from '../../../src/domain/live-figures.js';
import {
  crossings,
  figureChanges,
  INITIATIVE_NODE,
  minChangeFilter,
  type FigureValue,
} from '../../../src/domain/live-events.js';
import { resolvePolicy } from '../../../src/domain/rollup-policy.js';
import { foldTree } from '../../../src/domain/rollup.js';
import {
  applyDelta,
  emptyTally,
  itemDelta,
  mergeDeltas,
  type Tally,
} from '../../../src/domain/tally.js';

// 1 ─ 2 ─ 4
//   └ 3 (manual 40%)   5 (top level)
const PARENTS: Record<number, number | null> = { 1: null, 2: 1, 3: 1, 4: 2, 5: null };
const PATHS: Record<number, number[]> = { 1: [1], 2: [1, 2], 3: [1, 3], 4: [1, 2, 4], 5: [5] };
const policy = resolvePolicy(null);

function fold(tallies: Map<number, Tally>): Map<number, FigureValue> {
  const rollup = foldTree(
    Object.entries(PARENTS).map(([id, parentId]) => ({
      id: Number(id),
      parentId,
      tally: tallies.get(Number(id)) ?? emptyTally(),
      manual: Number(id) === 3 ? { weightCenti: 250, percentBp: 4_000 } : null,
    })),
    policy,
  );
  const out = new Map<number, FigureValue>();
  const v = (f: FigureValue) => ({ credit: f.credit, counted: f.counted, total: f.total });
  out.set(INITIATIVE_NODE, v(rollup.root));
  for (const [id, f] of rollup.figures) out.set(id, v(f));
  return out;
}

describe('figure changes from counter deltas', () => {
  it('equal a fold of the whole tree after any sequence of item changes', () => {
    const change = fc.record({
      workstreamId: fc.constantFrom(4, 3, 5),
      status: fc.constantFrom(...ITEM_STATUSES),
      percent: fc.integer({ min: 0, max: 100 }),
      weight: fc.integer({ min: 1, max: 5 }),
    });
    fc.assert(
      fc.property(
        fc.array(fc.array(change, { minLength: 1, maxLength: 4 }), { maxLength: 12 }),
        (writes) => {
          const tallies = new Map<number, Tally>();
          let published = fold(tallies);
          for (const write of writes) {
            const deltas: EventDelta[] = write.map((c) => ({
              initiativeId: 1,
              workstreamId: c.workstreamId,
              delta: itemDelta(c.status, c.weight, c.percent, 1),
            }));
            for (const d of deltas) {
              if (!tallies.has(d.workstreamId)) tallies.set(d.workstreamId, emptyTally());
              applyDelta(tallies.get(d.workstreamId)!, d.delta);
            }
            const folded = fold(tallies);
            const fast = figuresFromDeltas(published, [], deltas, (id) => PATHS[id], policy)!;
            expect(fast).toEqual(figureChanges(published, folded, folded.keys()));
            // The pipeline passes them summed per workstream and status: the same figures.
            const merged = mergeDeltas(deltas);
            expect(figuresFromDeltas(published, [], merged, (id) => PATHS[id], policy)).toEqual(
              fast,
            );
            for (const c of fast) published.set(c.nodeId, c.after!);
            published = new Map(published);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('fall back to a fold when a node on the path was never published', () => {
    const deltas: EventDelta[] = [
      { initiativeId: 1, workstreamId: 4, delta: itemDelta('DONE', 1, 0, 1) },
    ];
    expect(figuresFromDeltas(new Map(), [], deltas, (id) => PATHS[id], policy)).toBeNull();
  });
});

describe('threshold crossings', () => {
  it('fire once each way, never for an unknown figure', () => {
    expect(crossings(89, 91, [90, 50])).toEqual([{ threshold: 90, direction: 'UP' }]);
    expect(crossings(91, 40, [90, 50])).toEqual([
      { threshold: 50, direction: 'DOWN' },
      { threshold: 90, direction: 'DOWN' },
    ]);
    expect(crossings(90, 90, [90])).toEqual([]);
    expect(crossings(89.99, 90, [90])).toEqual([{ threshold: 90, direction: 'UP' }]);
    expect(crossings(null, 95, [90])).toEqual([]);
  });
});

describe('minChangeFilter: one subscriber’s minChange', () => {
  const value = (credit: number) => ({ credit, counted: 200_000_000, total: 200 });
  const change = (nodeId: number, from: number, to: number) => ({
    nodeId,
    before: value(from),
    after: value(to),
  });

  it('reports gradual drift once it adds up, and chains before to the last sent after', () => {
    const moved = minChangeFilter(0.5);
    // Five moves of 0.2 points (400,000 micro-items of 200 items).
    const steps = [0, 1, 2, 3, 4].map((i) => moved(change(7, i * 400_000, (i + 1) * 400_000)));
    expect(steps.map((s) => s !== null)).toEqual([false, false, true, false, false]);
    expect(steps[2]).toEqual(change(7, 0, 1_200_000)); // 0.6 points since the start
    // The next one counts from what was sent: 0.4 points since 0.6 is not enough; 0.6 is.
    expect(moved(change(7, 2_000_000, 2_400_000))).toEqual(change(7, 1_200_000, 2_400_000));
    // Each node keeps its own baseline.
    expect(moved(change(8, 0, 400_000))).toBeNull();
  });

  it('passes every change without a minChange (or with 0)', () => {
    for (const min of [null, 0]) {
      const c = change(1, 0, 1);
      expect(minChangeFilter(min)(c)).toBe(c);
    }
  });
});
