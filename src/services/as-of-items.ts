import type { ItemStatus } from '../domain/item-status.js';
import {
  replayItems,
  type ItemReplayState,
  type LogEntry,
  type ReadTime,
} from '../domain/replay-items.js';
import type { Em } from '../db/em.js';
import type { ItemRecord } from '../db/records.js';
import { itemLabelsAt } from '../domain/replay-item-labels.js';
import {
  findEntriesOfItems,
  findVersionsAt,
  findItemEntries,
  findItemLabelEntries,
  initiativeSizeOf,
  itemIdsOfInitiative,
  itemsLoggedIn,
} from '../db/queries/as-of.queries.js';
import { findItemsByIds } from '../db/queries/item.queries.js';
import { inSlices } from '../db/queries/sql.js';
import type { NamedItemRow, PercentCountRow } from '../db/queries/report.queries.js';
import type { ReportDetails } from './build-report.js';
import type { InitiativeTree, TreeNode } from './load-initiative-tree.js';

/** An item as it stood: its replayed place, status, percent and weight (its record: itemRecordsAt). */
function asItStood(record: ItemRecord, state: ItemReplayState): ItemRecord {
  return { ...record, ...state, deleted: false };
}

/** Items' records with their names and notes as they stood at `t` (today's where never changed). */
export async function itemRecordsAt(
  em: Em,
  ids: readonly number[],
  t: ReadTime,
): Promise<ItemRecord[]> {
  const records = await inSlices(ids, (slice) => findItemsByIds(em, slice));
  const labels = itemLabelsAt(await findItemLabelEntries(em, ids), t);
  return records.map((r) => ({ ...r, ...labels.get(r.id) }));
}

type Wanted = (state: ItemReplayState) => boolean;

/** In the given workstreams then, and (when given) in one of the statuses. */
function wantedIn(
  workstreamIds: readonly number[],
  statuses: readonly ItemStatus[] | null,
): Wanted {
  const wanted = new Set(workstreamIds);
  return (s) => wanted.has(s.workstreamId) && (!statuses || statuses.includes(s.status));
}

/** The wanted items' ids among replayed states, in id order. */
const idsOf = (states: Map<number, ItemReplayState>, wanted: Wanted) =>
  [...states]
    .filter(([, s]) => wanted(s))
    .map(([id]) => id)
    .sort((a, b) => a - b);

/** Items in the given workstreams at a read time, in id order (every one). */
export async function itemsAsOf(
  em: Em,
  workstreamIds: readonly number[],
  t: ReadTime,
  statuses: readonly ItemStatus[] | null,
): Promise<ItemRecord[]> {
  const states = replayItems(await entriesOfCandidates(em, workstreamIds, t), t);
  const records = await itemRecordsAt(em, idsOf(states, wantedIn(workstreamIds, statuses)), t);
  return records.map((r) => asItStood(r, states.get(r.id)!)).sort((a, b) => a.id - b.id);
}

/**
 * The items that may have stood in these workstreams (of one initiative): those ever logged in
 * them, or, for at least half of the initiative's workstreams, every item of the initiative,
 * read from the item index instead of from each workstream's rows in the log (the items of
 * 10,000 workstreams in a 1,000,000-row log took 1.1–1.3 s that way). The replay keeps only the
 * items that stood there.
 */
async function candidatesOf(em: Em, workstreamIds: readonly number[]): Promise<number[]> {
  if (workstreamIds.length === 0) return [];
  const initiative = await initiativeSizeOf(em, workstreamIds[0]!);
  return initiative && workstreamIds.length * 2 >= initiative.workstreams
    ? itemIdsOfInitiative(em, initiative.initiativeId)
    : itemsLoggedIn(em, workstreamIds);
}

/** Every row up to a read time of the items that may have stood in these workstreams. */
async function entriesOfCandidates(
  em: Em,
  workstreamIds: readonly number[],
  t: ReadTime,
): Promise<LogEntry[]> {
  return findEntriesOfItems(em, await candidatesOf(em, workstreamIds), t.asOf, t.knownAt);
}

/** Candidates replayed at a time, at first; each further chunk is twice the one before. */
const FIRST_CHUNK = 64;
const LARGEST_CHUNK = 4_096;

/**
 * The first `limit` items `itemsAsOf` gives after `afterId`, replaying only as many as it takes:
 * the candidates (candidatesOf), in id order past the cursor, a chunk at a time. A page
 * of a 10,000-workstream initiative replayed all of its 100,000 items and read their records
 * for the 51 it answered.
 */
export async function itemsAsOfPage(
  em: Em,
  workstreamIds: readonly number[],
  t: ReadTime,
  statuses: readonly ItemStatus[] | null,
  afterId: number | null,
  limit: number,
): Promise<ItemRecord[]> {
  if (statuses?.length === 0) return []; // the set of statuses wanted is empty
  const wanted = wantedIn(workstreamIds, statuses);
  const candidates = (await candidatesOf(em, workstreamIds))
    .filter((id) => afterId === null || id > afterId)
    .sort((a, b) => a - b);
  const found = new Map<number, ItemReplayState>();
  let chunk = FIRST_CHUNK;
  for (let at = 0; at < candidates.length && found.size < limit; at += chunk, chunk *= 2) {
    chunk = Math.min(chunk, LARGEST_CHUNK);
    const ids = candidates.slice(at, at + chunk);
    const states = replayItems(await findEntriesOfItems(em, ids, t.asOf, t.knownAt), t);
    for (const id of idsOf(states, wanted)) if (found.size < limit) found.set(id, states.get(id)!);
  }
  const records = await itemRecordsAt(em, [...found.keys()], t);
  return records.map((r) => asItStood(r, found.get(r.id)!)).sort((a, b) => a.id - b.id);
}

/**
 * Items as `itemsAsOf` gives them, each with the version it had at the read time instead of
 * today's (0 for an item whose rows carry none). A sheet exported as of a past day carries
 * these, so importing it again is refused (STALE_VERSION) for every item changed since, instead
 * of quietly putting back its old status.
 */
export async function itemsWithVersionsAsOf(
  em: Em,
  workstreamIds: readonly number[],
  t: ReadTime,
): Promise<ItemRecord[]> {
  const items = await itemsAsOf(em, workstreamIds, t, null);
  const versions = await findVersionsAt(
    em,
    items.map((i) => i.id),
    t.asOf,
    t.knownAt,
  );
  return items.map((i) => ({ ...i, version: versions.get(i.id) ?? 0 }));
}

/** One item at a read time, or null when it did not exist then (or was deleted). */
export async function itemAsOf(em: Em, id: number, t: ReadTime): Promise<ItemRecord | null> {
  const state = replayItems(await findEntriesOfItems(em, [id], t.asOf, t.knownAt), t).get(id);
  const [record] = state ? await itemRecordsAt(em, [id], t) : [];
  return state && record ? asItStood(record, state) : null;
}

function subtreeIds(node: TreeNode): number[] {
  const out: number[] = [];
  for (const stack = [node]; stack.length > 0;) {
    const n = stack.pop()!;
    out.push(n.id);
    stack.push(...n.children);
  }
  return out;
}

/**
 * What report lines need beyond the tallies, at the tree's time: in-progress percents and the
 * names under BY_NAME workstreams, from every item's replayed state (a report reads the
 * initiative's whole item log once; dashboards never do).
 */
export async function reportDetailsAsOf(em: Em, tree: InitiativeTree): Promise<ReportDetails> {
  const t = tree.time!;
  const states = replayItems(await findItemEntries(em, tree.initiative.id, t.asOf, t.knownAt), t);
  const counts = new Map<string, PercentCountRow>();
  for (const s of states.values()) {
    if (s.status !== 'IN_PROGRESS') continue;
    const key = `${s.workstreamId}:${s.percent}`;
    const prev = counts.get(key);
    counts.set(key, {
      workstreamId: s.workstreamId,
      percent: s.percent,
      items: (prev?.items ?? 0) + 1,
    });
  }
  const byName = new Set(
    [...tree.nodes.values()].filter((n) => n.reportDetail === 'BY_NAME').flatMap(subtreeIds),
  );
  const namedIds = [...states]
    .filter(
      ([, s]) => byName.has(s.workstreamId) && (s.status === 'DONE' || s.status === 'IN_PROGRESS'),
    )
    .map(([id]) => id);
  const named: NamedItemRow[] = (await itemRecordsAt(em, namedIds, t))
    .sort((a, b) => a.id - b.id)
    .map((r) => {
      const s = states.get(r.id)!;
      return {
        id: r.id,
        workstreamId: s.workstreamId,
        name: r.name,
        status: s.status as NamedItemRow['status'],
        percent: s.percent,
      };
    });
  return { percents: [...counts.values()], named };
}
