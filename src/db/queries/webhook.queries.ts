import { dialectOf, type Em } from '../em.js';
import { dateOrNull } from '../records.js';
import { runSql } from './run-sql.js';
import { placeholders } from './sql.js';

export interface WebhookRow {
  readonly id: number;
  readonly url: string;
  readonly events: string[];
  readonly initiativeId: number | null;
  readonly secret: string;
  readonly disabledAt: Date | null;
  readonly createdAt: Date;
  /** Last enabled again after being disabled; null: never disabled since it was made. */
  readonly enabledAt: Date | null;
}

function toWebhook(r: Record<string, unknown>): WebhookRow {
  return {
    id: Number(r.id),
    url: String(r.url),
    events: JSON.parse(String(r.events)) as string[],
    initiativeId: r.initiative_id === null ? null : Number(r.initiative_id),
    secret: String(r.secret),
    disabledAt: dateOrNull(r.disabled_at),
    createdAt: dateOrNull(r.created_at)!,
    enabledAt: dateOrNull(r.enabled_at),
  };
}

export async function findWebhooks(em: Em, ids?: readonly number[]): Promise<WebhookRow[]> {
  const rows = await runSql(
    em,
    `select * from webhook${ids ? ` where id in (${placeholders(ids)})` : ''} order by id`,
    ids ? [...ids] : [],
  );
  return rows.map(toWebhook);
}

/** Whether any endpoint is enabled (the fan-out has nothing to do otherwise). */
export async function hasEnabledWebhooks(em: Em): Promise<boolean> {
  const rows = await runSql(em, 'select 1 as one from webhook where disabled_at is null limit 1');
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
  const [row] = await runSql(
    em,
    `select count(*) as n from webhook where initiative_id ${initiativeId === null ? 'is null' : '= ?'}`,
    initiativeId === null ? [] : [initiativeId],
  );
  return Number(row!.n);
}

export async function insertWebhook(
  em: Em,
  w: Omit<WebhookRow, 'id' | 'disabledAt' | 'enabledAt'> & { createdBy: string },
): Promise<number> {
  const [row] = await runSql(
    em,
    'insert into webhook (url, events, initiative_id, secret, created_by, created_at) values (?, ?, ?, ?, ?, ?) returning id',
    [w.url, JSON.stringify(w.events), w.initiativeId, w.secret, w.createdBy, w.createdAt],
  );
  return Number(row!.id);
}

export async function updateWebhookRow(
  em: Em,
  id: number,
  set: { url?: string; events?: string[]; disabledAt?: Date | null; enabledAt?: Date },
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
  if (set.enabledAt !== undefined) add('enabled_at', set.enabledAt);
  if (parts.length === 0) return;
  await runSql(em, `update webhook set ${parts.join(', ')} where id = ?`, [...params, id]);
}

export async function deleteWebhookRow(em: Em, id: number): Promise<void> {
  await runSql(em, 'delete from webhook where id = ?', [id]);
  await runSql(
    em,
    "update webhook_delivery set state = 'cancelled' where webhook_id = ? and state = 'pending'",
    [id],
  );
}

/** The webhook fan-out's position in the outbox, locked until the transaction ends. */
export async function lockWebhookPosition(em: Em): Promise<number> {
  await runSql(
    em,
    "insert into outbox_position (name, seq) values ('webhooks', 0) on conflict (name) do nothing",
  );
  const lock = dialectOf(em) === 'postgresql' ? ' for update' : '';
  const [row] = await runSql(em, `select seq from outbox_position where name = 'webhooks'${lock}`);
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
  const result = (await runSql(
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
  await runSql(em, "update outbox_position set seq = ? where name = 'webhooks'", [seq]);
}
