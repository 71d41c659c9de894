import type { ItemStatus } from './item-status.js';
import { itemDelta, type TallyDelta } from './tally.js';

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

function dataOf(row: LogEntry): Record<string, unknown> | null {
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

/**
 * What the row changes in the workstreams' tallies: minus the state before, plus the state
 * after. A baseline restates the state its item's earlier rows already give (the upgrade wrote
 * it from them), so it moves nothing.
 */
export function itemRowDeltas(row: LogEntry): { workstreamId: number; delta: TallyDelta }[] {
  if (row.itemId === null || row.kind === 'ItemBaseline') return [];
  const out: { workstreamId: number; delta: TallyDelta }[] = [];
  const data = row.fromStatus !== null || row.kind === 'ItemWeightChanged' ? dataOf(row) : null;
  if (row.fromStatus !== null) {
    const weight = row.kind === 'ItemWeightChanged' ? Number(data?.from) : (row.weight ?? 1);
    const ws =
      typeof data?.fromWorkstreamId === 'number' ? data.fromWorkstreamId : row.workstreamId!;
    out.push({
      workstreamId: ws,
      delta: itemDelta(row.fromStatus, weight, row.fromPercent ?? 0, -1),
    });
  }
  const after = itemStateAfter(row);
  if (after)
    out.push({
      workstreamId: after.workstreamId,
      delta: itemDelta(after.status, after.weight, after.percent, 1),
    });
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
