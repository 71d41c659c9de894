import type { Em } from '../em.js';
import { transactionStatementForEach } from '../prepared.js';

/**
 * The writes of updateItem, moveItem and deleteItem and their bulk forms: one statement text
 * each, run once per item (prepared once on SQLite), whatever an update changes.
 */

/** Name, weight and note of each item, as they now are, with its new version. */
export async function writeItemAttributes(
  em: Em,
  items: readonly {
    readonly id: number;
    readonly name: string;
    readonly weight: number;
    readonly note: string | null;
    readonly version: number;
  }[],
  now: Date,
): Promise<void> {
  await transactionStatementForEach(
    em,
    'update item set name = ?, weight = ?, note = ?, version = ?, updated_at = ? where id = ?',
    items.map((i) => [i.name, i.weight, i.note, i.version, now, i.id]),
  );
}

/** Each item's new workstream, with its new version. */
export async function writeItemWorkstreams(
  em: Em,
  items: readonly {
    readonly id: number;
    readonly workstreamId: number;
    readonly version: number;
  }[],
  now: Date,
): Promise<void> {
  await transactionStatementForEach(
    em,
    'update item set workstream_id = ?, version = ?, updated_at = ? where id = ?',
    items.map((i) => [i.workstreamId, i.version, now, i.id]),
  );
}

/** Soft-deletes each item with its new version. */
export async function markItemsDeleted(
  em: Em,
  items: readonly { readonly id: number; readonly version: number }[],
  now: Date,
): Promise<void> {
  await transactionStatementForEach(
    em,
    'update item set deleted_at = ?, version = ?, updated_at = ? where id = ?',
    items.map((i) => [now, i.version, now, i.id]),
  );
}
