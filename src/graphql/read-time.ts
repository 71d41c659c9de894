import { reportTimeText } from '../domain/report-day.js';
import { CLOCK_SKEW_MS, EARLIEST_TIME_MS } from '../domain/effective-time.js';
import type { ReadTime } from '../domain/replay-items.js';
import type { InitiativeRecord } from '../db/records.js';
import { findWorkstreamAnyState } from '../db/queries/workstream.queries.js';
import { loadAsOfTree } from '../services/as-of-tree.js';
import { itemAsOf, reportDetailsAsOf } from '../services/as-of-items.js';
import type { ReportDetails } from '../services/build-report.js';
import type { InitiativeTree } from '../services/load-initiative-tree.js';
import { canRead } from '../domain/access.js';
import type { Context } from './context.type.js';
import { keptBeside } from './loaders.js';
import { badUserInput } from './errors.js';
import { ItemType } from './types/item.type.js';
import { WorkstreamType } from './types/workstream.type.js';

export const AS_OF =
  'Answer as the subtree stood at this time (effective time): figures, children, items, report lines. Read-only. Before the initiative existed: an empty tree.';
export const KNOWN_AT =
  'With asOf: as it was known at this time (what had been recorded by then); default now.';

/**
 * The read time asked for, or null for the live state (neither argument given). A time after
 * now (beyond a minute of clock skew) is refused: the state then is not known yet, and an
 * answer labelled with it (its ids carry the time) would be one a client keeps as fixed while
 * it still moves.
 */
export function readTimeOf(asOf: Date | null, knownAt: Date | null): ReadTime | null {
  if (!asOf && !knownAt) return null;
  const now = Date.now();
  for (const [field, t] of [
    ['asOf', asOf],
    ['knownAt', knownAt],
  ] as const)
    if (t && t.getTime() > now + CLOCK_SKEW_MS)
      throw badUserInput(`${field} 不能晚于现在：${reportTimeText(t.getTime())}`, field);
  // Nothing is recorded before EARLIEST_TIME_MS: an earlier time reads as just before it (an
  // empty tree), and the databases never see a year they cannot store.
  const bounded = (t: Date | null | undefined) =>
    t ? Math.max(t.getTime(), EARLIEST_TIME_MS - 1) : now;
  return { asOf: bounded(asOf), knownAt: bounded(knownAt), knownAtIsNow: !knownAt };
}

/**
 * Per-request as-of trees and report details, keyed by initiative and time: never shared with
 * other requests nor with the live trees (tree-cache.ts), so an as-of read cannot poison them.
 */
const TREES = Symbol('as-of trees');
const details = new WeakMap<InitiativeTree, Promise<ReportDetails>>();

export async function treeOf(
  ctx: Context,
  initiative: InitiativeRecord,
  t: ReadTime | null | undefined,
): Promise<InitiativeTree> {
  if (!t) return (await ctx.loaders.tree.load(initiative.id))!;
  const kept = keptBeside(ctx.loaders, TREES, () => new Map<string, Promise<InitiativeTree>>());
  const key = `${initiative.id}@${t.asOf}@${t.knownAt}`;
  let tree = kept.get(key);
  if (!tree) kept.set(key, (tree = loadAsOfTree(ctx.em, initiative, t)));
  return tree;
}

export async function reportDetailsOf(ctx: Context, tree: InitiativeTree): Promise<ReportDetails> {
  if (!tree.time) return (await ctx.loaders.reportDetails.load(tree.initiative.id))!;
  let d = details.get(tree);
  if (!d) details.set(tree, (d = reportDetailsAsOf(ctx.em, tree)));
  return d;
}

/** A workstream as it stood, or null when it did not exist then (or was deleted, or unreadable). */
export async function workstreamViewAt(
  ctx: Context,
  id: number,
  t: ReadTime,
): Promise<WorkstreamType | null> {
  const record = await findWorkstreamAnyState(ctx.em, id);
  if (!record || !canRead(ctx.principal, record.initiativeId)) return null;
  const initiative = await ctx.loaders.initiative.load(record.initiativeId);
  if (!initiative) return null;
  const tree = await treeOf(ctx, initiative, t);
  const node = tree.nodes.get(id);
  return node ? WorkstreamType.of(node, tree) : null;
}

/** An item as it stood, or null when it, or its workstream then, did not exist. */
export async function itemViewAt(ctx: Context, id: number, t: ReadTime): Promise<ItemType | null> {
  const item = await itemAsOf(ctx.em, id, t);
  if (!item) return null;
  return (await workstreamViewAt(ctx, item.workstreamId, t)) ? new ItemType(item, t) : null;
}
