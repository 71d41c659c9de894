import { DomainError } from '../domain/errors.js';
import { REPORT_DETAILS, type ReportDetail } from '../domain/report-detail.js';
import { assertWrittenDate, cleanText } from '../domain/tree-rules.js';
import { manualPercentToBasisPoints, workstreamWeightToCenti } from '../domain/units.js';

/** The editable fields of a workstream, as callers send them (undefined = leave as is). */
export interface WorkstreamFields {
  readonly phase?: string | null;
  readonly weight?: number | null;
  /** null clears a manual percent. */
  readonly manualPercent?: number | null;
  readonly targetDate?: string | null;
  readonly reportDetail?: ReportDetail | null;
}

export interface WorkstreamColumns {
  phase?: string | null;
  weightCenti?: number;
  manualPercentBp?: number | null;
  targetDate?: string | null;
  reportDetail?: ReportDetail;
}

/** Validates and converts the fields that are present (domain rules, exact units). */
export function workstreamColumns(fields: WorkstreamFields): WorkstreamColumns {
  const cols: WorkstreamColumns = {};
  if (fields.phase !== undefined) cols.phase = cleanText(fields.phase, 'phase', 200);
  if (fields.weight !== undefined && fields.weight !== null)
    cols.weightCenti = workstreamWeightToCenti(fields.weight);
  if (fields.manualPercent !== undefined) {
    cols.manualPercentBp =
      fields.manualPercent === null ? null : manualPercentToBasisPoints(fields.manualPercent);
  }
  if (fields.targetDate !== undefined) {
    cols.targetDate = fields.targetDate ? assertWrittenDate(fields.targetDate, 'targetDate') : null;
  }
  if (fields.reportDetail !== undefined && fields.reportDetail !== null) {
    if (!REPORT_DETAILS.includes(fields.reportDetail)) {
      throw new DomainError('INVALID_INPUT', '报告明细方式只能是 BY_NAME 或 BY_PERCENT', [
        'reportDetail',
      ]);
    }
    cols.reportDetail = fields.reportDetail;
  }
  return cols;
}

/** A place among siblings: absent, or a whole number from 0. */
export function assertPosition(position: number | null | undefined): void {
  if (position !== undefined && position !== null && (!Number.isInteger(position) || position < 0))
    throw new DomainError('INVALID_INPUT', '位置必须是非负整数', ['position']);
}
