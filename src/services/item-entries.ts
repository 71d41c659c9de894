import { DomainError } from '../domain/errors.js';
import type { Em } from '../db/em.js';
import { findItemsByIds } from '../db/queries/item.queries.js';

/**
 * Where an entry's field sits in the input: `[name]` for a single write (updateItem),
 * `['updates', '3', name]` for the fourth entry of its bulk form, so an error names what the
 * client sent.
 */
export type FieldOf = (index: number, name: string) => string[];

/** A bulk write names each item once: two entries for one item would race on its version. */
export function assertDistinctItems(
  entries: readonly { readonly itemId: number }[],
  fieldOf: FieldOf,
): void {
  const seen = new Set<number>();
  entries.forEach((e, i) => {
    if (seen.has(e.itemId))
      throw new DomainError(
        'INVALID_INPUT',
        '同一事项在一次调用中只能出现一次',
        fieldOf(i, 'itemId'),
      );
    seen.add(e.itemId);
  });
}

/**
 * The initiative of an item (of a bulk write's first), for the pipeline's initiative lock:
 * children may not appear under a move's target meanwhile, nor a workflow change under a stage.
 */
export const initiativeOfItem = async (tem: Em, itemId: number | undefined) =>
  itemId === undefined ? null : ((await findItemsByIds(tem, [itemId]))[0]?.initiativeId ?? null);
