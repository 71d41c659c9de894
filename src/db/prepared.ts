import type { Database, Statement } from 'better-sqlite3';
import { dialectOf, type Em } from './em.js';

/**
 * Prepared statements kept per SQLite connection and SQL text. MikroORM writes every parameter
 * into the SQL text, so SQLite would parse and plan each statement anew; kept here, a statement
 * is prepared once and runs with its parameters bound (see sqlite-driver.ts for `em.execute`).
 */
const MAX_KEPT = 512;

interface Kept {
  readonly statement: Statement;
  /** Used since it last came to the front of the queue (see `keptStatement`). */
  used: boolean;
}
const kept = new WeakMap<Database, Map<string, Kept>>();

/**
 * The connection's prepared statement for `sql`, prepared on first use. When MAX_KEPT are kept,
 * one goes: the oldest not used since it last reached the front of the queue (a used one goes
 * to the back instead, a "second chance"). So a hit only sets a flag: a write runs a dozen
 * statements, and moving each to the back of the map on every use (a least-recently-used
 * order) cost two more map operations per statement, on keys of several hundred characters.
 */
export function keptStatement(db: Database, sql: string): Statement {
  let statements = kept.get(db);
  if (!statements) kept.set(db, (statements = new Map()));
  const hit = statements.get(sql);
  if (hit) {
    hit.used = true;
    return hit.statement;
  }
  const statement = db.prepare(sql);
  while (statements.size >= MAX_KEPT) {
    const [oldest, entry] = statements.entries().next().value!;
    statements.delete(oldest);
    if (entry.used) {
      entry.used = false;
      statements.set(oldest, entry);
    }
  }
  statements.set(sql, { statement, used: false });
  return statement;
}

/**
 * A parameter as MikroORM's SQLite platform writes it into SQL text, bound instead: whole
 * numbers as INTEGER (a bound JavaScript number is a REAL, which a TEXT or untyped column keeps
 * as `1.0`), dates as their milliseconds (how MikroORM stores datetimes in SQLite), booleans as
 * 1 and 0. `undefined` for a value only MikroORM's own formatting takes (lists, objects, blobs).
 */
export function bindable(value: unknown): unknown {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
    case 'bigint':
      return value;
    case 'boolean':
      return value ? 1n : 0n;
    case 'number':
      // A whole number's text is an integer literal up to SQLite's 64-bit range.
      if (Number.isInteger(value) && Math.abs(value) < 2 ** 63) return BigInt(value);
      return Number.isFinite(value) ? value : undefined;
    case 'object':
      return value instanceof Date && !Number.isNaN(value.getTime())
        ? BigInt(value.getTime())
        : undefined;
    default:
      return undefined;
  }
}

/** Every parameter bound, or null when one of them is not bindable. */
export function bindAll(params: readonly unknown[]): unknown[] | null {
  const out = new Array<unknown>(params.length);
  for (let i = 0; i < params.length; i++) {
    const v = bindable(params[i]);
    if (v === undefined) return null;
    out[i] = v;
  }
  return out;
}

function bound(params: readonly unknown[]): unknown[] {
  const out = bindAll(params);
  if (!out) throw new TypeError('a statement parameter that SQLite cannot bind');
  return out;
}

interface NativeSqlite {
  getNativeClient(): Promise<Database>;
}

/** The better-sqlite3 connection behind a SQLite entity manager. */
export const nativeSqlite = (em: Em): Promise<Database> =>
  (em.getConnection() as unknown as NativeSqlite).getNativeClient();

/**
 * Inside a SQLite transaction, statements of a write run straight on the native connection
 * (the transaction holds it, so nothing else runs in between), skipping the ORM's and the query
 * builder's layers. Everywhere else (outside a transaction, PostgreSQL) through MikroORM: null.
 * Synchronous once the connection has said which native connection it holds (sqlite-driver.ts):
 * asking MikroORM costs two awaits per statement, a dozen statements a write.
 */
function transactionKept(em: Em, sql: string): Statement | null | Promise<Statement> {
  if (!em.isInTransaction() || dialectOf(em) !== 'sqlite') return null;
  const db = (em.getConnection() as { native?: Database }).native;
  return db
    ? keptStatement(inOpenTransaction(db), sql)
    : nativeSqlite(em).then((d) => keptStatement(inOpenTransaction(d), sql));
}

/**
 * The connection, when it is in the transaction the statement belongs to. A connection closed
 * while a write that lets the event loop turn was under way (a stopping server) is opened again
 * by MikroORM on the next statement; run there, the rest of the write would commit statement by
 * statement while its beginning rolled back. It is refused instead, so the write fails whole.
 */
export function inOpenTransaction(db: Database): Database {
  if (!db.inTransaction)
    throw new Error(
      'the database connection was closed during the transaction; nothing of it is kept',
    );
  return db;
}

/** One statement run once per parameter list, in order (a bulk update's rows). */
export async function transactionStatementForEach(
  em: Em,
  sql: string,
  paramLists: readonly (readonly unknown[])[],
): Promise<void> {
  const kept = transactionKept(em, sql);
  const statement = kept instanceof Promise ? await kept : kept; // no turn when known
  if (!statement) {
    for (const params of paramLists) await em.execute(sql, params as unknown[], 'run');
    return;
  }
  for (const params of paramLists) statement.run(...bound(params));
}

export async function transactionStatement(
  em: Em,
  sql: string,
  params: readonly unknown[],
  method: 'all' | 'run',
): Promise<Record<string, unknown>[]> {
  const kept = transactionKept(em, sql);
  const statement = kept instanceof Promise ? await kept : kept; // no turn when known
  if (!statement) {
    const result = await em.execute(sql, params as unknown[], method);
    return method === 'all' ? (result as Record<string, unknown>[]) : [];
  }
  if (method === 'all') return statement.all(...bound(params)) as Record<string, unknown>[];
  statement.run(...bound(params));
  return [];
}

/**
 * An insert run inside a SQLite write's transaction, answering how many rows it added and the
 * last one's rowid; null outside one (or on PostgreSQL), where the caller asks with `returning`.
 */
export async function transactionInsert(
  em: Em,
  sql: string,
  params: readonly unknown[],
): Promise<{ changes: number; lastRowid: number } | null> {
  const kept = transactionKept(em, sql);
  const statement = kept instanceof Promise ? await kept : kept; // no turn when known
  if (!statement) return null;
  const { changes, lastInsertRowid } = statement.run(...bound(params));
  return { changes, lastRowid: Number(lastInsertRowid) };
}
