import type { ItemStatus } from '../../domain/item-status.js';
import { dialectOf, type Em } from '../em.js';
import { transactionStatementForEach } from '../prepared.js';

/**
 * The item writes of setItemStatuses, updateItem, moveItem and deleteItem and their bulk
 * forms: each item's new values and version, every row stamped `updated_at = now`.
 */

/** A column an update sets from each row's values, and its type for PostgreSQL's VALUES list. */
interface Column {
  readonly name: string;
  readonly type: 'int' | 'text';
}

/** Rows a PostgreSQL statement carries: 100 rows of up to 6 values, far under its 65,535. */
const ROWS_PER_STATEMENT = 100;

/**
 * An update that sets `columns` of each item to `valuesOf(item)` (in the columns' order), and
 * `updated_at` and the `stamped` columns to `now`. SQLite: one prepared statement run once a
 * row, on the transaction's connection (no round trip). PostgreSQL: a row's statement is a
 * round trip, so several rows go in one, joined to a VALUES list (5,000 renames in an import
 * were 5,000 round trips). The statements' text is built once, here: setItemStatus is the hot
 * path, and SQLite's kept statements are found by it.
 */
function itemUpdate<T extends { readonly id: number }>(
  columns: readonly Column[],
  valuesOf: (item: T) => unknown[],
  stamped: readonly string[] = [],
) {
  const times = [...stamped, 'updated_at'];
  const stamps = times.map((c) => `${c} = ?`).join(', ');
  const oneRow = `update item set ${columns.map((c) => `${c.name} = ?, `).join('')}${stamps} where id = ?`;
  const set = columns.map((c) => `${c.name} = v.${c.name}, `).join('');
  const names = [...columns.map((c) => c.name), 'id'].join(', ');
  const row = `(${[...columns.map((c) => `?::${c.type}`), '?::int'].join(', ')})`;
  const manyRows = (n: number) =>
    `update item set ${set}${stamps} from (values ${Array(n).fill(row).join(', ')}) as v(${names}) where item.id = v.id`;

  return async (em: Em, items: readonly T[], now: Date): Promise<void> => {
    if (items.length === 0) return;
    if (items.length === 1 || dialectOf(em) !== 'postgresql') {
      // Each row's parameters in one array: its values, the times, its id.
      const params = items.map((item) => {
        const list = valuesOf(item);
        for (let t = 0; t < times.length; t++) list.push(now);
        list.push(item.id);
        return list;
      });
      await transactionStatementForEach(em, oneRow, params);
      return;
    }
    const nows = times.map(() => now);
    for (let from = 0; from < items.length; from += ROWS_PER_STATEMENT) {
      const part = items.slice(from, from + ROWS_PER_STATEMENT);
      const values = part.flatMap((item) => [...valuesOf(item), item.id]);
      await em.execute(manyRows(part.length), [...nows, ...values], 'run');
    }
  };
}

/** New statuses, percents and versions (setItemStatuses, setItemStage). */
export const writeItemStatuses = itemUpdate(
  [
    { name: 'status', type: 'text' },
    { name: 'percent', type: 'int' },
    { name: 'version', type: 'int' },
  ],
  (i: {
    readonly id: number;
    readonly status: ItemStatus;
    readonly percent: number;
    readonly version: number;
  }) => [i.status, i.percent, i.version],
);

/** Name, weight and note of each item, as they now are, with its new version. */
export const writeItemAttributes = itemUpdate(
  [
    { name: 'name', type: 'text' },
    { name: 'weight', type: 'int' },
    { name: 'note', type: 'text' },
    { name: 'version', type: 'int' },
  ],
  (i: {
    readonly id: number;
    readonly name: string;
    readonly weight: number;
    readonly note: string | null;
    readonly version: number;
  }) => [i.name, i.weight, i.note, i.version],
);

/** Each item's new workstream, with its new version. */
export const writeItemWorkstreams = itemUpdate(
  [
    { name: 'workstream_id', type: 'int' },
    { name: 'version', type: 'int' },
  ],
  (i: { readonly id: number; readonly workstreamId: number; readonly version: number }) => [
    i.workstreamId,
    i.version,
  ],
);

/** Soft-deletes each item with its new version. */
export const markItemsDeleted = itemUpdate(
  [{ name: 'version', type: 'int' }],
  (i: { readonly id: number; readonly version: number }) => [i.version],
  ['deleted_at'],
);
