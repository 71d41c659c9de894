/** `?, ?, ?` for a list of values (an empty list becomes a never-matching `null`). */
export function placeholders(values: readonly unknown[]): string {
  return values.length === 0 ? 'null' : values.map(() => '?').join(', ');
}

/**
 * Ids one statement names at most: SQLite takes 32,766 parameters, PostgreSQL 65,535, and an
 * initiative may have more workstreams or items than that.
 */
export const IDS_PER_STATEMENT = 10_000;

/**
 * `query` run on `ids` a slice of IDS_PER_STATEMENT at a time, the rows of every slice in one
 * list (in slice order: a caller that needs another order sorts).
 */
export async function inSlices<T>(
  ids: readonly number[],
  query: (slice: readonly number[]) => Promise<T[]>,
): Promise<T[]> {
  if (ids.length <= IDS_PER_STATEMENT) return query(ids);
  const out: T[] = [];
  for (let at = 0; at < ids.length; at += IDS_PER_STATEMENT)
    out.push(...(await query(ids.slice(at, at + IDS_PER_STATEMENT))));
  return out;
}

/**
 * An ordered read (`query` gives each slice's rows in `order`, at most `limit`) over ids a slice
 * at a time: the first `limit` of every slice's first `limit`, which is the page one statement
 * would give. One statement when the ids fit in one.
 */
export async function orderedInSlices<T>(
  ids: readonly number[],
  order: (a: T, b: T) => number,
  limit: number,
  query: (slice: readonly number[]) => Promise<T[]>,
): Promise<T[]> {
  if (ids.length <= IDS_PER_STATEMENT) return query(ids);
  return (await inSlices(ids, query)).sort(order).slice(0, limit);
}

/** Row counts whose statement text `textPerRowCount` keeps, per statement. */
const KEPT_ROW_COUNTS = 64;

/**
 * A statement's text for `n` rows, kept for the last few row counts made: the same text comes
 * back as the same string, so the kept statements' map (prepared.ts) hashes a bulk write's few
 * kilobytes of `(?, ?, …)` once rather than on every call.
 */
export function textPerRowCount(make: (rows: number) => string): (rows: number) => string {
  const made = new Map<number, string>();
  return (rows) => {
    let text = made.get(rows);
    if (text === undefined) {
      if (made.size >= KEPT_ROW_COUNTS) made.delete(made.keys().next().value!);
      made.set(rows, (text = make(rows)));
    }
    return text;
  };
}
