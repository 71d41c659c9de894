import type { ItemStatus } from '../domain/item-status.js';
import type { Em } from '../db/orm.js';
import type { ItemRecord } from '../db/records.js';
import { countItems, findItemsPage } from '../db/queries/item.queries.js';

export interface ListItemsProps {
  readonly em: Em;
  readonly workstreamIds: readonly number[];
  readonly first: number;
  readonly afterId: number | null;
  readonly statuses: readonly ItemStatus[] | null;
}

export interface ItemPage {
  readonly items: ItemRecord[];
  readonly hasNextPage: boolean;
}

/** A page of items in id order; asks for one more row to know whether another page exists. */
export async function listItems(props: ListItemsProps): Promise<ItemPage> {
  const rows = await findItemsPage(props.em, {
    workstreamIds: props.workstreamIds,
    afterId: props.afterId,
    limit: props.first + 1,
    statuses: props.statuses,
  });
  return { items: rows.slice(0, props.first), hasNextPage: rows.length > props.first };
}

export async function countListedItems(
  props: Pick<ListItemsProps, 'em' | 'workstreamIds' | 'statuses'>,
): Promise<number> {
  return countItems(props.em, { workstreamIds: props.workstreamIds, statuses: props.statuses });
}
