import type { Configuration, Transaction } from '@mikro-orm/core';
import { SqliteConnection, SqliteDriver } from '@mikro-orm/sqlite';
import type { Database, Statement } from 'better-sqlite3';
import { loggedText, plainStatement } from './bound-statement.js';
import { bindAll, inOpenTransaction, keptStatement } from './prepared.js';
import { PublishedFigures } from './published-figures.js';

type Execute = SqliteConnection['execute'];
type LoggingOptions = NonNullable<Parameters<Execute>[4]>;

/**
 * MikroORM's SQLite connection, with its raw statements (`em.execute`) run as kept prepared
 * statements (prepared.ts). MikroORM writes every parameter into the SQL text, and the query
 * builder under it prepares each text anew: SQLite parsed and planned the same few dozen
 * statements again on every request, about a tenth of a write's CPU. Here each text is prepared
 * once and its parameters bound, on the same connection and under the same turn-taking (the
 * statement runs inside the query builder's connection provider, which runs one statement at a
 * time and keeps the connection to an open transaction), with the same `onQuery` hook and
 * logging. What needs MikroORM's own formatting (lists, objects, `??` identifiers, a query that
 * can be aborted) goes the ordinary way.
 */
export class KeptStatementsConnection extends SqliteConnection {
  /** Transactions committed on this connection so far (group commit counts them: group-commit.ts). */
  commits = 0;

  /** The figures last published, kept between writes (published-figures.ts). */
  publishedFigures: PublishedFigures | undefined = undefined;

  /** The native connection, once made: what a write's kept statements run on (prepared.ts). */
  native: Database | undefined = undefined;

  /**
   * Every transaction begins IMMEDIATE, taking the write lock before its first read. For a
   * process that only writes beside a server (`jindu import`): a deferred transaction that reads
   * for a while and then writes fails (`SQLITE_BUSY_SNAPSHOT`) whenever the server committed in
   * between, every time it is tried again; an immediate one waits its turn (busy_timeout) and
   * plans against what it will write over. A server keeps deferred transactions: its reads
   * (read snapshots) must not take the lock, and its own writes never interleave.
   */
  beginImmediately = false;

  /**
   * The query builder prepares `begin` and `commit` anew for every transaction: kept too, and
   * told to what keeps state across transactions (the commit count, the published figures).
   */
  override createKyselyDialect(options: Parameters<SqliteConnection['createKyselyDialect']>[0]) {
    const dialect = super.createKyselyDialect(options);
    const db = (this.native = (this as unknown as { database: Database }).database);
    const prepare = db.prepare.bind(db);
    const figures = (this.publishedFigures = new PublishedFigures(db));
    const control = new Map<string, ReturnType<Database['prepare']>>();
    db.prepare = ((sql: string) => {
      if (!TRANSACTION_CONTROL.has(sql)) {
        // A nested transaction's rollback (kysely's savepoints) undoes part of the outer one.
        if (/^rollback to /i.test(sql))
          return this.after(prepare(sql), () => figures.savepointRolledBack());
        return prepare(sql);
      }
      const text = sql === 'begin' && this.beginImmediately ? 'begin immediate' : sql;
      let statement = control.get(text);
      if (!statement) control.set(text, (statement = this.told(sql, prepare(text), figures)));
      return statement;
    }) as Database['prepare'];
    return dialect;
  }

  /** A transaction control statement that says when it has run. */
  private told(sql: string, statement: Statement, figures: PublishedFigures): Statement {
    if (sql === 'begin') return this.after(statement, () => figures.began());
    if (sql === 'rollback') return this.after(statement, () => figures.rolledBack());
    return this.after(statement, () => {
      this.commits++;
      figures.committed();
    });
  }

  /** `statement`, calling `then` each time it has run without an error. */
  private after(statement: Statement, then: () => void): Statement {
    const run = statement.run.bind(statement);
    statement.run = ((...params: unknown[]) => {
      const result = run(...params);
      then();
      return result;
    }) as Statement['run'];
    return statement;
  }

  override async execute<T>(
    query: Parameters<Execute>[0],
    params: Parameters<Execute>[1] = [],
    method: 'all' | 'get' | 'run' = 'all',
    ctx?: Transaction,
    loggerContext?: LoggingOptions,
  ): Promise<T> {
    const bound = plainStatement(query, params, loggerContext)
      ? bindAll(params as unknown[])
      : null;
    if (!bound) return super.execute(query, params, method, ctx, loggerContext) as Promise<T>;
    await this.ensureConnection();
    const sql = this.config.get('onQuery')(query as string, params as unknown[]);
    if (ctx && this.unlogged()) {
      // Inside a transaction, which holds the connection until it ends (the query builder's
      // provider gives it to nothing else meanwhile), and with nothing to log or time: the
      // statement runs at once, as `transactionStatement` runs a write's own (prepared.ts).
      const db = inOpenTransaction(await this.getNativeClient());
      return this.transformRawResult<T>(runKept(db, sql, bound), method);
    }
    const logged = loggedText(
      this.config.getLogger(),
      (text, values) => this.platform.formatQuery(text, values),
      sql,
      params as unknown[],
      loggerContext,
    );
    const db = await this.getNativeClient();
    const executor = ((ctx ?? this.getClient()) as ReturnType<typeof this.getClient>).getExecutor();
    return this.executeQuery(
      logged,
      () =>
        executor.provideConnection(async () =>
          this.transformRawResult<T>(runKept(db, sql, bound), method),
        ),
      { query: sql, params: params as unknown[], ...loggerContext },
    );
  }

  /** True when MikroORM would neither log nor time a statement (no debug, no slow-query log). */
  private unlogged(): boolean {
    return (
      !this.logger.isEnabled('query') && (this.config.get('slowQueryThreshold') ?? null) === null
    );
  }
}

const TRANSACTION_CONTROL = new Set(['begin', 'commit', 'rollback']);

/** What the query builder's SQLite connection answers for a statement. */
function runKept(db: Database, sql: string, params: readonly unknown[]) {
  const statement = keptStatement(db, sql);
  if (statement.reader) return { rows: statement.all(...params) as Record<string, unknown>[] };
  const { changes, lastInsertRowid } = statement.run(...params);
  return {
    insertId: BigInt(lastInsertRowid),
    numAffectedRows: BigInt(changes),
    rows: [] as Record<string, unknown>[],
  };
}

/** `@mikro-orm/sqlite`'s driver, with the connection above (nothing opens before `connect`). */
export class JinduSqliteDriver extends SqliteDriver {
  constructor(config: Configuration) {
    super(config);
    (this as unknown as { connection: SqliteConnection }).connection = new KeptStatementsConnection(
      this.config,
    );
  }
}
