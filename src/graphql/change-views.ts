import {
  addItemChanges,
  itemChangesByWorkstream,
  noItemChanges,
  type ItemChangeCounts,
} from '../domain/progress-change.js';
import { slipDays, targetDateChanges, type TargetDateChange } from '../domain/target-dates.js';
import { findStructureEntries } from '../db/queries/as-of.queries.js';
import {
  findItemEntriesBetween,
  findStalledItems,
  findTargetDateEntries,
} from '../db/queries/series.queries.js';
import type { InitiativeTree, TreeNode } from '../services/load-initiative-tree.js';
import { stalledItemsAsOf, type StalledEntry } from '../services/stalled-as-of.js';
import type { Context } from './context.type.js';
import { keptBeside } from './loaders.js';
import { badUserInput, optionalArg } from './errors.js';
import { treeOf } from './read-time.js';
import { pageArgs } from './resolvers/history.js';
import { asBadInput, endOf, knownAtOf, timeCache, type TimeTarget } from './time-views.js';
import { earlierTime } from '../domain/series-times.js';
import { itemsOfStatuses } from '../domain/tally.js';
import { ItemType } from './types/item.type.js';
import { ProgressChangeType, type StalledItemConnectionType } from './types/time.type.js';
import { encodeAscii, matchDecoded } from '../domain/ascii-base64url.js';

const DAY_MS = 86_400_000;
export const MAX_STALLED_DAYS = 3_650;

/** Every workstream of a subtree (the whole tree for the initiative's root). */
export function subtreeOf(tree: InitiativeTree, node: TreeNode | null): TreeNode[] {
  const out: TreeNode[] = [];
  const stack = node ? [node] : [...tree.roots];
  while (stack.length > 0) {
    const n = stack.pop()!;
    out.push(n);
    stack.push(...n.children);
  }
  return out;
}

const CHANGES = Symbol('item changes');

/**
 * Item changes per workstream between `since` and the view's time (as known then): the log rows
 * a read at the later time sees and one at `since` does not; one read per initiative and window.
 */
export function itemChangesOf(
  ctx: Context,
  tree: InitiativeTree,
  since: number,
  end: number,
  knownAt: number,
): Promise<Map<number, ItemChangeCounts>> {
  const kept = keptBeside(
    ctx.loaders,
    CHANGES,
    () => new Map<string, Promise<Map<number, ItemChangeCounts>>>(),
  );
  const id = tree.initiative.id;
  const key = `${id}@${since}@${end}@${knownAt}`;
  let found = kept.get(key);
  if (!found) {
    found = (async () => {
      const rows = await findItemEntriesBetween(ctx.em, id, since, end, knownAt);
      const byWs = itemChangesByWorkstream(rows, tree.policy);
      for (const row of await findStructureEntries(ctx.em, id, end, knownAt)) {
        if (row.effectiveAt <= since || row.recordedAt > knownAt) continue;
        const ws = row.workstreamId ?? 0; // 0: the initiative's own rows
        if (!byWs.has(ws)) byWs.set(ws, noItemChanges());
        byWs.get(ws)!.entries++;
      }
      return byWs;
    })();
    kept.set(key, found);
  }
  return found;
}

export function sumOver(
  byWs: ReadonlyMap<number, ItemChangeCounts>,
  nodes: readonly TreeNode[],
  withInitiative: boolean,
): ItemChangeCounts {
  const sum = noItemChanges();
  for (const n of nodes) {
    const c = byWs.get(n.id);
    if (c) addItemChanges(sum, c);
  }
  const own = withInitiative ? byWs.get(0) : undefined;
  if (own) addItemChanges(sum, own);
  return sum;
}

/** The change since a time: the difference of two reads (at `since` and at the view's time). */
export async function progressChangeOf(
  ctx: Context,
  t: TimeTarget,
  since: Date,
): Promise<ProgressChangeType> {
  const knownAt = knownAtOf(ctx, t);
  const end = endOf(ctx, t);
  const from = asBadInput(() => earlierTime(since.getTime(), end, 'since'));
  const before = await treeOf(ctx, t.initiative, { asOf: from, knownAt });
  const byWs = await itemChangesOf(ctx, t.tree, from, end, knownAt);
  const figureOf = (tree: InitiativeTree) =>
    (t.node ? tree.rollup.figures.get(t.node.id) : tree.rollup.root) ?? {
      credit: 0,
      counted: 0,
      total: 0,
    };
  return new ProgressChangeType(
    new Date(from),
    figureOf(before),
    figureOf(t.tree),
    sumOver(byWs, subtreeOf(t.tree, t.node), t.node === null),
  );
}

/** A keyset cursor of the stalled list: (last change, item id). */
const cursorOf = (at: number, id: number) => encodeAscii(`stalled:${at}:${id}`);
/** The position of a cursor in the one spelling `cursorOf` makes of it, or null. */
function parseCursor(cursor: string): { at: number; id: number } | null {
  const m =
    typeof cursor === 'string'
      ? matchDecoded(cursor, /^stalled:(\d{1,15}):([1-9]\d{0,14})$/)
      : null;
  if (!m) return null;
  const position = { at: Number(m[1]), id: Number(m[2]) };
  return cursorOf(position.at, position.id) === cursor ? position : null;
}

export async function stalledItemsOf(
  ctx: Context,
  t: TimeTarget,
  days: number,
  first: number,
  after: string | null,
): Promise<StalledItemConnectionType> {
  if (!Number.isInteger(days) || days < 1 || days > MAX_STALLED_DAYS)
    throw badUserInput(`days 必须在 1 到 ${MAX_STALLED_DAYS} 之间，收到 ${days}`, 'days');
  pageArgs(first, null, 'cursor');
  const cursor = optionalArg(after, parseCursor, 'after', 'after 不是有效的游标');
  await ctx.deadline?.check();
  // An as-of view lists what stood still then, counted to then (it used to read today's items
  // and count to today).
  const now = timeCache(ctx).now;
  const viewTime = t.time ? Math.min(t.time.asOf, now) : now;
  const ids = subtreeOf(t.tree, t.node).map((n) => n.id);
  const before = viewTime - days * DAY_MS;
  const entries = t.time
    ? await stalledItemsAsOf(ctx.em, ids, t.time, before, cursor, first + 1)
    : await liveStalled(ctx, ids, before, cursor, first + 1, inProgressOf(t));
  const page = entries.slice(0, first);
  const nodes = page.map((e) => ({
    item: new ItemType(e.item),
    lastChangeAt: new Date(e.lastChangeAt),
    days: Math.floor((viewTime - e.lastChangeAt) / DAY_MS),
  }));
  const last = page.at(-1);
  return {
    nodes,
    pageInfo: {
      hasNextPage: entries.length > first,
      endCursor: last ? cursorOf(last.lastChangeAt, last.item.id) : null,
    },
  };
}

/** The statuses a stalled item has (findStalledItems reads the same two). */
const STALLED_STATUSES = ['IN_PROGRESS', 'PAUSED'] as const;

/** How many items of the target's subtree are in progress or paused, by its tree's tallies. */
function inProgressOf(t: TimeTarget): number {
  const figure = t.node ? t.tree.rollup.figures.get(t.node.id) : t.tree.rollup.root;
  return figure ? itemsOfStatuses(figure.tally, STALLED_STATUSES) : 0;
}

/** The live list: today's items whose last progress took effect at or before `before`. */
async function liveStalled(
  ctx: Context,
  workstreamIds: number[],
  before: number,
  cursor: { at: number; id: number } | null,
  limit: number,
  candidates: number,
): Promise<StalledEntry[]> {
  const rows = await findStalledItems(ctx.em, workstreamIds, before, cursor, limit, candidates);
  const items = await ctx.loaders.item.loadMany(rows.map((r) => r.itemId));
  return rows.flatMap((r, i) => {
    const item = items[i];
    return item && !(item instanceof Error) ? [{ item, lastChangeAt: r.lastChangeAt }] : [];
  });
}

export async function targetHistoryOf(
  ctx: Context,
  t: TimeTarget,
): Promise<{ changes: TargetDateChange[]; slipDays: number | null }> {
  const rows = await findTargetDateEntries(
    ctx.em,
    { initiativeId: t.initiative.id, workstreamId: t.node?.id ?? null },
    knownAtOf(ctx, t),
  );
  // An as-of view's history ends at its time, as its target date does.
  const asOf = t.time?.asOf;
  const list = targetDateChanges(
    asOf === undefined ? rows : rows.filter((r) => r.effectiveAt <= asOf),
  );
  const current = t.node ? t.node.targetDate : t.initiative.targetDate;
  return { changes: list, slipDays: slipDays(list, current) };
}
