import { randomBytes } from 'node:crypto';
import type { LiveEvent } from '../../domain/live-events.js';
import type { Em } from '../../db/em.js';
import { findInitiativesByIds } from '../../db/queries/initiative.queries.js';
import {
  lastOutboxSeqAfter,
  readOutboxAfter,
  type OutboxRow,
} from '../../db/queries/outbox.queries.js';
import {
  findWebhooks,
  hasEnabledWebhooks,
  lockWebhookPosition,
  setWebhookPosition,
} from '../../db/queries/webhook.queries.js';
import { insertDeliveries } from '../../db/queries/webhook-delivery.queries.js';
import { decodeLiveEvent } from '../../db/outbox-payload.js';

/** Outbox rows read by one fan-out. */
export const FAN_OUT_BATCH = 200;

/** The bodies an event gives an endpoint taking `types` (graphql/webhooks/webhook-messages.ts). */
export type MessagesOf = (
  event: LiveEvent,
  initiativeKey: string,
  types: readonly string[],
) => readonly { readonly type: string }[];

/**
 * Turns the next outbox rows after the position 'webhooks' into one delivery row per endpoint
 * and message, and moves the position, in one transaction under the position's lock: a crash
 * before commit leaves the rows to the next run, after commit the deliveries persist. Returns
 * how many rows it read and deliveries it made. `idle` (no endpoint enabled when the caller
 * last looked): the position moves past what has committed without reading it.
 */
export function fanOutOutbox(
  db: Em,
  idle: boolean,
  messagesOf: MessagesOf,
): Promise<{ rows: number; deliveries: number }> {
  return db.transactional(async (tem) => {
    const em = tem as Em;
    const position = await lockWebhookPosition(em);
    if (idle) {
      // Nothing to deliver: the position moves past what has committed without reading it.
      // Reading it (the 200-row batches, each row's payload parsed) held the event loop for
      // 35–46 ms every ten seconds under bulk writes, whose payloads were ~28 KB each. The end
      // is read before the endpoints, so a row committed after an endpoint was made is
      // either past the end read here or seen with that endpoint.
      const end = await lastOutboxSeqAfter(em, position);
      if (end === null) return { rows: 0, deliveries: 0 };
      if (!(await hasEnabledWebhooks(em))) {
        await setWebhookPosition(em, end);
        return { rows: 0, deliveries: 0 };
      }
    }
    const rows = await readOutboxAfter(em, position, FAN_OUT_BATCH);
    if (rows.length === 0) return { rows: 0, deliveries: 0 };
    const hooks = (await findWebhooks(em)).filter((h) => h.disabledAt === null);
    // Only the rows some endpoint takes are parsed.
    const takers = (row: OutboxRow) =>
      hooks.filter(
        // An endpoint gets what committed after it was made, or enabled again, never what came
        // before, whether or not this fan-out had passed those rows then.
        (h) =>
          (h.initiativeId === null || h.initiativeId === row.initiativeId) &&
          row.createdAt.getTime() >= (h.enabledAt ?? h.createdAt).getTime(),
      );
    const taken = rows.flatMap((row) => {
      const to = takers(row);
      return to.length === 0 ? [] : [{ row, to, event: decodeLiveEvent(row.payload) }];
    });
    const keys = new Map(
      (await findInitiativesByIds(em, [...new Set(taken.map((t) => t.row.initiativeId))])).map(
        (i) => [i.id, i.key],
      ),
    );
    const now = new Date();
    // Receivers deduplicate on the id. Outbox sequences and endpoint ids start again in a
    // database seeded anew (`jindu seed --reset`) or restored from a backup, so the id also
    // carries this fan-out's random part: a later message never repeats an earlier one's id.
    const batch = randomBytes(6).toString('hex');
    const deliveries = taken.flatMap(({ row, to, event }) =>
      to.flatMap((h) =>
        messagesOf(event, keys.get(event.initiativeId) ?? '', h.events).map((m) => ({
          webhookId: h.id,
          messageId: `msg_${row.seq}_${h.id}_${m.type.replace('.', '_')}_${batch}`,
          eventType: m.type,
          payload: JSON.stringify(m),
          nextAttemptAt: now,
          createdAt: now,
        })),
      ),
    );
    await insertDeliveries(em, deliveries);
    await setWebhookPosition(em, rows.at(-1)!.seq);
    return { rows: rows.length, deliveries: deliveries.length };
  });
}
