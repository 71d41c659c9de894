/** `?, ?, ?` for a list of values (an empty list becomes a never-matching `null`). */
export function placeholders(values: readonly unknown[]): string {
  return values.length === 0 ? 'null' : values.map(() => '?').join(', ');
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
