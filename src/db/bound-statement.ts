import type { Configuration } from '@mikro-orm/core';

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

/**
 * A statement's text as it is sent (after MikroORM's `onQuery` hook) and as MikroORM logs it:
 * its values written in only when they are logged.
 */
export function statementTexts(
  config: Configuration,
  platform: { formatQuery(sql: string, params: readonly unknown[]): string },
  query: string,
  params: unknown[],
  loggerContext: unknown,
): { sql: string; logged: string } {
  const sql = config.get('onQuery')(query, params);
  const logged = config.getLogger().isEnabled('query-params', loggerContext as never)
    ? platform.formatQuery(sql, params)
    : sql;
  return { sql, logged };
}
