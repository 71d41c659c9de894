import type { ChangeEvent } from '../domain/change-events.js';
import type { ItemStatus } from '../domain/item-status.js';

/** One change-log row, as written (see entities/change-log.entity.ts for the columns' meaning). */
export interface ChangeLogRow {
  readonly initiativeId: number;
  readonly workstreamId: number | null;
  readonly itemId: number | null;
  readonly kind: string;
  readonly fromStatus: ItemStatus | null;
  readonly fromPercent: number | null;
  readonly toStatus: ItemStatus | null;
  readonly toPercent: number | null;
  readonly weight: number | null;
  readonly version: number | null;
  /** JSON: what a replay needs beyond the columns (before/after of a workstream or initiative). */
  readonly data: string | null;
  readonly actor: string;
  readonly note: string | null;
  readonly effectiveAt: Date;
  readonly recordedAt: Date;
}

const EMPTY = {
  fromStatus: null,
  fromPercent: null,
  toStatus: null,
  toPercent: null,
  weight: null,
  version: null,
  data: null,
} as const;

type ItemEvent = Extract<ChangeEvent, { itemId: number }>;

/** An item event's row: the item's columns filled, no `data` unless given. */
function itemRow(
  e: ItemEvent,
  actor: string,
  recordedAt: Date,
  from: { readonly status: ItemStatus; readonly percent: number } | null,
  to: { readonly status: ItemStatus; readonly percent: number } | null,
  weight: number,
  data: string | null = null,
): ChangeLogRow {
  return {
    initiativeId: e.initiativeId,
    workstreamId: e.workstreamId,
    itemId: e.itemId,
    kind: e.type,
    fromStatus: from?.status ?? null,
    fromPercent: from?.percent ?? null,
    toStatus: to?.status ?? null,
    toPercent: to?.percent ?? null,
    weight,
    version: e.version,
    data,
    actor,
    note: e.note ?? null,
    effectiveAt: e.effectiveAt,
    recordedAt,
  };
}

const BASE_FIELDS = new Set(['type', 'initiativeId', 'workstreamId', 'effectiveAt', 'note']);

function payloadOf(event: ChangeEvent): Record<string, unknown> {
  return Object.fromEntries(Object.entries(event).filter(([k]) => !BASE_FIELDS.has(k)));
}

/** Maps an event to its row. Item events use the columns; the others keep `data` (JSON). */
export function toLogRow(event: ChangeEvent, actor: string, recordedAt: Date): ChangeLogRow {
  switch (event.type) {
    case 'ItemCreated':
    case 'ItemRestored':
      return itemRow(event, actor, recordedAt, null, event.state, event.state.weight);
    case 'ItemDeleted':
      return itemRow(event, actor, recordedAt, event.state, null, event.state.weight);
    case 'ItemStatusChanged':
      return itemRow(event, actor, recordedAt, event.from, event.to, event.weight);
    case 'ItemStageChanged':
      // The credit as status columns (a replay reads them), the stages and note in `data`.
      return itemRow(
        event,
        actor,
        recordedAt,
        event.from,
        event.to,
        event.weight,
        JSON.stringify({ from: event.from.stage, to: event.to.stage, stageNote: event.stageNote }),
      );
    case 'ItemWeightChanged':
      return itemRow(
        event,
        actor,
        recordedAt,
        event.state,
        event.state,
        event.to,
        JSON.stringify({ from: event.from, to: event.to }),
      );
    case 'ItemMoved':
    case 'ItemRenamed':
    case 'ItemNoteSet':
      // The item as it stood (it did not change status), and what changed in `data`; a move
      // also names the workstream a replay takes the item out of (replay-items.ts).
      return itemRow(
        event,
        actor,
        recordedAt,
        event.state,
        event.state,
        event.state.weight,
        JSON.stringify({
          from: event.from,
          to: event.to,
          ...(event.type === 'ItemMoved' ? { fromWorkstreamId: event.from } : {}),
        }),
      );
    default:
      // Workstream and initiative events: their payload beyond the base fields, as JSON.
      return {
        initiativeId: event.initiativeId,
        kind: event.type,
        actor,
        note: event.note ?? null,
        effectiveAt: event.effectiveAt,
        recordedAt,
        ...EMPTY,
        workstreamId: 'workstreamId' in event ? event.workstreamId : null,
        itemId: null,
        data: JSON.stringify(payloadOf(event)),
      };
  }
}
