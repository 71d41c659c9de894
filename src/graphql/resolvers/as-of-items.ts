import type { ItemStatus } from '../../domain/item-status.js';
import type { ReadTime } from '../../domain/replay-items.js';
import { itemsAsOf, itemsAsOfPage } from '../../services/as-of-items.js';
import type { Context } from '../context.type.js';
import { ItemConnectionType } from '../types/item-connection.type.js';
import { ItemType } from '../types/item.type.js';
import { itemCursor } from './ids.js';
import { nameContains } from '../../domain/name-search.js';

/**
 * A page of a workstream's items as they stood, in id order. Without a name filter only as many
 * items are replayed as the page takes (itemsAsOfPage); a name as it stood needs every item's
 * record, so a search replays them all, then pages.
 */
export async function itemPageAsOf(
  ctx: Context,
  t: ReadTime,
  workstreamIds: readonly number[],
  first: number,
  afterId: number | null,
  statuses: readonly ItemStatus[] | null,
  search: string | null,
  /** Without a search, how many items the page lists: the as-of tree's counters say. */
  counted: () => Promise<number>,
): Promise<ItemConnectionType> {
  const cursor = (item: ItemType) => itemCursor(item.record.id);
  if (search === null) {
    const page = await itemsAsOfPage(ctx.em, workstreamIds, t, statuses, afterId, first + 1);
    return new ItemConnectionType(
      page.slice(0, first).map((i) => new ItemType(i, t)),
      page.length > first,
      cursor,
      counted,
    );
  }
  const found = await itemsAsOf(ctx.em, workstreamIds, t, statuses);
  const all = found.filter((i) => nameContains(i.name, search));
  const rest = afterId === null ? all : all.filter((i) => i.id > afterId);
  return new ItemConnectionType(
    rest.slice(0, first).map((i) => new ItemType(i, t)),
    rest.length > first,
    cursor,
    async () => all.length,
  );
}
