import { ITEM_STATUSES } from '../domain/item-status.js';
import { itemRowDeltas, type LogEntry, type ReadTime } from '../domain/replay-items.js';
import { applyDelta, emptyTally, type Tally } from '../domain/tally.js';
import type { Em } from '../db/orm.js';
import { findItemEntries, findItemEntriesSince } from '../db/queries/as-of.queries.js';
import { snapshotTallies } from './as-of-cache.js';
import { findUsableSnapshot, type SnapshotHeader } from '../db/queries/snapshot.queries.js';

export interface AsOfTalliesOptions {
  /** False: ignore snapshots and sum the whole log (tests compare both ways). */
  readonly useSnapshots?: boolean;
  /** Tallies to overwrite in place rather than a fresh map (a series reuses its own). */
  readonly into?: Map<number, Tally>;
  /** The usable snapshot at `t`, when the caller has already looked it up. */
  readonly snapshot?: SnapshotHeader | null;
}

function zero(tally: Tally): void {
  for (const status of ITEM_STATUSES) {
    const s = tally[status];
    s.items = s.weight = s.percentWeight = 0;
  }
}

function addRows(tallies: Map<number, Tally>, entries: readonly LogEntry[]): void {
  const seen = new Set<number>();
  for (const entry of entries) {
    if (seen.has(entry.id)) continue; // found by both range scans
    seen.add(entry.id);
    for (const { workstreamId, delta } of itemRowDeltas(entry)) {
      let tally = tallies.get(workstreamId);
      if (!tally) tallies.set(workstreamId, (tally = emptyTally()));
      applyDelta(tally, delta);
    }
  }
}

/**
 * Every workstream's own tally at a read time: the nearest usable snapshot plus the deltas of
 * the item rows it does not hold (effective or recorded after it, visible at `t`). Each item's
 * rows run forward in effective time (the pipeline refuses them out of order) and each states
 * the item before and after, so the rows after the snapshot sum to exactly the change since.
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
        : await findUsableSnapshot(em, initiativeId, t);
  if (!snapshot) {
    const tallies = opts.into ?? new Map<number, Tally>();
    for (const tally of tallies.values()) zero(tally);
    addRows(tallies, await findItemEntries(em, initiativeId, t.asOf, t.knownAt));
    return tallies;
  }
  const tallies = await snapshotTallies(em, snapshot, opts.into);
  addRows(
    tallies,
    await findItemEntriesSince(
      em,
      initiativeId,
      { asOf: snapshot.effectiveAt, knownAt: snapshot.recordedAt },
      t,
    ),
  );
  return tallies;
}
