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

/** Every column but the item's status columns and `data` depends only on the event's base. */
function item(e: Extract<ChangeEvent, { itemId: number }>) {
  return { ...EMPTY, workstreamId: e.workstreamId, itemId: e.itemId, version: e.version };
}

const BASE_FIELDS = new Set(['type', 'initiativeId', 'workstreamId', 'effectiveAt', 'note']);

function payloadOf(event: ChangeEvent): Record<string, unknown> {
  return Object.fromEntries(Object.entries(event).filter(([k]) => !BASE_FIELDS.has(k)));
}

/** Maps an event to its row. Item events use the columns; the others keep `data` (JSON). */
export function toLogRow(event: ChangeEvent, actor: string, recordedAt: Date): ChangeLogRow {
  const base = {
    initiativeId: event.initiativeId,
    kind: event.type,
    actor,
    note: event.note ?? null,
    effectiveAt: event.effectiveAt,
    recordedAt,
  };
  switch (event.type) {
    case 'ItemCreated':
    case 'ItemRestored':
      return {
        ...base,
        ...item(event),
        toStatus: event.state.status,
        toPercent: event.state.percent,
        weight: event.state.weight,
      };
    case 'ItemDeleted':
      return {
        ...base,
        ...item(event),
        fromStatus: event.state.status,
        fromPercent: event.state.percent,
        weight: event.state.weight,
      };
    case 'ItemStatusChanged':
      return {
        ...base,
        ...item(event),
        fromStatus: event.from.status,
        fromPercent: event.from.percent,
        toStatus: event.to.status,
        toPercent: event.to.percent,
        weight: event.weight,
      };
    case 'ItemWeightChanged':
      return {
        ...base,
        ...item(event),
        fromStatus: event.state.status,
        fromPercent: event.state.percent,
        toStatus: event.state.status,
        toPercent: event.state.percent,
        weight: event.to,
        data: JSON.stringify({ from: event.from, to: event.to }),
      };
    case 'ItemMoved':
      return {
        ...base,
        ...item(event),
        fromStatus: event.state.status,
        fromPercent: event.state.percent,
        toStatus: event.state.status,
        toPercent: event.state.percent,
        weight: event.state.weight,
        data: JSON.stringify({ from: event.from, to: event.to }),
      };
    case 'ItemRenamed':
    case 'ItemNoteSet':
      return { ...base, ...item(event), data: JSON.stringify({ from: event.from, to: event.to }) };
    default:
      // Workstream and initiative events: their payload beyond the base fields, as JSON.
      return {
        ...base,
        ...EMPTY,
        workstreamId: 'workstreamId' in event ? event.workstreamId : null,
        itemId: null,
        data: JSON.stringify(payloadOf(event)),
      };
  }
}
