import type { ItemStatus } from '../../domain/item-status.js';
import type { Em } from '../em.js';
import { WORKSTREAM_COLUMNS, toWorkstream, type WorkstreamRecord } from '../records.js';
import { placeholders } from './sql.js';

/** Every live workstream of some initiatives, parents before children, siblings in position order. */
export async function findTreeRows(
  em: Em,
  initiativeIds: readonly number[],
): Promise<WorkstreamRecord[]> {
  const rows = await em.execute(
    `select ${WORKSTREAM_COLUMNS} from workstream
      where initiative_id in (${placeholders(initiativeIds)}) and deleted_at is null
      order by depth, position, id`,
    [...initiativeIds],
  );
  return rows.map(toWorkstream);
}

export interface TallyRow {
  readonly initiativeId: number;
  readonly workstreamId: number;
  readonly status: ItemStatus;
  readonly items: number;
  readonly weight: number;
  readonly percentWeight: number;
}

/** The per-workstream counters of some initiatives: one flat indexed read, whatever the item count. */
export async function findTallyRows(em: Em, initiativeIds: readonly number[]): Promise<TallyRow[]> {
  const rows = await em.execute(
    `select initiative_id, workstream_id, status, items, weight, percent_weight from workstream_tally
      where initiative_id in (${placeholders(initiativeIds)})`,
    [...initiativeIds],
  );
  return rows.map((r) => ({
    initiativeId: Number(r.initiative_id),
    workstreamId: Number(r.workstream_id),
    status: r.status as ItemStatus,
    items: Number(r.items),
    weight: Number(r.weight),
    percentWeight: Number(r.percent_weight),
  }));
}

export async function findWorkstreamsByIds(
  em: Em,
  ids: readonly number[],
): Promise<WorkstreamRecord[]> {
  const rows = await em.execute(
    `select ${WORKSTREAM_COLUMNS} from workstream where id in (${placeholders(ids)}) and deleted_at is null`,
    [...ids],
  );
  return rows.map(toWorkstream);
}

export async function findWorkstream(em: Em, id: number): Promise<WorkstreamRecord | null> {
  return (await findWorkstreamsByIds(em, [id]))[0] ?? null;
}

/** Of `ids`, the workstreams that hold live items. */
export async function withLiveItems(em: Em, ids: readonly number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await em.execute(
    `select distinct workstream_id from item where workstream_id in (${placeholders(ids)}) and deleted_at is null`,
    [...ids],
  );
  return new Set(rows.map((r) => Number(r.workstream_id)));
}

/**
 * Of `ids` (workstreams of one initiative), the ones that have live children. Asked with the
 * initiative so the siblings index answers it (PostgreSQL has no index on `parent_id` alone,
 * and scanned every workstream of every initiative).
 */
export async function withLiveChildren(
  em: Em,
  initiativeId: number,
  ids: readonly number[],
): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await em.execute(
    `select distinct parent_id from workstream
      where initiative_id = ? and parent_id in (${placeholders(ids)}) and deleted_at is null`,
    [initiativeId, ...ids],
  );
  return new Set(rows.map((r) => Number(r.parent_id)));
}

export async function hasLiveItems(em: Em, workstreamId: number): Promise<boolean> {
  return (await withLiveItems(em, [workstreamId])).size > 0;
}

export async function hasLiveChildren(
  em: Em,
  ws: { readonly id: number; readonly initiativeId: number },
): Promise<boolean> {
  return (await withLiveChildren(em, ws.initiativeId, [ws.id])).size > 0;
}

/** The next free position among a parent's live children (or the initiative's top level). */
export async function nextPosition(
  em: Em,
  initiativeId: number,
  parentId: number | null,
): Promise<number> {
  const rows = await em.execute(
    `select coalesce(max(position), -1) + 1 as p from workstream
      where initiative_id = ? and ${parentId === null ? 'parent_id is null' : 'parent_id = ?'} and deleted_at is null`,
    parentId === null ? [initiativeId] : [initiativeId, parentId],
  );
  return Number(rows[0]?.p ?? 0);
}

/** Opens a gap at `position` among siblings so a created or moved workstream can take it. */
export async function shiftSiblings(
  em: Em,
  initiativeId: number,
  parentId: number | null,
  position: number,
): Promise<void> {
  await em.execute(
    `update workstream set position = position + 1
      where initiative_id = ? and ${parentId === null ? 'parent_id is null' : 'parent_id = ?'}
        and position >= ? and deleted_at is null`,
    parentId === null ? [initiativeId, position] : [initiativeId, parentId, position],
    'run',
  );
}

/** A workstream whether live or deleted, with when it was deleted (for restores). */
export async function findWorkstreamAnyState(
  em: Em,
  id: number,
): Promise<(WorkstreamRecord & { deletedAt: Date | null }) | null> {
  const [row] = await em.execute(
    `select ${WORKSTREAM_COLUMNS}, deleted_at from workstream where id = ?`,
    [id],
  );
  if (!row) return null;
  const deleted = row.deleted_at as string | number | Date | null;
  return {
    ...toWorkstream(row),
    deletedAt: deleted === null || deleted === undefined ? null : new Date(deleted),
  };
}

/**
 * The position a created or moved workstream takes among its new siblings: the one asked for,
 * opening a gap there, or the end when none is given or it lies past the end.
 */
export async function placeAmongSiblings(
  em: Em,
  initiativeId: number,
  parentId: number | null,
  position: number | null | undefined,
): Promise<number> {
  const end = await nextPosition(em, initiativeId, parentId);
  if (position === null || position === undefined || position >= end) return end;
  await shiftSiblings(em, initiativeId, parentId, position);
  return position;
}

/**
 * The ids of a subtree, the node and every workstream below it, live or deleted, as the
 * statement `select id from subtree` (parameters: the node's id, its initiative). Found from
 * parent to children on the (initiative_id, parent_id, …) index, so the cost follows the
 * subtree: `path like '/1/5/%'` used no index on either database (SQLite's LIKE ignores case,
 * PostgreSQL's needs a C collation and a constant) and read every workstream of the initiative,
 * 3–10 ms a statement at 20,000. `cross join` keeps SQLite from starting at the workstreams;
 * `union` would end a cycle, should one ever be written.
 */
export const SUBTREE_IDS = `with recursive subtree(id) as (
    select id from workstream where id = ?
    union
    select w.id from subtree cross join workstream w
     where w.initiative_id = ? and w.parent_id = subtree.id)
  select id from subtree`;

/** The deepest live level in a workstream's subtree. */
export async function deepestBelow(
  em: Em,
  node: { readonly id: number; readonly initiativeId: number },
): Promise<number> {
  const [row] = await em.execute(
    `select max(depth) as d from workstream where id in (${SUBTREE_IDS}) and deleted_at is null`,
    [node.id, node.initiativeId],
  );
  return Number(row?.d ?? 0);
}
