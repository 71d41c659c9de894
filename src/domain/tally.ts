import { ITEM_STATUSES, type ItemStatus } from './item-status.js';

/** The sums a workstream keeps for the items of one status: count, Σ weight, Σ weight × percent. */
export interface StatusTally {
  items: number;
  weight: number;
  percentWeight: number;
}

export type Tally = Record<ItemStatus, StatusTally>;

export function emptyTally(): Tally {
  const tally = {} as Tally;
  for (const status of ITEM_STATUSES) tally[status] = { items: 0, weight: 0, percentWeight: 0 };
  return tally;
}

/** The change one item brings to its status's tally (negate it to take the item away). */
export interface TallyDelta {
  readonly status: ItemStatus;
  readonly items: number;
  readonly weight: number;
  readonly percentWeight: number;
}

export function itemDelta(
  status: ItemStatus,
  weight: number,
  percent: number,
  sign: 1 | -1,
): TallyDelta {
  return { status, items: sign, weight: sign * weight, percentWeight: sign * weight * percent };
}

/** Adds `from` into `into` in place (the fold's inner loop; allocation-free on purpose). */
export function addTally(into: Tally, from: Readonly<Tally>): void {
  for (const status of ITEM_STATUSES) {
    const a = into[status];
    const b = from[status];
    a.items += b.items;
    a.weight += b.weight;
    a.percentWeight += b.percentWeight;
  }
}

export function applyDelta(into: Tally, delta: TallyDelta): void {
  const t = into[delta.status];
  t.items += delta.items;
  t.weight += delta.weight;
  t.percentWeight += delta.percentWeight;
}

/** One workstream's counter delta for one status, summed over a write's changes. */
export interface MergedDelta {
  workstreamId: number;
  delta: TallyDelta;
}

/**
 * Sums deltas per (workstream, status) so a bulk change writes each counter row once, in a
 * stable order (sorted keys) so concurrent transactions lock rows in the same order.
 */
export function mergeDeltas(
  deltas: readonly { readonly workstreamId: number; readonly delta: TallyDelta }[],
): MergedDelta[] {
  // Keyed by a number that sorts as (workstream, status's place): a bulk write merges hundreds.
  const merged = new Map<number, { workstreamId: number; delta: TallyDelta }>();
  for (const { workstreamId, delta } of deltas) {
    const key = workstreamId * ITEM_STATUSES.length + STATUS_PLACE[delta.status];
    const prev = merged.get(key);
    merged.set(key, {
      workstreamId,
      delta: prev
        ? {
            status: delta.status,
            items: prev.delta.items + delta.items,
            weight: prev.delta.weight + delta.weight,
            percentWeight: prev.delta.percentWeight + delta.percentWeight,
          }
        : delta,
    });
  }
  return [...merged.keys()]
    .sort((a, b) => a - b)
    .map((key) => merged.get(key)!)
    .filter((m) => m.delta.items !== 0 || m.delta.weight !== 0 || m.delta.percentWeight !== 0);
}

const STATUS_PLACE = Object.fromEntries(ITEM_STATUSES.map((s, i) => [s, i])) as Record<
  ItemStatus,
  number
>;
