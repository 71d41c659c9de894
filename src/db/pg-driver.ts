import type { Configuration, Transaction } from '@mikro-orm/core';
import { PostgreSqlConnection, PostgreSqlDriver } from '@mikro-orm/postgresql';
import { CompiledQuery } from 'kysely';
import { loggedText, plainStatement } from './bound-statement.js';

type Execute = PostgreSqlConnection['execute'];
type LoggingOptions = NonNullable<Parameters<Execute>[4]>;

/**
 * MikroORM's PostgreSQL connection, with its raw statements (`em.execute`) sent with bound
 * parameters instead of values written into the SQL text. MikroORM writes every parameter into
 * the text, so each statement reached the server as a text it had never seen: PostgreSQL parsed,
 * analysed and planned it anew every time, about three fifths of its CPU per `setItemStatus`
 * (measured with `log_parser_stats`, `log_planner_stats` and `log_executor_stats`). Bound, a
 * statement's text is the same from call to call, so it can be prepared once per connection
 * (pg-named-statements.ts) and its plan reused.
 *
 * A bound parameter is typed as the literal MikroORM would have written: a whole number in
 * int4's range `$n::int4` and beyond it `::int8`, any other number `::numeric`, a boolean
 * `::bool`; strings, dates (in MikroORM's own text for them) and null stay untyped, as their
 * quoted literals are. So every statement means exactly what it meant with the values written
 * in. What needs MikroORM's own formatting (lists, objects, blobs, `??` identifiers, a query
 * that can be aborted) goes the ordinary way.
 */
export class BoundParametersConnection extends PostgreSqlConnection {
  override async execute<T>(
    query: Parameters<Execute>[0],
    params: Parameters<Execute>[1] = [],
    method: 'all' | 'get' | 'run' = 'all',
    ctx?: Transaction,
    loggerContext?: LoggingOptions,
  ): Promise<T> {
    const bound =
      plainStatement(query, params, loggerContext) && (params as unknown[]).length > 0
        ? bindParameters(query, params as unknown[], (d) => formatDateOf(this.platform, d))
        : null;
    if (!bound) return super.execute(query, params, method, ctx, loggerContext) as Promise<T>;
    await this.ensureConnection();
    const sql = this.config.get('onQuery')(query as string, params as unknown[]);
    const logged = loggedText(
      this.config.getLogger(),
      (text, values) => this.platform.formatQuery(text, values),
      sql,
      params as unknown[],
      loggerContext,
    );
    const client = (ctx ?? this.getClient()) as ReturnType<typeof this.getClient>;
    return this.executeQuery(
      logged,
      async () =>
        this.transformRawResult<T>(
          await client.executeQuery(CompiledQuery.raw(bound.sql, bound.values)),
          method,
        ),
      { query: sql, params: params as unknown[], ...loggerContext },
    );
  }
}

const INT4 = 2 ** 31;

/** A date as MikroORM's PostgreSQL platform writes it into SQL (its `formatDate`, internal). */
const formatDateOf = (platform: unknown, d: Date): string =>
  (platform as { formatDate(date: Date): string }).formatDate(d);

/**
 * `sql` with its `?` placeholders numbered (`$1`, `$2`, …) and typed as described above, and the
 * values to bind; null when a placeholder or a value needs MikroORM's own formatting.
 */
export function bindParameters(
  sql: string,
  params: readonly unknown[],
  formatDate: (d: Date) => string,
): { sql: string; values: unknown[] } | null {
  if (sql.includes('??') || sql.includes('\\?') || sql.includes('$')) return null;
  const values = new Array<unknown>(params.length);
  let out = '';
  let pos = 0;
  for (let i = 0; i < params.length; i++) {
    const at = sql.indexOf('?', pos);
    if (at < 0) return null;
    const v = params[i];
    let cast = '';
    if (v === null || typeof v === 'string') values[i] = v;
    else if (typeof v === 'bigint') values[i] = v.toString();
    else if (typeof v === 'boolean') {
      values[i] = v;
      cast = '::bool';
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) return null;
      values[i] = v;
      cast = Number.isInteger(v) ? (Math.abs(v) < INT4 ? '::int4' : '::int8') : '::numeric';
      if (Number.isInteger(v) && !Number.isSafeInteger(v)) return null;
    } else if (v instanceof Date && !Number.isNaN(v.getTime())) values[i] = formatDate(v);
    else return null;
    out += `${sql.slice(pos, at)}$${i + 1}${cast}`;
    pos = at + 1;
  }
  if (sql.indexOf('?', pos) >= 0) return null;
  return { sql: out + sql.slice(pos), values };
}

/** `@mikro-orm/postgresql`'s driver, with the connection above. */
export class JinduPostgreSqlDriver extends PostgreSqlDriver {
  constructor(config: Configuration) {
    super(config);
    (this as unknown as { connection: PostgreSqlConnection }).connection =
      new BoundParametersConnection(this.config);
  }
}
