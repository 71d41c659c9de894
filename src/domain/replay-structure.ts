import type { InitiativeState, WorkstreamState } from './change-events.js';
import { byEffective, visibleAt, type LogEntry, type ReadTime } from './replay-items.js';

export interface WorkstreamReplayState extends WorkstreamState {
  readonly id: number;
  readonly deleted: boolean;
}

/** An initiative and its workstreams as they stood at a read time. */
export interface StructureAt {
  /** null before the initiative existed (at that time, as then known). */
  readonly initiative: InitiativeState | null;
  readonly workstreams: ReadonlyMap<number, WorkstreamReplayState>;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Where a workstream lands among its siblings: those at or after its place move down one. */
function place(all: Map<number, Mutable<WorkstreamReplayState>>, ws: WorkstreamReplayState): void {
  for (const other of all.values()) {
    if (other.id !== ws.id && !other.deleted && other.parentId === ws.parentId)
      if (other.position >= ws.position) other.position += 1;
  }
}

function applyWorkstream(
  all: Map<number, Mutable<WorkstreamReplayState>>,
  row: LogEntry,
  data: Record<string, any>,
): void {
  const id = row.workstreamId!;
  const ws = all.get(id);
  switch (row.kind) {
    case 'WorkstreamCreated':
    case 'WorkstreamBaseline': {
      const next = { ...(data.state as WorkstreamState), id, deleted: Boolean(data.deleted) };
      if (row.kind === 'WorkstreamCreated') place(all, next);
      all.set(id, next);
      return;
    }
    case 'WorkstreamDeleted':
    case 'WorkstreamRestored':
      for (const member of [id, ...((data.subtree as number[] | undefined) ?? [])]) {
        const m = all.get(member);
        if (m) m.deleted = row.kind === 'WorkstreamDeleted';
      }
      return;
  }
  if (!ws) return; // a change to a workstream not yet known at this time
  switch (row.kind) {
    case 'WorkstreamMoved':
      ws.parentId = data.to.parentId;
      ws.position = data.to.position;
      place(all, ws);
      return;
    case 'WorkstreamRenamed':
      ws.name = data.to;
      return;
    case 'WorkstreamPhaseSet':
      ws.phase = data.to;
      return;
    case 'WorkstreamReweighted':
      ws.weightCenti = data.to;
      return;
    case 'WorkstreamManualPercentSet':
      ws.manualPercentBp = data.to;
      return;
    case 'WorkstreamTargetDateSet':
      ws.targetDate = data.to;
      return;
    case 'WorkstreamReportDetailSet':
      ws.reportDetail = data.to;
      return;
    default:
      // Kinds this replay does not know move no figure (a future attribute's own event).
      return;
  }
}

function applyInitiative(
  state: InitiativeState | null,
  row: LogEntry,
  data: Record<string, any>,
): InitiativeState | null {
  switch (row.kind) {
    case 'InitiativeCreated':
    case 'InitiativeBaseline':
      return { ...(data.state as InitiativeState) };
    case 'InitiativePolicyChanged':
      return state && { ...state, rollupPolicy: data.to };
    case 'InitiativeLabelsChanged':
      return state && { ...state, statusLabels: data.to };
    default:
      return state; // other initiative events (name, archive…) move no figure
  }
}

/**
 * The initiative and its workstreams at a read time, from the initiative's workstream and
 * initiative rows (any order; item rows are ignored): each row visible then applied in
 * effective order, ties by recording order.
 */
export function replayStructure(rows: readonly LogEntry[], t: ReadTime): StructureAt {
  const visible = rows.filter((r) => r.itemId === null && visibleAt(r, t)).sort(byEffective);
  const workstreams = new Map<number, Mutable<WorkstreamReplayState>>();
  let initiative: InitiativeState | null = null;
  for (const row of visible) {
    const data = (row.data ? JSON.parse(row.data) : {}) as Record<string, any>;
    if (row.workstreamId === null) initiative = applyInitiative(initiative, row, data);
    else applyWorkstream(workstreams, row, data);
  }
  return { initiative, workstreams };
}
