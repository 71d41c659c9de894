import type { ChangeEvent } from '../domain/change-events.js';
import { effectiveTime } from '../domain/effective-time.js';
import { DomainError, notFound } from '../domain/errors.js';
import { assertName } from '../domain/tree-rules.js';
import type { WorkstreamColumnsUpdate, WorkstreamRecord } from '../db/records.js';
import { hasLiveChildren, hasLiveItems, findWorkstream } from '../db/queries/workstream.queries.js';
import { updateWorkstreamColumns } from '../db/queries/workstream-writes.queries.js';
import type { UseCase } from './write-pipeline/use-case.js';
import { workstreamColumns, type WorkstreamFields } from './workstream-input.js';

export interface UpdateWorkstreamProps extends WorkstreamFields {
  readonly id: number;
  readonly name?: string | null;
  /** When it happened (back-dating); absent: now. */
  readonly effectiveAt?: Date | null;
}

const EVENT_OF = {
  name: 'WorkstreamRenamed',
  phase: 'WorkstreamPhaseSet',
  weightCenti: 'WorkstreamReweighted',
  manualPercentBp: 'WorkstreamManualPercentSet',
  targetDate: 'WorkstreamTargetDateSet',
  reportDetail: 'WorkstreamReportDetailSet',
} as const satisfies Record<keyof WorkstreamColumnsUpdate, ChangeEvent['type']>;

function columnsOf(props: UpdateWorkstreamProps): WorkstreamColumnsUpdate {
  const name = props.name === undefined || props.name === null ? undefined : assertName(props.name);
  return { ...workstreamColumns(props), ...(name ? { name } : {}) };
}

/** One event per attribute that really changes, each with its value before and after. */
function changeEvents(
  current: WorkstreamRecord,
  cols: WorkstreamColumnsUpdate,
  effectiveAt: Date,
): ChangeEvent[] {
  const events: ChangeEvent[] = [];
  for (const key of Object.keys(EVENT_OF) as (keyof WorkstreamColumnsUpdate)[]) {
    if (cols[key] === undefined || cols[key] === current[key]) continue;
    events.push({
      type: EVENT_OF[key],
      initiativeId: current.initiativeId,
      workstreamId: current.id,
      from: current[key],
      to: cols[key],
      effectiveAt,
    } as ChangeEvent);
  }
  return events;
}

/** Changes a workstream's own fields; a manual percent only fits a workstream without items. */
export const updateWorkstream: UseCase<UpdateWorkstreamProps, WorkstreamRecord> = {
  name: 'updateWorkstream',
  validate: (props) => void columnsOf(props),
  // Like the structural changes: a concurrent delete or a new child or item cannot slip in
  // between the checks and the update.
  lockTarget: async (tem, props) => (await findWorkstream(tem, props.id))?.initiativeId ?? null,
  async run({ tem, now, inScope }, props) {
    const cols = columnsOf(props);
    const current = await findWorkstream(tem, props.id);
    if (!current || !inScope(current.initiativeId)) throw notFound('工作流', ['id']);
    const effectiveAt = effectiveTime(props.effectiveAt, now, current.effectiveFrom, [
      'effectiveAt',
    ]);
    if (cols.manualPercentBp !== undefined && cols.manualPercentBp !== null) {
      if ((await hasLiveItems(tem, current.id)) || (await hasLiveChildren(tem, current))) {
        throw new DomainError('INVALID_INPUT', '已有事项或下级的工作流不能设置人工进度', [
          'manualPercent',
        ]);
      }
    }
    await updateWorkstreamColumns(tem, current.id, cols, now);
    return {
      result: (await findWorkstream(tem, current.id))!,
      events: changeEvents(current, cols, effectiveAt),
    };
  },
};
