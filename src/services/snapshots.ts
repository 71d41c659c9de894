import { ITEM_STATUSES } from '../domain/item-status.js';
import type { Em } from '../db/em.js';
import { findAllInitiatives } from '../db/queries/initiative.queries.js';
import {
  countItemRowsSince,
  findNewestSnapshotTimes,
  insertSnapshot,
} from '../db/queries/snapshot.queries.js';
import type { TallyRow } from '../db/queries/workstream.queries.js';
import { asOfTallies } from './as-of-tallies.js';
import { inTransaction } from './transaction.js';

/**
 * How far before the clock a snapshot's recorded time is put: a write still in flight when the
 * snapshot reads was stamped with its transaction's start, so a snapshot stamped "now" could
 * miss it yet claim to know it. Writes take milliseconds; five minutes is ample.
 */
export const SNAPSHOT_SETTLE_MS = 5 * 60_000;
export const WEEK_MS = 7 * 86_400_000;
/**
 * Item rows recorded since the newest snapshot that call for the next one even before it is a
 * week old: an as-of read adds up the rows between its time and the nearer of the snapshots
 * around it, so this bounds its cost however busy the initiative (1,000,000 rows a year is about
 * 19,000 a week). A read adds about a quarter of it on average; a snapshot costs a row per workstream and status, kept packed in memory
 * (as-of-cache.ts), so a thousand of them (a million log rows) still fit.
 */
export const SNAPSHOT_EVERY_ROWS = 1_000;

export interface TakenSnapshot {
  readonly initiativeId: number;
  readonly effectiveAt: Date;
  readonly recordedAt: Date;
  readonly workstreams: number;
}

/**
 * Snapshots one initiative's per-workstream tallies as they stood at `at` (default, and at most:
 * the settled present), as known now: computed from the log (the nearest older snapshot plus the rows
 * since), never from the live counters, so a back-dated snapshot means what it says.
 */
export async function takeSnapshot(
  em: Em,
  initiativeId: number,
  at: Date | null = null,
  now = Date.now(),
): Promise<TakenSnapshot> {
  const knownAt = now - SNAPSHOT_SETTLE_MS;
  // Never effective after it is known: a read adds back the rows recorded after a snapshot only
  // where they were back-dated (effective before recorded), which covers every row the snapshot
  // lacks exactly when its asOf is at or before its knownAt. A time in the settle window is
  // therefore snapshotted as of the settled present.
  const t = { asOf: Math.min(at?.getTime() ?? knownAt, knownAt), knownAt };
  return inTransaction(em, async (tem) => {
    const rows: Omit<TallyRow, 'initiativeId'>[] = [];
    const tallies = await asOfTallies(tem, initiativeId, t);
    for (const [workstreamId, tally] of tallies)
      for (const status of ITEM_STATUSES) {
        const s = tally[status];
        if (s.items !== 0 || s.weight !== 0 || s.percentWeight !== 0)
          rows.push({ workstreamId, status, ...s });
      }
    await insertSnapshot(tem, initiativeId, t, rows);
    return {
      initiativeId,
      effectiveAt: new Date(t.asOf),
      recordedAt: new Date(t.knownAt),
      workstreams: tallies.size,
    };
  });
}

/**
 * Snapshots every initiative whose newest snapshot is older than `maxAgeMs`, or has more than
 * `maxRows` item rows recorded after it, or that has none.
 */
export async function snapshotStale(
  em: Em,
  maxAgeMs = WEEK_MS,
  maxRows = SNAPSHOT_EVERY_ROWS,
): Promise<TakenSnapshot[]> {
  const now = Date.now();
  const newest = await findNewestSnapshotTimes(em);
  const taken: TakenSnapshot[] = [];
  for (const initiative of await findAllInitiatives(em)) {
    const last = newest.get(initiative.id);
    if (
      last === undefined ||
      now - last >= maxAgeMs ||
      (await countItemRowsSince(em, initiative.id, last)) > maxRows
    )
      taken.push(await takeSnapshot(em, initiative.id, null, now));
  }
  return taken;
}
