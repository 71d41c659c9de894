import type { ReadTime } from '../../domain/replay-items.js';
import type { Em } from '../em.js';
import { timeParam } from './as-of.queries.js';
import type { TallyRow } from './workstream.queries.js';

export interface SnapshotHeader {
  readonly id: number;
  readonly initiativeId: number;
  /** ms */
  readonly effectiveAt: number;
  readonly recordedAt: number;
}

const ms = (v: unknown) => new Date(v as string | number | Date).getTime();
const CHUNK = 500;

const header = (initiativeId: number, row: Record<string, unknown> | undefined) =>
  row
    ? {
        id: Number(row.id),
        initiativeId,
        effectiveAt: ms(row.effective_at),
        recordedAt: ms(row.recorded_at),
      }
    : null;

/**
 * The snapshot a read at `t` may start from going forward: effective at or before `asOf` and
 * recorded at or before `knownAt`, the latest effective first (the fewest log rows left to add).
 * One effective after it was recorded (older releases took them for a time in the settle window)
 * is skipped: the rows it lacks are not all found on the back-dated rows' index.
 */
export async function findUsableSnapshot(
  em: Em,
  initiativeId: number,
  t: ReadTime,
): Promise<SnapshotHeader | null> {
  const [row] = await em.execute(
    `select id, effective_at, recorded_at from tally_snapshot
      where initiative_id = ? and effective_at <= ? and recorded_at <= ?
        and effective_at <= recorded_at
      order by effective_at desc, recorded_at desc limit 1`,
    [initiativeId, timeParam(em, t.asOf), timeParam(em, t.knownAt)],
  );
  return header(initiativeId, row);
}

/**
 * The snapshot a read at `t` may start from going backward: effective after `asOf`, recorded
 * at or before `knownAt` (and effective at or before it was recorded), the earliest effective
 * first.
 */
export async function findSnapshotAfter(
  em: Em,
  initiativeId: number,
  t: ReadTime,
): Promise<SnapshotHeader | null> {
  const [row] = await em.execute(
    `select id, effective_at, recorded_at from tally_snapshot
      where initiative_id = ? and effective_at > ? and recorded_at <= ?
        and effective_at <= recorded_at
      order by effective_at, recorded_at desc limit 1`,
    [initiativeId, timeParam(em, t.asOf), timeParam(em, t.knownAt)],
  );
  return header(initiativeId, row);
}

/** A snapshot row as the database gives it (numbers may come as strings from PostgreSQL). */
export interface SnapshotRow {
  readonly workstream_id: unknown;
  readonly status: string;
  readonly items: unknown;
  readonly weight: unknown;
  readonly percent_weight: unknown;
}

/** A snapshot's rows, no object made per row beyond the driver's (packed by as-of-cache.ts). */
export async function findSnapshotRowsAsRead(
  em: Em,
  snapshot: SnapshotHeader,
): Promise<SnapshotRow[]> {
  return (await em.execute(
    'select workstream_id, status, items, weight, percent_weight from tally_snapshot_row where snapshot_id = ?',
    [snapshot.id],
  )) as SnapshotRow[];
}

/** Writes a snapshot (header and rows) in the caller's transaction; returns its id. */
export async function insertSnapshot(
  em: Em,
  initiativeId: number,
  t: ReadTime,
  rows: readonly Omit<TallyRow, 'initiativeId'>[],
): Promise<number> {
  const [head] = await em.execute(
    'insert into tally_snapshot (initiative_id, effective_at, recorded_at) values (?, ?, ?) returning id',
    [initiativeId, timeParam(em, t.asOf), timeParam(em, t.knownAt)],
    'all',
  );
  const id = Number(head!.id);
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK);
    await em.execute(
      `insert into tally_snapshot_row (snapshot_id, workstream_id, status, items, weight, percent_weight)
        values ${chunk.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
      chunk.flatMap((r) => [id, r.workstreamId, r.status, r.items, r.weight, r.percentWeight]),
      'run',
    );
  }
  return id;
}

/** How many item rows of an initiative were recorded after `since` (ms). */
export async function countItemRowsSince(
  em: Em,
  initiativeId: number,
  since: number,
): Promise<number> {
  const [row] = await em.execute(
    'select count(*) as n from change_log where initiative_id = ? and recorded_at > ? and item_id is not null',
    [initiativeId, timeParam(em, since)],
  );
  return Number(row?.n ?? 0);
}

/** When each initiative's newest snapshot was recorded (ms; initiatives without one are absent). */
export async function findNewestSnapshotTimes(em: Em): Promise<Map<number, number>> {
  const rows = await em.execute(
    'select initiative_id, max(recorded_at) as at from tally_snapshot group by initiative_id',
  );
  return new Map(rows.map((r) => [Number(r.initiative_id), ms(r.at)]));
}
