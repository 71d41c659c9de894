import {
  INITIATIVE_NODE,
  percentOfValue,
  type FigureValue,
  type LiveEvent,
} from '../../domain/live-events.js';
import { unitsToItems } from '../../domain/units.js';
import type { WebhookEvent } from '../../domain/webhook-rules.js';
import { toGlobalId } from '../../domain/global-id.js';
import { itemChangeView } from '../live/item-change-view.js';

/** A webhook body, in the Standard Webhooks shape: type, timestamp, data. */
/**
 * Webhook bodies: the outbox event in the API's terms (global ids, percent and item-equivalents),
 * the same ids and figures GraphQL serves. Handed to the delivery worker by the server.
 */
export interface WebhookMessage {
  readonly type: WebhookEvent;
  readonly timestamp: string;
  readonly data: Record<string, unknown>;
}

const figure = (v: FigureValue | null) =>
  v && {
    percent: percentOfValue(v),
    credit: unitsToItems(v.credit),
    counted: unitsToItems(v.counted),
    total: v.total,
  };

/** The messages one outbox event gives an endpoint that takes `types` (none when empty). */
export function messagesOf(
  event: LiveEvent,
  initiativeKey: string,
  types: readonly string[],
): WebhookMessage[] {
  const common = {
    initiativeId: toGlobalId('Initiative', event.initiativeId),
    initiativeKey,
    revision: event.revision,
    actor: event.actor,
    changeIds: event.changeIds.map(String),
  };
  const out: WebhookMessage[] = [];
  if (types.includes('figure.changed') && event.figures.length > 0)
    out.push({
      type: 'figure.changed',
      timestamp: event.recordedAt,
      data: {
        ...common,
        figures: event.figures.map((f) => ({
          nodeId:
            f.nodeId === INITIATIVE_NODE
              ? toGlobalId('Initiative', event.initiativeId)
              : toGlobalId('Workstream', f.nodeId),
          before: figure(f.before),
          after: figure(f.after),
        })),
      },
    });
  if (types.includes('item.changed') && event.items.length > 0)
    out.push({
      type: 'item.changed',
      timestamp: event.recordedAt,
      data: {
        ...common,
        items: event.items.map(itemChangeView),
      },
    });
  // Every write, whatever it changed: what the two above do not carry still moves the revision.
  if (types.includes('initiative.changed'))
    out.push({
      type: 'initiative.changed',
      timestamp: event.recordedAt,
      data: { ...common, types: event.types },
    });
  return out;
}
