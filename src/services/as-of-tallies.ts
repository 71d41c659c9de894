import type { ItemStatus } from '../domain/item-status.js';
import { forEachItemRowDelta, type ItemRowFields, type ReadTime } from '../domain/replay-items.js';
import { emptyTally, sumsOf, zeroTally, type Tally } from '../domain/tally.js';
import type { Em } from '../db/em.js';
import {
  findBackdatedItemRows,
  findItemEntries,
  findItemRowsEffective,
} from '../db/queries/as-of.queries.js';
import { snapshotTallies } from './as-of-cache.js';
import {
  findSnapshotAfter,
  findUsableSnapshot,
  type SnapshotHeader,
} from '../db/queries/snapshot.queries.js';

export interface AsOfTalliesOptions {
  /** False: ignore snapshots and sum the whole log (tests compare both ways). */
  readonly useSnapshots?: boolean;
  /** Tallies to overwrite in place rather than a fresh map (a series reuses its own). */
  readonly into?: Map<number, Tally>;
  /** The usable snapshot at `t`, when the caller has already looked it up. */
  readonly snapshot?: SnapshotHeader | null;
}

/** Adds (sign 1) or takes away (sign -1) the rows' deltas. */
function addRows(
  tallies: Map<number, Tally>,
  rows: readonly ItemRowFields[],
  sign: 1 | -1 = 1,
): void {
  const add = (
    workstreamId: number,
    status: ItemStatus,
    items: number,
    weight: number,
    percentWeight: number,
  ) => {
    let tally = tallies.get(workstreamId);
    if (!tally) tallies.set(workstreamId, (tally = emptyTally()));
    const s = sumsOf(tally, status);
    s.items += sign * items;
    s.weight += sign * weight;
    s.percentWeight += sign * percentWeight;
  };
  for (const row of rows) forEachItemRowDelta(row, add);
}

/**
 * The nearest snapshot a read at `t` may start from, before or after `asOf` (nearer in time,
 * which in a log written at a steady pace means fewer rows to add), or null.
 */
async function nearestSnapshot(
  em: Em,
  initiativeId: number,
  t: ReadTime,
): Promise<SnapshotHeader | null> {
  const before = await findUsableSnapshot(em, initiativeId, t);
  if (before?.effectiveAt === t.asOf) return before;
  const after = await findSnapshotAfter(em, initiativeId, t);
  if (!before || !after) return before ?? after;
  return after.effectiveAt - t.asOf < t.asOf - before.effectiveAt ? after : before;
}

/**
 * Every workstream's own tally at a read time: the nearest usable snapshot and the item rows
 * between it and the read. Each item's rows run forward in effective time (the pipeline refuses
 * them out of order) and each states the item before and after, so a read's tallies are the sum
 * of the deltas of the rows it sees, and any two reads differ by the rows one sees and the other
 * does not. From a snapshot at (T, R) with T ≤ R:
 * - before the read (T ≤ asOf, R ≤ knownAt): plus the rows effective in (T, asOf] known by
 *   knownAt, plus those recorded in (R, knownAt] yet effective by T (back-dated after it);
 * - after it (asOf < T, R ≤ knownAt): minus the rows effective in (asOf, T] known by R, plus
 *   those recorded in (R, knownAt] yet effective by asOf (back-dated after it).
 * Either way about half the rows between two snapshots at most, and the back-dated ones of the
 * time since the snapshot, found on their own index.
 */
export async function asOfTallies(
  em: Em,
  initiativeId: number,
  t: ReadTime,
  opts: AsOfTalliesOptions = {},
): Promise<Map<number, Tally>> {
  const snapshot =
    opts.useSnapshots === false
      ? null
      : opts.snapshot !== undefined
        ? opts.snapshot
        : await nearestSnapshot(em, initiativeId, t);
  if (!snapshot) {
    const tallies = opts.into ?? new Map<number, Tally>();
    for (const tally of tallies.values()) zeroTally(tally);
    addRows(tallies, await findItemEntries(em, initiativeId, t.asOf, t.knownAt));
    return tallies;
  }
  const tallies = await snapshotTallies(em, snapshot, opts.into);
  const { effectiveAt: T, recordedAt: R } = snapshot;
  if (T <= t.asOf) {
    addRows(tallies, await findItemRowsEffective(em, initiativeId, T, t.asOf, t.knownAt));
    addRows(tallies, await findBackdatedItemRows(em, initiativeId, R, t.knownAt, T));
  } else {
    addRows(tallies, await findItemRowsEffective(em, initiativeId, t.asOf, T, R), -1);
    addRows(tallies, await findBackdatedItemRows(em, initiativeId, R, t.knownAt, t.asOf));
  }
  return tallies;
}
