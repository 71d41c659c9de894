import type { ReadTime } from '../domain/replay-items.js';
import type { Em } from '../db/em.js';
import { findLastProgressAt } from '../db/queries/series.queries.js';
import type { ItemRecord } from '../db/records.js';
import { itemsAsOf } from './as-of-items.js';

/** A stalled item as a view lists it: the item (as it stood) and its last progress. */
export interface StalledEntry {
  readonly item: ItemRecord;
  readonly lastChangeAt: number;
}

/**
 * Items of these workstreams that were in progress or paused at the read time and whose last
 * progress, as known then, took effect at or before `before`: oldest first (ties by id), after
 * a keyset cursor. The live list reads today's items and clock; a view as of last week's report
 * lists what stood still then, counted to then.
 */
export async function stalledItemsAsOf(
  em: Em,
  workstreamIds: readonly number[],
  t: ReadTime,
  before: number,
  after: { at: number; id: number } | null,
  limit: number,
): Promise<StalledEntry[]> {
  const items = await itemsAsOf(em, workstreamIds, t, ['IN_PROGRESS', 'PAUSED']);
  const last = await findLastProgressAt(
    em,
    items.map((i) => i.id),
    t.asOf,
    t.knownAt,
  );
  const entries: StalledEntry[] = [];
  for (const item of items) {
    const at = last.get(item.id);
    if (at === undefined || at > before) continue;
    if (after && (at < after.at || (at === after.at && item.id <= after.id))) continue;
    entries.push({ item, lastChangeAt: at });
  }
  entries.sort((a, b) => a.lastChangeAt - b.lastChangeAt || a.item.id - b.item.id);
  return entries.slice(0, limit);
}
