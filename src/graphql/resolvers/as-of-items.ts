import type { ItemStatus } from '../../domain/item-status.js';
import type { ReadTime } from '../../domain/replay-items.js';
import { itemsAsOf } from '../../services/as-of-items.js';
import type { Context } from '../context.type.js';
import { ItemConnectionType } from '../types/item-connection.type.js';
import { ItemType } from '../types/item.type.js';
import { itemCursor } from './ids.js';
import { nameContains } from '../../domain/name-search.js';

/** A page of a workstream's items as they stood (replayed, then paged in id order). */
export async function itemPageAsOf(
  ctx: Context,
  t: ReadTime,
  workstreamIds: readonly number[],
  first: number,
  afterId: number | null,
  statuses: readonly ItemStatus[] | null,
  search: string | null,
): Promise<ItemConnectionType> {
  const found = await itemsAsOf(ctx.em, workstreamIds, t, statuses);
  const all = search === null ? found : found.filter((i) => nameContains(i.name, search));
  const rest = afterId === null ? all : all.filter((i) => i.id > afterId);
  return new ItemConnectionType(
    rest.slice(0, first).map((i) => new ItemType(i, t)),
    rest.length > first,
    (item) => itemCursor(item.record.id),
    async () => all.length,
  );
}
