import type { ItemStatus, StatusLabelOverrides } from './item-status.js';

/**
 * What a write did, as typed facts: a use-case returns these and the write pipeline turns them
 * into change-log rows, counter deltas and cache invalidation. Each event carries what a replay
 * needs to rebuild every figure from the log alone (an item's weight on every item event, a
 * workstream's parent, weight and manual percent when it appears). Times: `effectiveAt` is when
 * it happened (a caller may back-date); the time it was recorded is the pipeline's clock.
 */
interface Base {
  readonly initiativeId: number;
  readonly effectiveAt: Date;
  readonly note?: string | null;
}

/** An item as a replay counts it. */
export interface ItemState {
  readonly status: ItemStatus;
  readonly percent: number;
  readonly weight: number;
}

interface ItemBase extends Base {
  readonly workstreamId: number;
  readonly itemId: number;
  /** The item's version after the change. */
  readonly version: number;
}

interface WorkstreamBase extends Base {
  readonly workstreamId: number;
}

/** A change of one attribute, before and after. */
export interface Change<T> {
  readonly from: T;
  readonly to: T;
}

export type WorkstreamPlace = { readonly parentId: number | null; readonly position: number };

export interface WorkstreamState extends WorkstreamPlace {
  readonly name: string;
  readonly phase: string | null;
  readonly weightCenti: number;
  readonly manualPercentBp: number | null;
  readonly targetDate: string | null;
  readonly reportDetail: string;
}

export interface InitiativeState {
  readonly key: string;
  readonly name: string;
  readonly rollupPolicy: Readonly<Record<string, string>> | null;
  readonly statusLabels: StatusLabelOverrides | null;
  /**
   * The report's fields, logged on creation since they replay into past reports; absent from
   * rows written before (a replay then takes the earliest value known: replay-structure.ts).
   */
  readonly objective?: string | null;
  readonly phase?: string | null;
  readonly targetDate?: string | null;
  readonly reportLowPercentBucket?: number | null;
}

export type ChangeEvent =
  | (ItemBase & { readonly type: 'ItemCreated'; readonly state: ItemState })
  | (ItemBase & {
      readonly type: 'ItemStatusChanged';
      readonly weight: number;
      readonly from: Omit<ItemState, 'weight'>;
      readonly to: Omit<ItemState, 'weight'>;
    })
  | (ItemBase & { readonly type: 'ItemWeightChanged'; readonly state: ItemState } & Change<number>)
  | (ItemBase & { readonly type: 'ItemDeleted'; readonly state: ItemState })
  | (ItemBase & { readonly type: 'ItemRestored'; readonly state: ItemState })
  | (WorkstreamBase & { readonly type: 'WorkstreamCreated'; readonly state: WorkstreamState })
  | (WorkstreamBase & { readonly type: 'WorkstreamMoved' } & Change<WorkstreamPlace>)
  | (WorkstreamBase & { readonly type: 'WorkstreamRenamed' } & Change<string>)
  | (WorkstreamBase & { readonly type: 'WorkstreamPhaseSet' } & Change<string | null>)
  | (WorkstreamBase & { readonly type: 'WorkstreamReweighted' } & Change<number>)
  | (WorkstreamBase & { readonly type: 'WorkstreamManualPercentSet' } & Change<number | null>)
  | (WorkstreamBase & { readonly type: 'WorkstreamTargetDateSet' } & Change<string | null>)
  | (WorkstreamBase & { readonly type: 'WorkstreamReportDetailSet' } & Change<string>)
  /** `subtree`: every workstream that left (or came back) with it, itself included. */
  | (WorkstreamBase & { readonly type: 'WorkstreamDeleted'; readonly subtree: readonly number[] })
  | (WorkstreamBase & { readonly type: 'WorkstreamRestored'; readonly subtree: readonly number[] })
  | (Base & { readonly type: 'InitiativeCreated'; readonly state: InitiativeState })
  | (Base & { readonly type: 'InitiativePolicyChanged' } & Change<Record<string, string> | null>)
  | (Base & {
      readonly type: 'InitiativeLabelsChanged';
    } & Change<StatusLabelOverrides | null>)
  | ItemEditEvent
  | InitiativeEditEvent
  | HealthEvent
  | ReportModelEvent;

/** Events that change an item's row and its workstream's counters, and no workstream's row. */
export const ITEM_EVENT_TYPES: readonly ChangeEvent['type'][] = [
  'ItemCreated',
  'ItemStatusChanged',
  'ItemWeightChanged',
  'ItemDeleted',
  'ItemRestored',
  'ItemMoved',
  'ItemRenamed',
  'ItemNoteSet',
];

export type ChangeEventType = ChangeEvent['type'];

/**
 * Rows only the upgrade from a release without a complete log writes: "at this time the object
 * stood exactly so". A replay takes a baseline as the object's whole state from then on.
 */
export const BASELINE_TYPES = ['ItemBaseline', 'WorkstreamBaseline', 'InitiativeBaseline'] as const;
export type BaselineType = (typeof BASELINE_TYPES)[number];

/** Every type a change-log row can have, in a fixed order (GraphQL lists them so). */
export const CHANGE_EVENT_TYPES: readonly (ChangeEventType | BaselineType)[] = [
  'ItemCreated',
  'ItemStatusChanged',
  'ItemWeightChanged',
  'ItemDeleted',
  'ItemRestored',
  'WorkstreamCreated',
  'WorkstreamMoved',
  'WorkstreamRenamed',
  'WorkstreamPhaseSet',
  'WorkstreamReweighted',
  'WorkstreamManualPercentSet',
  'WorkstreamTargetDateSet',
  'WorkstreamReportDetailSet',
  'WorkstreamDeleted',
  'WorkstreamRestored',
  'InitiativeCreated',
  'InitiativePolicyChanged',
  'InitiativeLabelsChanged',
  ...BASELINE_TYPES,
  'ItemMoved',
  'ItemRenamed',
  'ItemNoteSet',
  'InitiativeRenamed',
  'InitiativeObjectiveSet',
  'InitiativePhaseSet',
  'InitiativeTargetDateSet',
  'InitiativeLowPercentBucketSet',
  'InitiativeArchived',
  'InitiativeRestored',
  'HealthSet',
  'HealthCleared',
  'ItemStageChanged',
  'StagesDefined',
  'MetricDefined',
  'MetricReadingRecorded',
  'MilestoneSet',
  'NamedFiguresSet',
  'UpdatePosted',
];

/** The workstream an event belongs to (null for an initiative event). */
export function workstreamOf(event: ChangeEvent): number | null {
  return 'workstreamId' in event ? event.workstreamId : null;
}

/** The item an event belongs to (null for a workstream or initiative event). */
export function itemOf(event: ChangeEvent): number | null {
  return 'itemId' in event ? event.itemId : null;
}

/**
 * Item edits (updateItem, moveItem). `ItemMoved`: `workstreamId` is where the item now is, `from`
 * and `to` the workstreams it left and entered; `state` is the item as it moved, so a replay
 * takes it out of one tally and into the other. Renames and notes move no figure but are logged,
 * with the item's state (and weight) as every item event has it.
 */
export type ItemEditEvent =
  | (ItemBase & { readonly type: 'ItemMoved'; readonly state: ItemState } & Change<number>)
  | (ItemBase & { readonly type: 'ItemRenamed'; readonly state: ItemState } & Change<string>)
  | (ItemBase & {
      readonly type: 'ItemNoteSet';
      readonly state: ItemState;
    } & Change<string | null>);

/**
 * Initiative edits (updateInitiative, archiveInitiative, restoreInitiative). The bucket and
 * objective shape report lines; archiving takes an initiative out of lists and reports.
 */
export type InitiativeEditEvent =
  | (Base & { readonly type: 'InitiativeRenamed' } & Change<string>)
  | (Base & { readonly type: 'InitiativeObjectiveSet' } & Change<string | null>)
  | (Base & { readonly type: 'InitiativePhaseSet' } & Change<string | null>)
  | (Base & { readonly type: 'InitiativeTargetDateSet' } & Change<string | null>)
  | (Base & { readonly type: 'InitiativeLowPercentBucketSet' } & Change<number | null>)
  | (Base & { readonly type: 'InitiativeArchived' })
  | (Base & { readonly type: 'InitiativeRestored' });

/**
 * A health set by hand (setHealth) or cleared (clearHealth), on a workstream (`workstreamId`)
 * or on the initiative itself (no `workstreamId`). It moves no figure; the log is where the
 * override lives, with its actor, until a later row clears it.
 */
export type HealthEvent =
  | (Base & { readonly type: 'HealthSet'; readonly status: string; readonly reason: string })
  | (WorkstreamBase & {
      readonly type: 'HealthSet';
      readonly status: string;
      readonly reason: string;
    })
  | (Base & { readonly type: 'HealthCleared' })
  | (WorkstreamBase & { readonly type: 'HealthCleared' });

/** An item's stage with the status and percent it counts as (see domain/stages.ts). */
export interface StagedState {
  readonly stage: string | null;
  readonly status: ItemStatus;
  readonly percent: number;
}

/**
 * The report model's events. `ItemStageChanged` carries the item's whole credit-relevant state
 * before and after (status, percent, weight), as ItemStatusChanged does, so the counters and a
 * replay of the log need nothing stage-specific. The others move no figure and are logged for
 * the history (a metric's readings also keep their own bitemporal rows).
 */
export type ReportModelEvent =
  | (ItemBase & {
      readonly type: 'ItemStageChanged';
      readonly weight: number;
      readonly from: StagedState;
      readonly to: StagedState;
      readonly stageNote: string | null;
    })
  | (Base & {
      readonly type: 'StagesDefined';
      readonly scopeWorkstreamId: number | null;
      readonly stages: readonly { readonly name: string; readonly percent: number }[];
    })
  | (Base & { readonly type: 'MetricDefined'; readonly metricId: number; readonly name: string })
  | (Base & {
      readonly type: 'MetricReadingRecorded';
      readonly metricId: number;
      readonly value: string;
      readonly lowerBound: boolean;
      readonly period: string | null;
    })
  | (Base & {
      readonly type: 'MilestoneSet';
      readonly milestoneId: number;
      readonly name: string;
      readonly due: string;
      readonly doneDate: string | null;
      /** The milestone as it now stands beyond its dates (rows logged before 2026-12 lack them). */
      readonly duePrecision: string;
      readonly milestoneNote: string | null;
      /** The workstream it belongs to; null: the initiative's own. */
      readonly scopeWorkstreamId: number | null;
    })
  | (Base & {
      readonly type: 'NamedFiguresSet';
      readonly figures: readonly {
        readonly name: string;
        readonly scopeWorkstreamId: number | null;
      }[];
    })
  | (Base & { readonly type: 'UpdatePosted'; readonly updateId: number; readonly week: string });
