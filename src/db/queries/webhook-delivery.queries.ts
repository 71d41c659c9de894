import { dialectOf, type Em } from '../em.js';
import { dateOrNull } from '../records.js';
import { runSql } from './run-sql.js';
import { newestByKey } from './newest-by-key.js';
import { placeholders } from './sql.js';

/**
 * Webhook deliveries and their attempts: made by the fan-out, claimed with a lease, sent,
 * retried, and listed for the API (the endpoints' own rows are in webhook.queries.ts).
 */

export interface DeliveryRow {
  readonly id: number;
  readonly webhookId: number;
  readonly messageId: string;
  readonly eventType: string;
  readonly payload: string;
  readonly state: string;
  readonly attempts: number;
  readonly nextAttemptAt: Date | null;
  readonly lastStatus: number | null;
  readonly createdAt: Date;
}

function toDelivery(r: Record<string, unknown>): DeliveryRow {
  return {
    id: Number(r.id),
    webhookId: Number(r.webhook_id),
    messageId: String(r.message_id),
    eventType: String(r.event_type),
    payload: String(r.payload),
    state: String(r.state),
    attempts: Number(r.attempts),
    nextAttemptAt: dateOrNull(r.next_attempt_at),
    lastStatus: r.last_status === null ? null : Number(r.last_status),
    createdAt: dateOrNull(r.created_at)!,
  };
}

const INSERT_DELIVERY = `insert into webhook_delivery (webhook_id, message_id, event_type, payload, state, attempts, next_attempt_at, created_at)
  values (?, ?, ?, ?, 'pending', 0, ?, ?)`;
type NewDelivery = Omit<DeliveryRow, 'id' | 'state' | 'attempts' | 'lastStatus'>;
const paramsOf = (r: NewDelivery) => [
  r.webhookId,
  r.messageId,
  r.eventType,
  r.payload,
  r.nextAttemptAt,
  r.createdAt,
];

export async function insertDeliveries(em: Em, rows: readonly NewDelivery[]): Promise<void> {
  for (const r of rows) await runSql(em, INSERT_DELIVERY, paramsOf(r));
}

/** One delivery, queued; its id. */
export async function insertDelivery(em: Em, r: NewDelivery): Promise<number> {
  const [row] = await runSql(em, `${INSERT_DELIVERY} returning id`, paramsOf(r));
  return Number(row!.id);
}

/**
 * Takes up to `limit` due deliveries for this instance: their next attempt moves `leaseMs`
 * ahead, so no other instance sends them meanwhile; a process that dies mid-send leaves them to
 * be tried again when the lease runs out (at least once). SKIP LOCKED lets instances share.
 * Endpoints in `busy` (this instance is sending to them) are left out: their lanes come back.
 */
export async function claimDueDeliveries(
  em: Em,
  now: Date,
  leaseMs: number,
  limit: number,
  busy: readonly number[] = [],
): Promise<DeliveryRow[]> {
  const skip = dialectOf(em) === 'postgresql' ? ' for update skip locked' : '';
  const notBusy = busy.length === 0 ? '' : ` and webhook_id not in (${placeholders(busy)})`;
  return em.transactional(async (tem) => {
    const due = await runSql(
      tem as Em,
      `select id from webhook_delivery where state = 'pending' and next_attempt_at <= ?${notBusy} order by id limit ?${skip}`,
      [now, ...busy, limit],
    );
    if (due.length === 0) return [];
    const ids = due.map((r) => Number(r.id));
    await runSql(
      tem as Em,
      `update webhook_delivery set next_attempt_at = ? where id in (${placeholders(ids)})`,
      [new Date(now.getTime() + leaseMs), ...ids],
    );
    const rows = await runSql(
      tem as Em,
      `select * from webhook_delivery where id in (${placeholders(ids)}) order by id`,
      ids,
    );
    return rows.map(toDelivery);
  });
}

/**
 * Hands claimed deliveries back before their lease runs out (a lane that ran out of time): only
 * those still under this claim's lease (`leasedUntil`), never one another instance has claimed
 * since or one that has been sent.
 */
export async function releaseDeliveries(
  em: Em,
  ids: readonly number[],
  now: Date,
  leasedUntil: Date,
): Promise<void> {
  if (ids.length === 0) return;
  await runSql(
    em,
    `update webhook_delivery set next_attempt_at = ? where state = 'pending' and next_attempt_at = ? and id in (${placeholders(ids)})`,
    [now, leasedUntil, ...ids],
  );
}

/** A pending delivery whose endpoint is gone or disabled: no request, so no attempt either. */
export async function cancelDelivery(em: Em, deliveryId: number): Promise<void> {
  await runSql(
    em,
    "update webhook_delivery set state = 'cancelled', next_attempt_at = null where id = ?",
    [deliveryId],
  );
}

export async function recordAttempt(
  em: Em,
  a: {
    deliveryId: number;
    at: Date;
    status: number | null;
    durationMs: number;
    error: string | null;
  },
  next: { state: string; attempts: number; nextAttemptAt: Date | null },
): Promise<void> {
  await em.transactional(async (tem) => {
    await runSql(
      tem as Em,
      'insert into webhook_attempt (delivery_id, at, status, duration_ms, error) values (?, ?, ?, ?, ?)',
      [a.deliveryId, a.at, a.status, a.durationMs, a.error],
    );
    await runSql(
      tem as Em,
      'update webhook_delivery set state = ?, attempts = ?, next_attempt_at = ?, last_status = ? where id = ?',
      [next.state, next.attempts, next.nextAttemptAt, a.status, a.deliveryId],
    );
  });
}

/**
 * Deliveries, newest first, of the endpoints named: each endpoint's newest on the (webhook_id,
 * id) index, merged (newest-by-key.ts). Endpoints are few: at most 20 per initiative and 20 for
 * every initiative.
 */
export async function findDeliveries(
  em: Em,
  q: { afterId: number | null; limit: number; webhookIds: readonly number[] },
): Promise<DeliveryRow[]> {
  const rows = await newestByKey(em, {
    table: 'webhook_delivery',
    column: 'webhook_id',
    columns: '*',
    keys: q.webhookIds,
    beforeId: q.afterId,
    limit: q.limit,
  });
  return rows.map(toDelivery);
}

/** One delivery by its id, or undefined. */
export async function findDelivery(em: Em, id: number): Promise<DeliveryRow | undefined> {
  const [row] = await runSql(em, 'select * from webhook_delivery where id = ?', [id]);
  return row ? toDelivery(row) : undefined;
}

export interface AttemptRow {
  readonly deliveryId: number;
  readonly at: Date;
  readonly status: number | null;
  readonly durationMs: number;
  readonly error: string | null;
}

export async function findAttempts(em: Em, deliveryIds: readonly number[]): Promise<AttemptRow[]> {
  if (deliveryIds.length === 0) return [];
  const rows = await runSql(
    em,
    `select * from webhook_attempt where delivery_id in (${placeholders(deliveryIds)}) order by id`,
    [...deliveryIds],
  );
  return rows.map((r) => ({
    deliveryId: Number(r.delivery_id),
    at: dateOrNull(r.at)!,
    status: r.status === null ? null : Number(r.status),
    durationMs: Number(r.duration_ms),
    error: r.error === null ? null : String(r.error),
  }));
}

export async function retryDelivery(em: Em, deliveryId: number, now: Date): Promise<void> {
  await runSql(
    em,
    "update webhook_delivery set state = 'pending', next_attempt_at = ?, attempts = 0 where id = ?",
    [now, deliveryId],
  );
}
