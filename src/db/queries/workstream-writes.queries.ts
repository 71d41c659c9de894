import type { Em } from '../em.js';
import { WorkstreamSchema } from '../entities/index.js';
import type { WorkstreamColumnsUpdate } from '../records.js';
import { SUBTREE_IDS } from './workstream.queries.js';

type Node = { readonly id: number; readonly initiativeId: number; readonly path: string };

const subtreeParams = (node: { readonly id: number; readonly initiativeId: number }) => [
  node.id,
  node.initiativeId,
];

/** Soft-deletes the live part of a subtree; returns the ids it deleted (the node first). */
export async function deleteSubtree(em: Em, node: Node, now: Date): Promise<number[]> {
  const rows = await em.execute(
    `select id from workstream where id in (${SUBTREE_IDS}) and deleted_at is null order by depth, id`,
    subtreeParams(node),
  );
  await em.execute(
    `update workstream set deleted_at = ?, updated_at = ? where id in (${SUBTREE_IDS}) and deleted_at is null`,
    [now, now, ...subtreeParams(node)],
    'run',
  );
  return rows.map((r) => Number(r.id));
}

/**
 * Brings back the part of a subtree deleted with the node or after it (what was deleted
 * before stays deleted); returns the ids it restored.
 */
export async function restoreSubtree(
  em: Em,
  node: Node & { readonly deletedAt: Date },
  now: Date,
): Promise<number[]> {
  const where = `id in (${SUBTREE_IDS}) and deleted_at >= ?`;
  const params = [...subtreeParams(node), node.deletedAt];
  const rows = await em.execute(
    `select id from workstream where ${where} order by depth, id`,
    params,
  );
  await em.execute(
    `update workstream set deleted_at = null, updated_at = ? where ${where}`,
    [now, ...params],
    'run',
  );
  return rows.map((r) => Number(r.id));
}

/** Moves a subtree: one prefix rewrite of its paths, then the node's parent and position. */
export async function moveSubtree(
  em: Em,
  node: Node & { readonly depth: number },
  to: { readonly parentId: number | null; readonly path: string; readonly position: number },
  now: Date,
): Promise<void> {
  const depthDelta = to.path.split('/').length - node.path.split('/').length;
  await em.execute(
    `update workstream set path = ? || substr(path, ?), depth = depth + ?
      where id in (${SUBTREE_IDS})`,
    [to.path, node.path.length + 1, depthDelta, ...subtreeParams(node)],
    'run',
  );
  await em.execute(
    'update workstream set parent_id = ?, position = ?, updated_at = ? where id = ?',
    [to.parentId, to.position, now, node.id],
    'run',
  );
}

/** Writes the given columns of one workstream. */
export async function updateWorkstreamColumns(
  em: Em,
  id: number,
  columns: WorkstreamColumnsUpdate,
  now: Date,
): Promise<void> {
  await em.nativeUpdate(WorkstreamSchema, { id }, { ...columns, updatedAt: now });
}
