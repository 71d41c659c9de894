import { assertNever, ITEM_STATUSES, type ItemStatus } from './item-status.js';

/** The sums a workstream keeps for the items of one status: count, Σ weight, Σ weight × percent. */
export interface StatusTally {
  items: number;
  weight: number;
  percentWeight: number;
}

export type Tally = Record<ItemStatus, StatusTally>;

/*
 * The functions run for every node of a fold or every entry of a snapshot (emptyTally,
 * addTally, zeroTally, tallyItems, sumsOf; creditOfTally in credit.ts) name each status rather
 * than loop over ITEM_STATUSES. In a loop, `tally[status]` is read with a key that changes every
 * turn, which V8 serves on its slow generic path; a named property is read inline. And a tally
 * built as one object literal holds all six statuses in the object itself, where one built from
 * `{}` a status at a time kept the last two in a separate store. A 1,000-node fold took about a
 * third of the time (README, "What each change gave"). They list the statuses in
 * ITEM_STATUSES's order, so a tally's keys keep that order; `Tally`'s type refuses an object
 * without every status, and test/unit/domain/tally.test.ts holds each function to the loop it
 * replaces.
 */

const noItems = (): StatusTally => ({ items: 0, weight: 0, percentWeight: 0 });

export function emptyTally(): Tally {
  return {
    NOT_STARTED: noItems(),
    IN_PROGRESS: noItems(),
    PAUSED: noItems(),
    DONE: noItems(),
    DECOMMISSIONABLE: noItems(),
    CANCELLED: noItems(),
  };
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

function addSums(a: StatusTally, b: Readonly<StatusTally>): void {
  a.items += b.items;
  a.weight += b.weight;
  a.percentWeight += b.percentWeight;
}

/** Adds `from` into `into` in place (the fold's inner loop; allocation-free on purpose). */
export function addTally(into: Tally, from: Readonly<Tally>): void {
  addSums(into.NOT_STARTED, from.NOT_STARTED);
  addSums(into.IN_PROGRESS, from.IN_PROGRESS);
  addSums(into.PAUSED, from.PAUSED);
  addSums(into.DONE, from.DONE);
  addSums(into.DECOMMISSIONABLE, from.DECOMMISSIONABLE);
  addSums(into.CANCELLED, from.CANCELLED);
}

function zeroSums(s: StatusTally): void {
  s.items = s.weight = s.percentWeight = 0;
}

/** Sets every sum to zero, in place (a series reuses its tallies from point to point). */
export function zeroTally(t: Tally): void {
  zeroSums(t.NOT_STARTED);
  zeroSums(t.IN_PROGRESS);
  zeroSums(t.PAUSED);
  zeroSums(t.DONE);
  zeroSums(t.DECOMMISSIONABLE);
  zeroSums(t.CANCELLED);
}

/** One status's sums: `tally[status]`, read by name (a switch) for the reason given above. */
export function sumsOf(t: Tally, status: ItemStatus): StatusTally;
export function sumsOf(t: Readonly<Tally>, status: ItemStatus): Readonly<StatusTally>;
export function sumsOf(t: Tally, status: ItemStatus): StatusTally {
  switch (status) {
    case 'NOT_STARTED':
      return t.NOT_STARTED;
    case 'IN_PROGRESS':
      return t.IN_PROGRESS;
    case 'PAUSED':
      return t.PAUSED;
    case 'DONE':
      return t.DONE;
    case 'DECOMMISSIONABLE':
      return t.DECOMMISSIONABLE;
    case 'CANCELLED':
      return t.CANCELLED;
    default:
      return assertNever(status);
  }
}

/** How many items the tally counts, of every status. */
export function tallyItems(t: Readonly<Tally>): number {
  return (
    t.NOT_STARTED.items +
    t.IN_PROGRESS.items +
    t.PAUSED.items +
    t.DONE.items +
    t.DECOMMISSIONABLE.items +
    t.CANCELLED.items
  );
}

/** The items of these statuses (null: of every status) a tally counts, each status once. */
export function itemsOfStatuses(
  t: Readonly<Tally>,
  statuses: readonly ItemStatus[] | null,
): number {
  if (statuses === null) return tallyItems(t);
  let n = 0;
  for (const status of new Set(statuses)) n += t[status].items;
  return n;
}

export function applyDelta(into: Tally, delta: TallyDelta): void {
  const t = sumsOf(into, delta.status);
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
