import { randomBytes, randomUUID } from 'node:crypto';
import { isAdminFor, type Principal } from '../../domain/access.js';
import { DomainError } from '../../domain/errors.js';
import { assertWebhookEvents, assertWebhookRoom } from '../../domain/webhook-rules.js';
import type { Em } from '../../db/em.js';
import { findInitiativeByKey } from '../../db/queries/initiative.queries.js';
import {
  countWebhooks,
  lockWebhookScope,
  deleteWebhookRow,
  findWebhooks,
  insertWebhook,
  updateWebhookRow,
  type WebhookRow,
} from '../../db/queries/webhook.queries.js';
import {
  findDeliveries,
  findDelivery,
  insertDelivery,
  retryDelivery,
  type DeliveryRow,
} from '../../db/queries/webhook-delivery.queries.js';
import { checkWebhookUrl } from './url-policy.js';

/**
 * Endpoints and their deliveries, for admins: a global admin for endpoints of every initiative,
 * an initiative's admin for that initiative's. Endpoints an admin may not manage look not-found.
 */
export interface WebhookAdmin {
  readonly em: Em;
  readonly principal: Principal;
  readonly allowPrivate: boolean;
}

const notFound = (what: string) => new DomainError('NOT_FOUND', `${what}不存在`, ['id']);

export function mayManage(principal: Principal, hook: Pick<WebhookRow, 'initiativeId'>): boolean {
  return isAdminFor(principal, hook.initiativeId);
}

/**
 * The endpoint if the caller may manage it; otherwise NOT_FOUND on `refused` (the input field
 * the caller named, and the same answer as for one that does not exist).
 */
async function own(
  a: WebhookAdmin,
  id: number,
  refused: DomainError = notFound('Webhook '),
): Promise<WebhookRow> {
  const [hook] = await findWebhooks(a.em, [id]);
  if (!hook || !mayManage(a.principal, hook)) throw refused;
  return hook;
}

export async function createWebhook(
  a: WebhookAdmin,
  input: { url: string; events: readonly string[]; initiativeKey?: string | null; actor: string },
): Promise<{ hook: WebhookRow; secret: string }> {
  let initiativeId: number | null = null;
  if (input.initiativeKey) {
    const initiative = await findInitiativeByKey(a.em, input.initiativeKey);
    if (!initiative || !isAdminFor(a.principal, initiative.id))
      throw new DomainError('NOT_FOUND', `项目不存在：${input.initiativeKey}`, ['initiativeKey']);
    initiativeId = initiative.id;
  } else if (!isAdminFor(a.principal, null))
    throw new DomainError(
      'INVALID_INPUT',
      '只有全局 admin 可以订阅所有项目；请给出 initiativeKey',
      ['initiativeKey'],
    );
  const events = assertWebhookEvents(input.events);
  const url = (await checkWebhookUrl(input.url, a.allowPrivate)).toString();
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  // Counted and inserted under the scope's lock (the URL's lookup done before it), so creates
  // at once cannot pass the cap together.
  const id = await (a.em as Em).transactional(async (tem) => {
    await lockWebhookScope(tem as Em, initiativeId);
    assertWebhookRoom(await countWebhooks(tem as Em, initiativeId), input.initiativeKey || null);
    return insertWebhook(tem as Em, {
      url,
      events,
      initiativeId,
      secret,
      createdBy: input.actor,
      createdAt: new Date(),
    });
  });
  return { hook: (await findWebhooks(a.em, [id]))[0]!, secret };
}

export async function updateWebhook(
  a: WebhookAdmin,
  input: {
    id: number;
    url?: string | null;
    events?: readonly string[] | null;
    enabled?: boolean | null;
  },
): Promise<WebhookRow> {
  const hook = await own(a, input.id);
  await updateWebhookRow(a.em, hook.id, {
    // Absent or null keeps the URL; any string given (an empty one too) must be a good one.
    url:
      typeof input.url === 'string'
        ? (await checkWebhookUrl(input.url, a.allowPrivate)).toString()
        : undefined,
    events: input.events ? assertWebhookEvents(input.events) : undefined,
    disabledAt:
      input.enabled === true
        ? null
        : input.enabled === false
          ? (hook.disabledAt ?? new Date())
          : undefined,
    // Enabled again: what was written while it was off is not its to receive (fan-out).
    enabledAt: input.enabled === true && hook.disabledAt !== null ? new Date() : undefined,
  });
  return (await findWebhooks(a.em, [hook.id]))[0]!;
}

export async function deleteWebhook(a: WebhookAdmin, id: number): Promise<void> {
  await deleteWebhookRow(a.em, (await own(a, id)).id);
}

/** The endpoints this admin manages. */
export async function listWebhooks(a: WebhookAdmin): Promise<WebhookRow[]> {
  return (await findWebhooks(a.em)).filter((h) => mayManage(a.principal, h));
}

/** Deliveries, newest first, of the endpoints this admin manages (or of one). */
export async function listDeliveries(
  a: WebhookAdmin,
  q: { first: number; afterId: number | null; webhookId: number | null },
): Promise<DeliveryRow[]> {
  const ids =
    q.webhookId !== null
      ? [(await own(a, q.webhookId)).id]
      : (await listWebhooks(a)).map((h) => h.id);
  return findDeliveries(a.em, { afterId: q.afterId, limit: q.first + 1, webhookIds: ids });
}

/** Sends a delivery again from now, with a fresh attempt budget (same webhook-id). */
export async function redeliver(a: WebhookAdmin, deliveryId: number): Promise<DeliveryRow> {
  const delivery = await findDelivery(a.em, deliveryId);
  const missing = new DomainError('NOT_FOUND', '投递记录不存在', ['deliveryId']);
  if (!delivery) throw missing;
  await own(a, delivery.webhookId, missing);
  await retryDelivery(a.em, delivery.id, new Date());
  return { ...delivery, state: 'pending', attempts: 0 };
}

/** Queues a `webhook.test` message to an endpoint. */
export async function sendTest(a: WebhookAdmin, id: number): Promise<DeliveryRow> {
  const hook = await own(a, id);
  const now = new Date();
  const messageId = `msg_test_${randomUUID()}`;
  const payload = JSON.stringify({ type: 'webhook.test', timestamp: now.toISOString(), data: {} });
  const deliveryId = await insertDelivery(a.em, {
    webhookId: hook.id,
    messageId,
    eventType: 'webhook.test',
    payload,
    nextAttemptAt: now,
    createdAt: now,
  });
  // Read back by its id: looked for among the endpoint's newest 50, it was missed when the
  // fan-out queued more than that for the endpoint meanwhile.
  return (await findDelivery(a.em, deliveryId))!;
}
