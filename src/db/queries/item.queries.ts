import type { ItemStatus } from '../../domain/item-status.js';
import type { TallyDelta } from '../../domain/tally.js';
import { dialectOf, type Em } from '../em.js';
import { type Dialect } from '../dialect.js';
import { ITEM_COLUMNS, toItem, type ItemRecord } from '../records.js';
import { transactionStatement } from '../prepared.js';
import {
  IDS_PER_STATEMENT,
  inSlices,
  orderedInSlices,
  placeholders,
  textPerRowCount,
} from './sql.js';

/**
 * Reads items by id; an item whose workstream is deleted counts as deleted. Inside a PostgreSQL
 * transaction it locks the item rows (in id order, no deadlock), not their workstreams.
 */
export async function findItemsByIds(
  em: Em,
  ids: readonly number[],
  lock: { readonly dialect: Dialect } | null = null,
): Promise<ItemRecord[]> {
  return (await readItems(em, ids, lock, false)).map(toItem);
}

/**
 * `findItemsByIds` with the stage of each item that has one (a status write checks it against
 * the stage), in the same read.
 */
export async function findItemsWithStages(
  em: Em,
  ids: readonly number[],
  lock: { readonly dialect: Dialect } | null,
): Promise<{ items: ItemRecord[]; stages: Map<number, string> }> {
  const rows = await readItems(em, ids, lock, true);
  const stages = new Map<number, string>();
  for (const r of rows) if (r.stage !== null) stages.set(Number(r.id), String(r.stage));
  return { items: rows.map(toItem), stages };
}

async function readItems(
  em: Em,
  ids: readonly number[],
  lock: { readonly dialect: Dialect } | null,
  withStage: boolean,
): Promise<Record<string, unknown>[]> {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const forUpdate = lock?.dialect === 'postgresql' ? ' order by i.id for update of i' : '';
  const columns = ITEM_COLUMNS.split(', ')
    .map((c) => `i.${c}`)
    .join(', ');
  const stage = withStage ? ', s.stage' : '';
  const join = withStage ? ' left join item_stage s on s.item_id = i.id' : '';
  return transactionStatement(
    em,
    `select ${columns}, case when w.deleted_at is null then 0 else 1 end as workstream_deleted${stage}
       from item i join workstream w on w.id = i.workstream_id${join}
      where i.id in (${placeholders(sorted)})${forUpdate}`,
    sorted,
    'all',
  );
}

/**
 * Locks item rows (PostgreSQL; in id order, no deadlock) until the transaction ends. SQLite
 * runs one write transaction at a time, so there is nothing to lock. Only locks: the use-case
 * reads the items in a statement of its own, after this one. A locking statement that waited
 * for another writer sees that writer's newest version of the rows it locks but not of the rows
 * it joins (READ COMMITTED re-checks the locked rows only), so reading the items with their stage
 * and workstream here would miss a stage or a move the other writer just committed
 * (test/integration/item-lock-wait.test.ts).
 */
export async function lockItems(em: Em, ids: readonly number[]): Promise<void> {
  if (ids.length === 0 || dialectOf(em) !== 'postgresql') return;
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  await em.execute(
    `select id from item where id in (${placeholders(sorted)}) order by id for update`,
    sorted,
  );
}

export interface ItemPageQuery {
  /** The items of these workstreams, or (`{ initiativeId }`) of an initiative's live ones. */
  readonly workstreamIds: readonly number[] | { readonly initiativeId: number };
  readonly afterId: number | null;
  readonly limit: number;
  readonly statuses: readonly ItemStatus[] | null;
  /** Names matching this LIKE pattern (escape `\`; see domain/name-search.ts), or all. */
  readonly namePattern?: string | null;
}

function pageWhere(
  em: Em,
  q: Omit<ItemPageQuery, 'limit' | 'afterId'>,
  page: boolean,
): {
  sql: string;
  params: unknown[];
} {
  let sql: string;
  let params: unknown[];
  if (Array.isArray(q.workstreamIds)) {
    params = [...q.workstreamIds];
    sql = `workstream_id in (${placeholders(q.workstreamIds)}) and deleted_at is null`;
  } else {
    // One initiative's range of the (initiative_id, deleted_at, id) index; items of a deleted
    // workstream count as deleted. A page looks up each item's workstream by id (it is of the
    // item's initiative), so it reads about as many as it returns: the list of every live
    // workstream of the initiative, which a count reads anyway, cost SQLite 3 ms a page on
    // 20,000 workstreams, and PostgreSQL, underestimating that join, sorted every item of the
    // initiative (20,000: 16 ms).
    const { initiativeId } = q.workstreamIds as { initiativeId: number };
    params = page ? [initiativeId] : [initiativeId, initiativeId];
    sql = page
      ? `initiative_id = ? and deleted_at is null and exists
      (select 1 from workstream w where w.id = item.workstream_id and w.deleted_at is null)`
      : `initiative_id = ? and deleted_at is null and workstream_id in
      (select w.id from workstream w where w.initiative_id = ? and w.deleted_at is null)`;
  }
  if (q.statuses && q.statuses.length > 0) {
    sql += ` and status in (${placeholders(q.statuses)})`;
    params.push(...q.statuses);
  }
  if (q.namePattern !== null && q.namePattern !== undefined) {
    // SQLite's LIKE ignores the case of ASCII letters; PostgreSQL needs ILIKE for that.
    sql += ` and name ${dialectOf(em) === 'postgresql' ? 'ilike' : 'like'} ? escape '\\'`;
    params.push(q.namePattern);
  }
  return { sql, params };
}

/** One page of live items in id order (keyset pagination: stable under inserts). */
export async function findItemsPage(em: Em, q: ItemPageQuery): Promise<ItemRecord[]> {
  // A subtree of more workstreams than a statement names (items(includeDescendants) on a big
  // initiative's root): every slice's first page, merged, and the first of them.
  if (Array.isArray(q.workstreamIds) && q.workstreamIds.length > IDS_PER_STATEMENT)
    return orderedInSlices(
      q.workstreamIds,
      (a, b) => a.id - b.id,
      q.limit,
      (workstreamIds) => findItemsPage(em, { ...q, workstreamIds }),
    );
  const where = pageWhere(em, q, true);
  const after = q.afterId === null ? '' : ' and id > ?';
  // In the order of the (workstream_id | initiative_id, deleted_at, id) indexes (deleted_at is
  // null throughout): PostgreSQL does not take `deleted_at is null` for a constant, and for
  // `order by id` alone walked the primary key until it had a page (a workstream whose items
  // came last: 190,000 rows and 118 ms for 50 items) or sorted the whole range.
  const rows = await em.execute(
    `select ${ITEM_COLUMNS} from item where ${where.sql}${after} order by deleted_at, id limit ?`,
    [...where.params, ...(q.afterId === null ? [] : [q.afterId]), q.limit],
  );
  return rows.map(toItem);
}

export async function countItems(
  em: Em,
  q: Omit<ItemPageQuery, 'limit' | 'afterId'>,
): Promise<number> {
  if (Array.isArray(q.workstreamIds) && q.workstreamIds.length > IDS_PER_STATEMENT) {
    const counts = await inSlices(q.workstreamIds, async (workstreamIds) => [
      await countItems(em, { ...q, workstreamIds }),
    ]);
    return counts.reduce((a, b) => a + b, 0);
  }
  const where = pageWhere(em, q, false);
  const rows = await em.execute(`select count(*) as n from item where ${where.sql}`, where.params);
  return Number(rows[0]?.n ?? 0);
}

/** The counter upsert of `applyTallyDeltas` as one statement (`items = items + n`). */
export function tallyUpsert(
  initiativeId: number,
  deltas: readonly { readonly workstreamId: number; readonly delta: TallyDelta }[],
): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  for (const { workstreamId, delta } of deltas)
    params.push(
      workstreamId,
      delta.status,
      initiativeId,
      delta.items,
      delta.weight,
      delta.percentWeight,
    );
  return { sql: tallyUpsertText(deltas.length), params };
}

const tallyUpsertText = textPerRowCount(
  (
    n,
  ) => `insert into workstream_tally (workstream_id, status, initiative_id, items, weight, percent_weight)
     values ${Array(n).fill('(?, ?, ?, ?, ?, ?)').join(', ')}
     on conflict (workstream_id, status) do update set
       items = workstream_tally.items + excluded.items,
       weight = workstream_tally.weight + excluded.weight,
       percent_weight = workstream_tally.percent_weight + excluded.percent_weight`,
);

/**
 * Counter deltas per upsert statement: 6,000 parameters, under SQLite's 32,766 and PostgreSQL's
 * 65,535. An import into 10,000 new workstreams moves 10,000 counters in one write.
 */
export const TALLY_ROWS_PER_STATEMENT = 1000;

/** Applies counter deltas with atomic upserts (`items = items + n`): no read, no lost update. */
export async function applyTallyDeltas(
  em: Em,
  initiativeId: number,
  deltas: readonly { readonly workstreamId: number; readonly delta: TallyDelta }[],
): Promise<void> {
  for (let at = 0; at < deltas.length; at += TALLY_ROWS_PER_STATEMENT) {
    const { sql, params } = tallyUpsert(
      initiativeId,
      deltas.slice(at, at + TALLY_ROWS_PER_STATEMENT),
    );
    await transactionStatement(em, sql, params, 'run');
  }
}

export async function markItemRestored(
  em: Em,
  id: number,
  version: number,
  now: Date,
): Promise<void> {
  await em.execute(
    'update item set deleted_at = null, version = ?, updated_at = ? where id = ?',
    [version, now, id],
    'run',
  );
}
