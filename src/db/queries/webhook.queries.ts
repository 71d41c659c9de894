import { dialectOf, type Em } from '../orm.js';

export interface WebhookRow {
  readonly id: number;
  readonly url: string;
  readonly events: string[];
  readonly initiativeId: number | null;
  readonly secret: string;
  readonly disabledAt: Date | null;
  readonly createdAt: Date;
}

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

/** Runs a statement with dates as SQLite stores them (milliseconds), as MikroORM's columns do. */
function exec(em: Em, sql: string, params: readonly unknown[] = [], method?: 'run') {
  const sqlite = dialectOf(em) === 'sqlite';
  return em.execute(
    sql,
    params.map((p) => (sqlite && p instanceof Date ? p.getTime() : p)),
    method,
  );
}

const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));

function toWebhook(r: Record<string, unknown>): WebhookRow {
  return {
    id: Number(r.id),
    url: String(r.url),
    events: JSON.parse(String(r.events)) as string[],
    initiativeId: r.initiative_id === null ? null : Number(r.initiative_id),
    secret: String(r.secret),
    disabledAt: date(r.disabled_at),
    createdAt: date(r.created_at)!,
  };
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
    nextAttemptAt: date(r.next_attempt_at),
    lastStatus: r.last_status === null ? null : Number(r.last_status),
    createdAt: date(r.created_at)!,
  };
}

export async function findWebhooks(em: Em, ids?: readonly number[]): Promise<WebhookRow[]> {
  const rows = await exec(
    em,
    `select * from webhook${ids ? ` where id in (${ids.map(() => '?').join(', ') || 'null'})` : ''} order by id`,
    ids ? [...ids] : [],
  );
  return rows.map(toWebhook);
}

/** Whether any endpoint is enabled (the fan-out has nothing to do otherwise). */
export async function hasEnabledWebhooks(em: Em): Promise<boolean> {
  const rows = await exec(em, 'select 1 as one from webhook where disabled_at is null limit 1');
  return rows.length > 0;
}

/**
 * Holds, until the caller's transaction ends, the right to add an endpoint to one scope (an
 * initiative, or every initiative): two creates counting at once would both see room for one.
 * PostgreSQL: a transaction-scoped advisory lock per scope. SQLite runs one write transaction at
 * a time (this process's statements wait for it), so the transaction alone serializes them.
 */
export async function lockWebhookScope(em: Em, initiativeId: number | null): Promise<void> {
  if (dialectOf(em) !== 'postgresql') return;
  await em.execute('select pg_advisory_xact_lock(?, ?)', [WEBHOOK_SCOPE_LOCK, initiativeId ?? 0]);
}
/** The first key of the advisory locks above ('whk' in ASCII). */
const WEBHOOK_SCOPE_LOCK = 0x77686b;

/** Endpoints of one initiative, or (null) for every initiative, enabled or not. */
export async function countWebhooks(em: Em, initiativeId: number | null): Promise<number> {
  const [row] = await exec(
    em,
    `select count(*) as n from webhook where initiative_id ${initiativeId === null ? 'is null' : '= ?'}`,
    initiativeId === null ? [] : [initiativeId],
  );
  return Number(row!.n);
}

export async function insertWebhook(
  em: Em,
  w: Omit<WebhookRow, 'id' | 'disabledAt'> & { createdBy: string },
): Promise<number> {
  const [row] = await exec(
    em,
    'insert into webhook (url, events, initiative_id, secret, created_by, created_at) values (?, ?, ?, ?, ?, ?) returning id',
    [w.url, JSON.stringify(w.events), w.initiativeId, w.secret, w.createdBy, w.createdAt],
  );
  return Number(row!.id);
}

export async function updateWebhookRow(
  em: Em,
  id: number,
  set: { url?: string; events?: string[]; disabledAt?: Date | null },
): Promise<void> {
  const parts: string[] = [];
  const params: unknown[] = [];
  const add = (column: string, value: unknown) => {
    parts.push(`${column} = ?`);
    params.push(value);
  };
  if (set.url !== undefined) add('url', set.url);
  if (set.events !== undefined) add('events', JSON.stringify(set.events));
  if (set.disabledAt !== undefined) add('disabled_at', set.disabledAt);
  if (parts.length === 0) return;
  await exec(em, `update webhook set ${parts.join(', ')} where id = ?`, [...params, id]);
}

export async function deleteWebhookRow(em: Em, id: number): Promise<void> {
  await exec(em, 'delete from webhook where id = ?', [id]);
  await exec(
    em,
    "update webhook_delivery set state = 'cancelled' where webhook_id = ? and state = 'pending'",
    [id],
  );
}

/** The webhook fan-out's position in the outbox, locked until the transaction ends. */
export async function lockWebhookPosition(em: Em): Promise<number> {
  await exec(
    em,
    "insert into outbox_position (name, seq) values ('webhooks', 0) on conflict (name) do nothing",
  );
  const lock = dialectOf(em) === 'postgresql' ? ' for update' : '';
  const [row] = await exec(em, `select seq from outbox_position where name = 'webhooks'${lock}`);
  return Number(row!.seq);
}

/** How many outbox rows one pruning statement drops at most. */
export const PRUNE_BATCH = 1_000;

/**
 * Drops up to PRUNE_BATCH of the outbox rows the webhook fan-out is past and that are older than
 * `before`, the oldest first (each instance's subscribers read within seconds of a commit; the
 * 'head' row keeps the numbering); returns how many it dropped. A batch at a time: SQLite's
 * driver runs a statement on the event loop, and a backlog of weeks in one statement held it.
 */
export async function pruneOutbox(em: Em, before: Date): Promise<number> {
  const result = (await exec(
    em,
    `delete from outbox where seq in (select seq from outbox
       where seq <= (select seq from outbox_position where name = 'webhooks') and created_at < ?
       order by seq limit ${PRUNE_BATCH})`,
    [before],
    'run',
  )) as { affectedRows?: number };
  return Number(result.affectedRows ?? 0);
}

export async function setWebhookPosition(em: Em, seq: number): Promise<void> {
  await exec(em, "update outbox_position set seq = ? where name = 'webhooks'", [seq]);
}

export async function insertDeliveries(
  em: Em,
  rows: readonly Omit<DeliveryRow, 'id' | 'state' | 'attempts' | 'lastStatus'>[],
): Promise<void> {
  for (const r of rows) {
    await exec(
      em,
      `insert into webhook_delivery (webhook_id, message_id, event_type, payload, state, attempts, next_attempt_at, created_at)
       values (?, ?, ?, ?, 'pending', 0, ?, ?)`,
      [r.webhookId, r.messageId, r.eventType, r.payload, r.nextAttemptAt, r.createdAt],
    );
  }
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
  const notBusy =
    busy.length === 0 ? '' : ` and webhook_id not in (${busy.map(() => '?').join(', ')})`;
  return em.transactional(async (tem) => {
    const due = await exec(
      tem as Em,
      `select id from webhook_delivery where state = 'pending' and next_attempt_at <= ?${notBusy} order by id limit ?${skip}`,
      [now, ...busy, limit],
    );
    if (due.length === 0) return [];
    const ids = due.map((r) => Number(r.id));
    const list = ids.map(() => '?').join(', ');
    await exec(tem as Em, `update webhook_delivery set next_attempt_at = ? where id in (${list})`, [
      new Date(now.getTime() + leaseMs),
      ...ids,
    ]);
    const rows = await exec(
      tem as Em,
      `select * from webhook_delivery where id in (${list}) order by id`,
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
  await exec(
    em,
    `update webhook_delivery set next_attempt_at = ? where state = 'pending' and next_attempt_at = ? and id in (${ids.map(() => '?').join(', ')})`,
    [now, leasedUntil, ...ids],
  );
}

/** A pending delivery whose endpoint is gone or disabled: no request, so no attempt either. */
export async function cancelDelivery(em: Em, deliveryId: number): Promise<void> {
  await exec(
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
    await exec(
      tem as Em,
      'insert into webhook_attempt (delivery_id, at, status, duration_ms, error) values (?, ?, ?, ?, ?)',
      [a.deliveryId, a.at, a.status, a.durationMs, a.error],
    );
    await exec(
      tem as Em,
      'update webhook_delivery set state = ?, attempts = ?, next_attempt_at = ?, last_status = ? where id = ?',
      [next.state, next.attempts, next.nextAttemptAt, a.status, a.deliveryId],
    );
  });
}

/**
 * Deliveries, newest first, of the endpoints named, or (null) of every endpoint that still
 * exists: a deleted endpoint's rows are kept, but listed to no one.
 */
export async function findDeliveries(
  em: Em,
  q: { afterId: number | null; limit: number; webhookIds: readonly number[] | null },
): Promise<DeliveryRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.afterId !== null) {
    where.push('id < ?');
    params.push(q.afterId);
  }
  if (q.webhookIds) {
    where.push(`webhook_id in (${q.webhookIds.map(() => '?').join(', ') || 'null'})`);
    params.push(...q.webhookIds);
  } else where.push('webhook_id in (select id from webhook)');
  const rows = await exec(
    em,
    `select * from webhook_delivery${where.length ? ` where ${where.join(' and ')}` : ''} order by id desc limit ?`,
    [...params, q.limit],
  );
  return rows.map(toDelivery);
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
  const rows = await exec(
    em,
    `select * from webhook_attempt where delivery_id in (${deliveryIds.map(() => '?').join(', ')}) order by id`,
    [...deliveryIds],
  );
  return rows.map((r) => ({
    deliveryId: Number(r.delivery_id),
    at: date(r.at)!,
    status: r.status === null ? null : Number(r.status),
    durationMs: Number(r.duration_ms),
    error: r.error === null ? null : String(r.error),
  }));
}

export async function retryDelivery(em: Em, deliveryId: number, now: Date): Promise<void> {
  await exec(
    em,
    "update webhook_delivery set state = 'pending', next_attempt_at = ?, attempts = 0 where id = ?",
    [now, deliveryId],
  );
}
