import type { Em } from '../em.js';

/** Keys one statement reads the newest rows of (SQLite takes 500 terms in a `union all`). */
export const KEYS_PER_STATEMENT = 100;

export interface NewestByKey {
  /** A table with an index on (`column`, id). */
  readonly table: string;
  readonly column: string;
  /** The columns to select (with `id`). */
  readonly columns: string;
  readonly keys: readonly number[];
  /** Newest first: rows older than this id. */
  readonly beforeId: number | null;
  readonly limit: number;
}

/**
 * The newest `limit` rows of `table` whose `column` is one of `keys`, newest first by id: each
 * key's newest `limit` read on the (column, id) index, a subquery each, and the newest of them
 * kept. Asked `column in (…) order by id desc limit ?`, PostgreSQL walked the table's primary key
 * back from its end, through every newer row of other keys (a quiet key behind 2,000,000 rows of
 * another: 434 ms); sorted instead, a busy key's rows are all read for each page. Each key's
 * value is a range and in the order, so that only that index gives the order without a sort.
 * Reads at most `limit` rows a key, so a caller keeps `keys` to a few hundred.
 */
export async function newestByKey(em: Em, q: NewestByKey): Promise<Record<string, unknown>[]> {
  const before = q.beforeId === null ? '' : ' and id < ?';
  const one = (i: number) =>
    `select * from (select ${q.columns} from ${q.table}
      where ${q.column} >= ? and ${q.column} <= ?${before}
      order by ${q.column} desc, id desc limit ?) k${i}`;
  const rows: Record<string, unknown>[] = [];
  for (let at = 0; at < q.keys.length; at += KEYS_PER_STATEMENT) {
    const slice = q.keys.slice(at, at + KEYS_PER_STATEMENT);
    const params = slice.flatMap((key) => [
      key,
      key,
      ...(q.beforeId === null ? [] : [q.beforeId]),
      q.limit,
    ]);
    rows.push(
      ...(await em.execute(
        `${slice.map((_, i) => one(i)).join(' union all ')} order by id desc limit ?`,
        [...params, q.limit],
      )),
    );
  }
  return rows.sort((a, b) => Number(b.id) - Number(a.id)).slice(0, q.limit);
}
