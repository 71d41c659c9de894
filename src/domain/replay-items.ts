import type { ItemStatus } from './item-status.js';
import type { TallyDelta } from './tally.js';

/**
 * One change-log row as a replay reads it (times in ms). Every item row states the item's whole
 * state after it (`toStatus`, `toPercent`, `weight`, `workstreamId`; an `ItemDeleted` row: gone),
 * and the state before it (`fromStatus`, `fromPercent`, the weight before: `data.from` of an
 * `ItemWeightChanged`, else `weight`; the workstream before: `data.fromWorkstreamId`, else
 * `workstreamId`). An item event that moves an item must fill `data.fromWorkstreamId`.
 */
export interface LogEntry {
  readonly id: number;
  readonly workstreamId: number | null;
  readonly itemId: number | null;
  readonly kind: string;
  readonly fromStatus: ItemStatus | null;
  readonly fromPercent: number | null;
  readonly toStatus: ItemStatus | null;
  readonly toPercent: number | null;
  readonly weight: number | null;
  readonly data: string | null;
  readonly effectiveAt: number;
  readonly recordedAt: number;
}

/** A point in both times: what stood at `asOf`, as it was known at `knownAt` (ms). */
export interface ReadTime {
  readonly asOf: number;
  readonly knownAt: number;
  /** knownAt was not asked for (it is the read's now): the current knowledge of asOf. */
  readonly knownAtIsNow?: boolean;
}

/** An item as a replay counts it: where it sits and what it counts for. */
export interface ItemReplayState {
  readonly workstreamId: number;
  readonly status: ItemStatus;
  readonly percent: number;
  readonly weight: number;
}

export const visibleAt = (row: LogEntry, t: ReadTime): boolean =>
  row.effectiveAt <= t.asOf && row.recordedAt <= t.knownAt;

/** Effective order, ties by recording order (the id): the order a replay applies rows in. */
export const byEffective = (a: LogEntry, b: LogEntry): number =>
  a.effectiveAt - b.effectiveAt || a.id - b.id;

function dataOf(row: Pick<LogEntry, 'data'>): Record<string, unknown> | null {
  return row.data ? (JSON.parse(row.data) as Record<string, unknown>) : null;
}

/** The item's state after the row; null when the row leaves it deleted. */
export function itemStateAfter(row: LogEntry): ItemReplayState | null {
  if (row.kind === 'ItemDeleted' || row.toStatus === null) return null;
  return {
    workstreamId: row.workstreamId!,
    status: row.toStatus,
    percent: row.toPercent ?? 0,
    weight: row.weight ?? 1,
  };
}

/** What of a log row its tally deltas depend on (an item row's fields, times aside). */
export type ItemRowFields = Pick<
  LogEntry,
  | 'itemId'
  | 'workstreamId'
  | 'kind'
  | 'fromStatus'
  | 'fromPercent'
  | 'toStatus'
  | 'toPercent'
  | 'weight'
  | 'data'
>;

/**
 * What the row changes in the workstreams' tallies: minus the state before, plus the state
 * after, each handed to `add` (count, Σ weight, Σ weight × percent) without allocating, for the
 * loops that add hundreds of rows per read. A baseline restates the state its item's earlier
 * rows already give (the upgrade wrote it from them), so it moves nothing.
 */
export function forEachItemRowDelta(
  row: ItemRowFields,
  add: (
    workstreamId: number,
    status: ItemStatus,
    items: number,
    weight: number,
    percentWeight: number,
  ) => void,
): void {
  if (row.itemId === null || row.kind === 'ItemBaseline') return;
  if (row.fromStatus !== null) {
    const data = dataOf(row);
    const weight = row.kind === 'ItemWeightChanged' ? Number(data?.from) : (row.weight ?? 1);
    const ws =
      typeof data?.fromWorkstreamId === 'number' ? data.fromWorkstreamId : row.workstreamId!;
    add(ws, row.fromStatus, -1, -weight, -weight * (row.fromPercent ?? 0));
  }
  if (row.kind !== 'ItemDeleted' && row.toStatus !== null) {
    const weight = row.weight ?? 1;
    add(row.workstreamId!, row.toStatus, 1, weight, weight * (row.toPercent ?? 0));
  }
}

/** The row's tally deltas as a list (see forEachItemRowDelta). */
export function itemRowDeltas(row: ItemRowFields): { workstreamId: number; delta: TallyDelta }[] {
  const out: { workstreamId: number; delta: TallyDelta }[] = [];
  forEachItemRowDelta(row, (workstreamId, status, items, weight, percentWeight) =>
    out.push({ workstreamId, delta: { status, items, weight, percentWeight } }),
  );
  return out;
}

/**
 * Every item's state at a read time, by brute force: the last visible row of each item in
 * effective order. Items deleted then (or not yet created) are absent.
 */
export function replayItems(rows: readonly LogEntry[], t: ReadTime): Map<number, ItemReplayState> {
  const last = new Map<number, LogEntry>();
  for (const row of rows) {
    if (row.itemId === null || !visibleAt(row, t)) continue;
    // A row that states no status (a rename, a note) leaves the item as it was.
    if (row.toStatus === null && row.kind !== 'ItemDeleted') continue;
    const prev = last.get(row.itemId);
    if (!prev || byEffective(prev, row) < 0) last.set(row.itemId, row);
  }
  const states = new Map<number, ItemReplayState>();
  for (const [id, row] of last) {
    const state = itemStateAfter(row);
    if (state) states.set(id, state);
  }
  return states;
}
