import type { ItemStatus } from '../domain/item-status.js';
import { containsPattern } from '../domain/name-search.js';
import type { Em } from '../db/em.js';
import type { ItemRecord } from '../db/records.js';
import { countItems, findItemsPage, type ItemPageQuery } from '../db/queries/item.queries.js';

export interface ListItemsProps {
  readonly em: Em;
  /** These workstreams' items, or (`{ initiativeId }`) every live item of an initiative. */
  readonly workstreamIds: ItemPageQuery['workstreamIds'];
  readonly first: number;
  readonly afterId: number | null;
  readonly statuses: readonly ItemStatus[] | null;
  /** Only items whose name contains this text (literally; ASCII letters in any case). */
  readonly search?: string | null;
}

export interface ItemPage {
  readonly items: ItemRecord[];
  readonly hasNextPage: boolean;
}

const patternOf = (search: string | null | undefined) =>
  search === null || search === undefined ? null : containsPattern(search);

/** A page of items in id order; asks for one more row to know whether another page exists. */
export async function listItems(props: ListItemsProps): Promise<ItemPage> {
  const namePattern = patternOf(props.search);
  // A status filter is the set of statuses wanted: an empty set wants nothing (null: every status).
  if (props.statuses?.length === 0) return { items: [], hasNextPage: false };
  const rows = await findItemsPage(props.em, {
    workstreamIds: props.workstreamIds,
    afterId: props.afterId,
    limit: props.first + 1,
    statuses: props.statuses,
    namePattern,
  });
  return { items: rows.slice(0, props.first), hasNextPage: rows.length > props.first };
}

export async function countListedItems(
  props: Pick<ListItemsProps, 'em' | 'workstreamIds' | 'statuses' | 'search'>,
): Promise<number> {
  if (props.statuses?.length === 0) return 0;
  return countItems(props.em, {
    workstreamIds: props.workstreamIds,
    statuses: props.statuses,
    namePattern: patternOf(props.search),
  });
}
