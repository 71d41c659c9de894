/**
 * Statements with bound parameters sent as named prepared statements: `pg` parses a named
 * statement once per connection and afterwards sends only its parameters, and PostgreSQL keeps
 * the parsed statement (and, once it finds a generic plan as good, the plan) for the
 * connection's life. The texts come from pg-driver.ts, so the same statement has the same text.
 *
 * Only the first MAX_NAMED texts get a name (a text built from a list of variable length, say
 * `in (?, ?, …)` of every length, could otherwise fill every connection with statements used
 * once); the rest are sent unnamed as before. Named statements need a connection that stays
 * the session's: behind a pooler in transaction mode (PgBouncer's `pool_mode = transaction`)
 * set JINDU_PG_PREPARE=false.
 */

export const MAX_NAMED = 256;

const names = new Map<string, string>();

/** The statement name for `text`, or null when the budget of names is spent. */
export function nameOf(text: string): string | null {
  let name = names.get(text);
  if (name === undefined) {
    if (names.size >= MAX_NAMED) return null;
    name = `jindu_${names.size + 1}`;
    names.set(text, name);
  }
  return name;
}

interface QueryableClient {
  query: (...args: unknown[]) => unknown;
}

/** Makes every client of `pool` send statements with parameters as named statements. */
export function nameStatements(pool: {
  on(event: 'connect', listener: (client: QueryableClient) => void): unknown;
}): void {
  pool.on('connect', (client) => {
    const query = client.query;
    client.query = function (this: unknown, ...args: unknown[]) {
      const [text, values, callback] = args;
      if (
        typeof text === 'string' &&
        Array.isArray(values) &&
        values.length > 0 &&
        callback === undefined
      ) {
        const name = nameOf(text);
        if (name) return query.call(this, { name, text, values });
      }
      return query.apply(this, args);
    };
  });
}
