import { byEffective, visibleAt, type LogEntry, type ReadTime } from './replay-items.js';

/** A milestone as the report and the report model read it. */
export interface MilestoneFields {
  readonly id: number;
  readonly workstreamId: number | null;
  readonly name: string;
  readonly dueDate: string;
  readonly duePrecision: string;
  readonly originalDueDate: string;
  readonly originalDuePrecision: string;
  readonly doneDate: string | null;
  readonly note: string | null;
}

/** A `MilestoneSet` row's payload: the milestone as that write left it. */
interface MilestoneSet {
  readonly milestoneId: number;
  readonly name: string;
  readonly due: string;
  readonly doneDate: string | null;
  /** Absent on rows logged before these were. */
  readonly duePrecision?: string;
  readonly milestoneNote?: string | null;
  readonly scopeWorkstreamId?: number | null;
}

/**
 * The milestones as they stood at a read time, from their `MilestoneSet` rows (one per write):
 * each as its last row visible then left it, its original due date the first visible row's. A
 * milestone none of whose rows is visible did not exist yet (as known then) and is left out; one
 * with no row at all predates the log and is read as it is now. Rows logged before a write
 * recorded precision, note and workstream take today's, and a due date other than today's (or
 * the original) a day's precision.
 */
export function milestonesAt<M extends MilestoneFields>(
  current: readonly M[],
  rows: readonly LogEntry[],
  t: ReadTime,
): M[] {
  // Per milestone with any row: its visible rows, in effective order.
  const visible = new Map<number, MilestoneSet[]>();
  for (const row of [...rows].sort(byEffective)) {
    if (row.kind !== 'MilestoneSet' || row.data === null) continue;
    const set = JSON.parse(row.data) as MilestoneSet;
    let of = visible.get(set.milestoneId);
    if (!of) visible.set(set.milestoneId, (of = []));
    if (visibleAt(row, t)) of.push(set);
  }
  const out: M[] = [];
  for (const m of current) {
    const of = visible.get(m.id);
    if (!of) {
      out.push(m);
      continue;
    }
    const first = of[0];
    const last = of.at(-1);
    if (!first || !last) continue;
    const precisionOf = (s: MilestoneSet) =>
      s.duePrecision ??
      (s.due === m.dueDate
        ? m.duePrecision
        : s.due === m.originalDueDate
          ? m.originalDuePrecision
          : 'DAY');
    out.push({
      ...m,
      name: last.name,
      dueDate: last.due,
      duePrecision: precisionOf(last),
      originalDueDate: first.due,
      originalDuePrecision: precisionOf(first),
      doneDate: last.doneDate,
      note: last.milestoneNote !== undefined ? last.milestoneNote : m.note,
      workstreamId: last.scopeWorkstreamId !== undefined ? last.scopeWorkstreamId : m.workstreamId,
    });
  }
  return out;
}

/**
 * The metrics defined by a read time: those whose `MetricDefined` row is visible then, and
 * those with no such row (defined before the log). A metric's definition never changes after.
 */
export function metricsDefinedAt<M extends { readonly id: number }>(
  current: readonly M[],
  rows: readonly LogEntry[],
  t: ReadTime,
): M[] {
  const logged = new Set<number>();
  const visible = new Set<number>();
  for (const row of rows) {
    if (row.kind !== 'MetricDefined' || row.data === null) continue;
    const { metricId } = JSON.parse(row.data) as { metricId: number };
    logged.add(metricId);
    if (visibleAt(row, t)) visible.add(metricId);
  }
  return current.filter((m) => !logged.has(m.id) || visible.has(m.id));
}

/** A report model's metrics and milestones at a read time (the two replays above, one log). */
export function reportModelAsOf<
  R extends {
    readonly metrics: readonly { readonly id: number }[];
    readonly milestones: readonly MilestoneFields[];
  },
>(model: R, rows: readonly LogEntry[], t: ReadTime): R {
  return {
    ...model,
    metrics: metricsDefinedAt(model.metrics, rows, t),
    milestones: milestonesAt(model.milestones, rows, t),
  };
}
