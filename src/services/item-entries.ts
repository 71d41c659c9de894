import { DomainError, notFound } from '../domain/errors.js';
import { versionMismatch } from '../domain/item-rules.js';
import type { Em } from '../db/em.js';
import type { ItemRecord } from '../db/records.js';
import { findItemsByIds } from '../db/queries/item.queries.js';
import type { WriteScope } from './write-scope.js';

/**
 * Where an entry's field sits in the input: `[name]` for a single write (updateItem),
 * `['updates', '3', name]` for the fourth entry of its bulk form, so an error names what the
 * client sent.
 */
export type FieldOf = (index: number, name: string) => string[];

/**
 * The item an entry names, if the entry may change it: live, in the caller's scope and at the
 * version the entry expects (when it gives one); else the refusal, on the entry's fields.
 */
export function itemToChange(
  item: ItemRecord | undefined,
  expectedVersion: number | null | undefined,
  inScope: WriteScope,
  at: (name: string) => string[],
): ItemRecord | DomainError {
  if (!item || item.deleted || !inScope(item.initiativeId)) return notFound('事项', at('itemId'));
  return versionMismatch(expectedVersion, item.version, at('expectedVersion')) ?? item;
}

/** itemToChange, throwing its refusal. */
export function changeableItem(...args: Parameters<typeof itemToChange>): ItemRecord {
  const item = itemToChange(...args);
  if (item instanceof DomainError) throw item;
  return item;
}

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
