import type { ChangeEvent } from './change-events.js';
import { itemDelta, type TallyDelta } from './tally.js';

export interface EventDelta {
  readonly initiativeId: number;
  readonly workstreamId: number;
  readonly delta: TallyDelta;
}

/**
 * The counter deltas a list of events implies: the only way counters change, so the counters
 * and the log cannot disagree. Workstream and initiative events move no counter (a workstream
 * keeps its own items' counts; a deleted one stays unreachable, not zeroed).
 */
export function deltasOf(events: readonly ChangeEvent[]): EventDelta[] {
  const out: EventDelta[] = [];
  const push = (e: { initiativeId: number; workstreamId: number }, delta: TallyDelta) =>
    out.push({ initiativeId: e.initiativeId, workstreamId: e.workstreamId, delta });
  for (const e of events) {
    switch (e.type) {
      case 'ItemCreated':
      case 'ItemRestored':
        push(e, itemDelta(e.state.status, e.state.weight, e.state.percent, 1));
        break;
      case 'ItemDeleted':
        push(e, itemDelta(e.state.status, e.state.weight, e.state.percent, -1));
        break;
      case 'ItemStatusChanged':
      case 'ItemStageChanged':
        push(e, itemDelta(e.from.status, e.weight, e.from.percent, -1));
        push(e, itemDelta(e.to.status, e.weight, e.to.percent, 1));
        break;
      case 'ItemWeightChanged':
        push(e, itemDelta(e.state.status, e.from, e.state.percent, -1));
        push(e, itemDelta(e.state.status, e.to, e.state.percent, 1));
        break;
      case 'ItemMoved':
        // Out of the workstream it left, into the one it entered, as it stood.
        push(
          { ...e, workstreamId: e.from },
          itemDelta(e.state.status, e.state.weight, e.state.percent, -1),
        );
        push(
          { ...e, workstreamId: e.to },
          itemDelta(e.state.status, e.state.weight, e.state.percent, 1),
        );
        break;
      case 'ItemRenamed':
      case 'ItemNoteSet':
      case 'InitiativeRenamed':
      case 'InitiativeObjectiveSet':
      case 'InitiativePhaseSet':
      case 'InitiativeTargetDateSet':
      case 'InitiativeLowPercentBucketSet':
      case 'InitiativeArchived':
      case 'InitiativeRestored':
      case 'WorkstreamCreated':
      case 'WorkstreamMoved':
      case 'WorkstreamRenamed':
      case 'WorkstreamPhaseSet':
      case 'WorkstreamReweighted':
      case 'WorkstreamManualPercentSet':
      case 'WorkstreamTargetDateSet':
      case 'WorkstreamReportDetailSet':
      case 'WorkstreamDeleted':
      case 'WorkstreamRestored':
      case 'InitiativeCreated':
      case 'InitiativePolicyChanged':
      case 'InitiativeLabelsChanged':
      case 'HealthSet':
      case 'HealthCleared':
      case 'StagesDefined':
      case 'MetricDefined':
      case 'MetricReadingRecorded':
      case 'MilestoneSet':
      case 'NamedFiguresSet':
      case 'UpdatePosted':
        break;
      default: {
        const never: never = e;
        throw new Error(`unknown change event ${JSON.stringify(never)}`);
      }
    }
  }
  return out;
}
