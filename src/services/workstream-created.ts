import type { ChangeEvent } from '../domain/change-events.js';
import type { WorkstreamRecord } from '../db/records.js';

/** The event a created workstream is logged with: its whole state as stored. */
export function workstreamCreated(created: WorkstreamRecord, effectiveAt: Date): ChangeEvent {
  return {
    type: 'WorkstreamCreated',
    initiativeId: created.initiativeId,
    workstreamId: created.id,
    state: {
      parentId: created.parentId,
      position: created.position,
      name: created.name,
      phase: created.phase,
      weightCenti: created.weightCenti,
      manualPercentBp: created.manualPercentBp,
      targetDate: created.targetDate,
      reportDetail: created.reportDetail,
    },
    effectiveAt,
  };
}
