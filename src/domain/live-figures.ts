import { ITEM_EVENT_TYPES, type ChangeEvent } from './change-events.js';
import {
  figureChanges,
  INITIATIVE_NODE,
  type FigureChange,
  type FigureValue,
} from './live-events.js';
import { addCreditOf, manualFigure } from './credit.js';
import type { RollupPolicy } from './rollup-policy.js';
import type { TallyDelta } from './tally.js';

const ITEM_ONLY: ReadonlySet<ChangeEvent['type']> = new Set([
  ...ITEM_EVENT_TYPES,
  'WorkstreamCreated',
]);

/**
 * True when the events only add to figures: item changes, and new workstreams (a new leaf adds
 * its manual work, if any, to its ancestors). Moves, deletions, weights and policies fold.
 */
export function itemsOnly(events: readonly ChangeEvent[]): boolean {
  return events.every((e) => ITEM_ONLY.has(e.type));
}

/** The ancestor ids in a materialized path (`/1/5/9/` → 1, 5, 9), the node itself last. */
export function idsOfPath(path: string): number[] {
  return path
    .split('/')
    .filter((s) => s !== '')
    .map(Number);
}

/**
 * Figure changes of an item-only write without folding the tree: every figure is a sum over its
 * subtree (rollup.ts), so each node on the path of a changed workstream moves by exactly that
 * workstream's counter delta under the policy. `previous` must hold every such node (the figures
 * last published, which include every earlier commit); null when one is missing: fold instead.
 */
export function figuresFromDeltas(
  previous: ReadonlyMap<number, FigureValue>,
  events: readonly ChangeEvent[],
  /** The write's counter deltas, one per item change or already summed per workstream. */
  deltas: readonly { readonly workstreamId: number; readonly delta: TallyDelta }[],
  pathOf: (workstreamId: number) => readonly number[] | undefined,
  policy: RollupPolicy,
): FigureChange[] | null {
  const next = new Map<number, { credit: number; counted: number; total: number }>();
  const created = new Set<number>();
  const add = (workstreamId: number, credit: number, counted: number, items: number) => {
    const path = pathOf(workstreamId);
    if (!path) return false;
    for (let i = -1; i < path.length; i++) {
      const node = i < 0 ? INITIATIVE_NODE : path[i]!;
      let value = next.get(node);
      if (!value) {
        const before = created.has(node) ? ZERO : previous.get(node);
        if (!before) return false;
        next.set(node, (value = { ...before }));
      }
      value.credit += credit;
      value.counted += counted;
      value.total += items;
    }
    return true;
  };
  for (const e of events) {
    if (e.type !== 'WorkstreamCreated') continue;
    created.add(e.workstreamId);
    const { weightCenti, manualPercentBp } = e.state;
    const manual = manualPercentBp === null ? null : { weightCenti, percentBp: manualPercentBp };
    const { credit, counted } = manualFigure(manual);
    if (!add(e.workstreamId, credit, counted, 0)) return null;
  }
  // A workstream's deltas summed first (its figure is linear in its counters, in whole
  // micro-items: addCreditOf), so each path is walked once however many of its items changed.
  const sums = new Map<number, { credit: number; counted: number; items: number }>();
  for (const { workstreamId, delta } of deltas) {
    let own = sums.get(workstreamId);
    if (!own) sums.set(workstreamId, (own = { credit: 0, counted: 0, items: 0 }));
    addCreditOf(own, policy[delta.status], delta);
    own.items += delta.items;
  }
  for (const [workstreamId, { credit, counted, items }] of sums)
    if (!add(workstreamId, credit, counted, items)) return null;
  return figureChanges(previous, next, next.keys());
}

const ZERO: FigureValue = { credit: 0, counted: 0, total: 0 };
