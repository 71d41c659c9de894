import type { InitiativeState, WorkstreamState } from './change-events.js';
import { byEffective, visibleAt, type LogEntry, type ReadTime } from './replay-items.js';

export interface WorkstreamReplayState extends WorkstreamState {
  readonly id: number;
  readonly deleted: boolean;
}

/**
 * An initiative as it stood: its logged state, and when it had been archived (ms) or null. A
 * report field absent from the state (a row from before they were logged, never set since
 * then) is left undefined: the earliest value known (`earliestInitiativeFields`) stands in.
 */
export interface InitiativeReplayState extends InitiativeState {
  readonly archivedAt: number | null;
}

/** An initiative and its workstreams as they stood at a read time. */
export interface StructureAt {
  /** null before the initiative existed (at that time, as then known). */
  readonly initiative: InitiativeReplayState | null;
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

/** The initiative's state field each edit event sets (from `data.to`). */
const INITIATIVE_FIELDS: Readonly<Record<string, keyof InitiativeState>> = {
  InitiativePolicyChanged: 'rollupPolicy',
  InitiativeLabelsChanged: 'statusLabels',
  InitiativeRenamed: 'name',
  InitiativeObjectiveSet: 'objective',
  InitiativePhaseSet: 'phase',
  InitiativeTargetDateSet: 'targetDate',
  InitiativeLowPercentBucketSet: 'reportLowPercentBucket',
};

function applyInitiative(
  state: InitiativeReplayState | null,
  row: LogEntry,
  data: Record<string, any>,
): InitiativeReplayState | null {
  switch (row.kind) {
    case 'InitiativeCreated':
    case 'InitiativeBaseline':
      return { ...(data.state as InitiativeState), archivedAt: null };
    case 'InitiativeArchived':
      return state && { ...state, archivedAt: row.effectiveAt };
    case 'InitiativeRestored':
      return state && { ...state, archivedAt: null };
  }
  const field = INITIATIVE_FIELDS[row.kind];
  return state && field ? { ...state, [field]: data.to } : state;
}

/**
 * What an initiative's report fields were before their first logged change: each field's
 * earliest `from` among `rows` (its initiative rows of every time, in any order), the stand-in
 * for a state logged before those fields were. A field never changed is absent: its value
 * today is the value it always had.
 */
export function earliestInitiativeFields(rows: readonly LogEntry[]): Partial<InitiativeState> {
  const out: Record<string, unknown> = {};
  for (const row of [...rows].sort(byEffective)) {
    const field = INITIATIVE_FIELDS[row.kind];
    if (!field || field in out || row.workstreamId !== null || row.itemId !== null) continue;
    out[field] = (row.data ? JSON.parse(row.data) : {}).from;
  }
  return out as Partial<InitiativeState>;
}

/**
 * The initiative and its workstreams at a read time, from the initiative's workstream and
 * initiative rows (any order; item rows are ignored): each row visible then applied in
 * effective order, ties by recording order.
 */
export function replayStructure(rows: readonly LogEntry[], t: ReadTime): StructureAt {
  const visible = rows.filter((r) => r.itemId === null && visibleAt(r, t)).sort(byEffective);
  const workstreams = new Map<number, Mutable<WorkstreamReplayState>>();
  let initiative: InitiativeReplayState | null = null;
  for (const row of visible) {
    const data = (row.data ? JSON.parse(row.data) : {}) as Record<string, any>;
    if (row.workstreamId === null) initiative = applyInitiative(initiative, row, data);
    else applyWorkstream(workstreams, row, data);
  }
  return { initiative, workstreams };
}
