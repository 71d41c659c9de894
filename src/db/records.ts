import type { ItemStatus, StatusLabelOverrides } from '../domain/item-status.js';
import type { ReportDetail } from '../domain/report-detail.js';

/** Plain data the services return; no ORM objects leave the service layer. */
export interface InitiativeRecord {
  readonly id: number;
  readonly key: string;
  readonly name: string;
  readonly objective: string | null;
  readonly phase: string | null;
  readonly targetDate: string | null;
  readonly rollupPolicy: Readonly<Record<string, string>> | null;
  readonly statusLabels: StatusLabelOverrides | null;
  readonly reportLowPercentBucket: number | null;
  /** When it came into being (effective time): nothing about it may be back-dated before. */
  readonly effectiveFrom: Date;
  /** When it was archived (out of lists and reports), or null. */
  readonly archivedAt: Date | null;
}

export interface WorkstreamRecord {
  readonly id: number;
  readonly initiativeId: number;
  readonly parentId: number | null;
  readonly path: string;
  readonly depth: number;
  readonly name: string;
  readonly phase: string | null;
  readonly position: number;
  readonly weightCenti: number;
  readonly manualPercentBp: number | null;
  readonly targetDate: string | null;
  readonly reportDetail: ReportDetail;
  readonly effectiveFrom: Date;
}

export interface ItemRecord {
  readonly id: number;
  readonly initiativeId: number;
  readonly workstreamId: number;
  readonly name: string;
  readonly status: ItemStatus;
  readonly percent: number;
  readonly weight: number;
  readonly note: string | null;
  readonly version: number;
  readonly deleted: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly effectiveFrom: Date;
}

type Row = Record<string, unknown>;

function json<T>(value: unknown): T | null {
  if (value === null || value === undefined) return null;
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** A stored time; a row from before effective times were kept has none: it always existed. */
const dateOr0 = (v: unknown): Date =>
  v === null || v === undefined ? new Date(0) : new Date(v as string | number | Date);
export const dateOrNull = (v: unknown): Date | null =>
  v === null || v === undefined ? null : new Date(v as string | number | Date);
const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export function toInitiative(r: Row): InitiativeRecord {
  return {
    id: num(r.id),
    key: String(r.key),
    name: String(r.name),
    objective: strOrNull(r.objective),
    phase: strOrNull(r.phase),
    targetDate: strOrNull(r.target_date ?? r.targetDate),
    rollupPolicy: json(r.rollup_policy ?? r.rollupPolicy),
    statusLabels: json(r.status_labels ?? r.statusLabels),
    reportLowPercentBucket: numOrNull(r.report_low_percent_bucket ?? r.reportLowPercentBucket),
    effectiveFrom: dateOr0(r.effective_from ?? r.effectiveFrom),
    archivedAt: dateOrNull(r.archived_at ?? r.archivedAt),
  };
}

export function toWorkstream(r: Row): WorkstreamRecord {
  return {
    id: num(r.id),
    initiativeId: num(r.initiative_id),
    parentId: numOrNull(r.parent_id),
    path: String(r.path),
    depth: num(r.depth),
    name: String(r.name),
    phase: strOrNull(r.phase),
    position: num(r.position),
    weightCenti: num(r.weight_centi),
    manualPercentBp: numOrNull(r.manual_percent_bp),
    targetDate: strOrNull(r.target_date),
    reportDetail: r.report_detail === 'BY_NAME' ? 'BY_NAME' : 'BY_PERCENT',
    effectiveFrom: dateOr0(r.effective_from),
  };
}

export function toItem(r: Row): ItemRecord {
  return {
    id: num(r.id),
    initiativeId: num(r.initiative_id),
    workstreamId: num(r.workstream_id),
    name: String(r.name),
    status: r.status as ItemStatus,
    percent: num(r.percent),
    weight: num(r.weight),
    note: strOrNull(r.note),
    version: num(r.version),
    deleted:
      (r.deleted_at !== null && r.deleted_at !== undefined) ||
      Boolean(Number(r.workstream_deleted ?? 0)),
    createdAt: new Date(r.created_at as string | number | Date),
    updatedAt: new Date(r.updated_at as string | number | Date),
    effectiveFrom: dateOr0(r.effective_from ?? r.effectiveFrom),
  };
}

export const INITIATIVE_COLUMNS =
  'id, key, name, objective, phase, target_date, rollup_policy, status_labels, report_low_percent_bucket, effective_from, archived_at';
export const WORKSTREAM_COLUMNS =
  'id, initiative_id, parent_id, path, depth, name, phase, position, weight_centi, manual_percent_bp, target_date, report_detail, effective_from';
export const ITEM_COLUMNS =
  'id, initiative_id, workstream_id, name, status, percent, weight, note, version, deleted_at, created_at, updated_at, effective_from';

/** The editable columns of a workstream, as an update writes them (absent: unchanged). */
export interface WorkstreamColumnsUpdate {
  name?: string;
  phase?: string | null;
  weightCenti?: number;
  manualPercentBp?: number | null;
  targetDate?: string | null;
  reportDetail?: ReportDetail;
}
