/**
 * What the SQLite and PostgreSQL connections share when they send `em.execute`'s statements with
 * bound parameters themselves (sqlite-driver.ts, pg-driver.ts) instead of MikroORM writing the
 * values into the text.
 */

/**
 * Whether a call can take that path: a text with positional `?` placeholders (no `??`
 * identifiers, no escaped `\?`) and a list of values, and no abort signal (only MikroORM's own
 * path can cut a running statement).
 */
export function plainStatement(
  query: unknown,
  params: unknown,
  loggerContext: unknown,
): query is string {
  const abortable = loggerContext as
    { signal?: unknown; inflightQueryAbortStrategy?: unknown } | undefined;
  return (
    typeof query === 'string' &&
    Array.isArray(params) &&
    abortable?.signal == null &&
    abortable?.inflightQueryAbortStrategy == null &&
    !query.includes('??') &&
    !query.includes('\\?')
  );
}

/** The text MikroORM logs for a statement: its values written in only when they are logged. */
export function loggedText(
  logger: { isEnabled(namespace: 'query-params', context?: never): boolean },
  formatQuery: (sql: string, params: unknown[]) => string,
  sql: string,
  params: unknown[],
  loggerContext: unknown,
): string {
  return logger.isEnabled('query-params', loggerContext as never) ? formatQuery(sql, params) : sql;
}
