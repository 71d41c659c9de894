import { canRead } from '../../domain/access.js';
import type { Context } from '../context.type.js';
import { forgetReads } from '../loaders.js';
import { ItemType } from '../types/item.type.js';
import { WorkstreamType } from '../types/workstream.type.js';

/** A workstream as served, or null when it is unknown or deleted (with its tree from the loader). */
export async function workstreamView(ctx: Context, id: number): Promise<WorkstreamType | null> {
  await ctx.deadline?.check();
  const record = await ctx.loaders.workstream.load(id);
  if (!record || !canRead(ctx.principal, record.initiativeId)) return null;
  const tree = await ctx.loaders.tree.load(record.initiativeId);
  const node = tree?.nodes.get(id);
  return tree && node ? WorkstreamType.of(node, tree) : null;
}

/** An item as served, or null when it, or the workstream it sits in, is gone. */
export async function itemView(ctx: Context, id: number): Promise<ItemType | null> {
  const record = await ctx.loaders.item.load(id);
  if (!record) return null;
  return (await workstreamView(ctx, record.workstreamId)) ? new ItemType(record) : null;
}

/**
 * Forgets what this request has read, after one of its writes committed (loaders.ts,
 * `forgetReads`): every initiative's, since a later field may read any of them again.
 */
export function forgetRequestReads(ctx: Context): void {
  // Loaders not made yet have read nothing: a write that read nothing before need not make them.
  const loaders = ctx.loadersIfMade ? ctx.loadersIfMade() : ctx.loaders;
  if (loaders) forgetReads(loaders);
}
