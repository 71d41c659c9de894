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
 * An update that sets `columns` of each item to its row's values (the id last), and
 * `updated_at` and the `stamped` columns to `now`. SQLite: one prepared statement run once a
 * row, on the transaction's connection (no round trip). PostgreSQL: a row's statement is a
 * round trip, so several rows go in one, joined to a VALUES list (5,000 renames in an import
 * were 5,000 round trips). The statements' text is built once, here: setItemStatus is the hot
 * path, and SQLite's kept statements are found by it.
 */
function itemUpdate(columns: readonly Column[], stamped: readonly string[] = []) {
  const times = [...stamped, 'updated_at'];
  const stamps = times.map((c) => `${c} = ?`).join(', ');
  const oneRow = `update item set ${columns.map((c) => `${c.name} = ?, `).join('')}${stamps} where id = ?`;
  const set = columns.map((c) => `${c.name} = v.${c.name}, `).join('');
  const names = [...columns.map((c) => c.name), 'id'].join(', ');
  const row = `(${[...columns.map((c) => `?::${c.type}`), '?::int'].join(', ')})`;
  const manyRows = (n: number) =>
    `update item set ${set}${stamps} from (values ${Array(n).fill(row).join(', ')}) as v(${names}) where item.id = v.id`;

  return async (em: Em, rows: readonly (readonly unknown[])[], now: Date): Promise<void> => {
    if (rows.length === 0) return;
    const nows = times.map(() => now);
    if (rows.length === 1 || dialectOf(em) !== 'postgresql') {
      await transactionStatementForEach(
        em,
        oneRow,
        rows.map((r) => [...r.slice(0, -1), ...nows, r.at(-1)]),
      );
      return;
    }
    for (let from = 0; from < rows.length; from += ROWS_PER_STATEMENT) {
      const part = rows.slice(from, from + ROWS_PER_STATEMENT);
      await em.execute(manyRows(part.length), [...nows, ...part.flat()], 'run');
    }
  };
}

const statusUpdate = itemUpdate([
  { name: 'status', type: 'text' },
  { name: 'percent', type: 'int' },
  { name: 'version', type: 'int' },
]);

/** New statuses, percents and versions (setItemStatuses). */
export async function writeItemStatuses(
  em: Em,
  items: readonly {
    readonly id: number;
    readonly status: ItemStatus;
    readonly percent: number;
    readonly version: number;
  }[],
  now: Date,
): Promise<void> {
  await statusUpdate(
    em,
    items.map((i) => [i.status, i.percent, i.version, i.id]),
    now,
  );
}

const attributesUpdate = itemUpdate([
  { name: 'name', type: 'text' },
  { name: 'weight', type: 'int' },
  { name: 'note', type: 'text' },
  { name: 'version', type: 'int' },
]);

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
  await attributesUpdate(
    em,
    items.map((i) => [i.name, i.weight, i.note, i.version, i.id]),
    now,
  );
}

const workstreamUpdate = itemUpdate([
  { name: 'workstream_id', type: 'int' },
  { name: 'version', type: 'int' },
]);

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
  await workstreamUpdate(
    em,
    items.map((i) => [i.workstreamId, i.version, i.id]),
    now,
  );
}

const deletedUpdate = itemUpdate([{ name: 'version', type: 'int' }], ['deleted_at']);

/** Soft-deletes each item with its new version. */
export async function markItemsDeleted(
  em: Em,
  items: readonly { readonly id: number; readonly version: number }[],
  now: Date,
): Promise<void> {
  await deletedUpdate(
    em,
    items.map((i) => [i.version, i.id]),
    now,
  );
}
