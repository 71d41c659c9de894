import type { Database, Statement } from 'better-sqlite3';
import { dialectOf, type Em } from './orm.js';

/**
 * Runs a statement of a write transaction. MikroORM writes every parameter into the SQL text,
 * so SQLite would parse and plan each statement anew; inside a SQLite transaction the statement
 * runs instead as a prepared statement, kept per SQL text, with its parameters bound, on the
 * same connection (the transaction holds it, so nothing else runs in between). Everywhere else
 * (reads outside a transaction, PostgreSQL) it goes through MikroORM.
 */
const MAX_KEPT = 256;
const kept = new WeakMap<Database, Map<string, Statement>>();

interface NativeSqlite {
  getNativeClient(): Promise<Database>;
}

function bindable(value: unknown): unknown {
  if (value instanceof Date) return value.getTime(); // how MikroORM stores datetimes in SQLite
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

/** One statement run once per parameter list, in order (a bulk update's rows). */
export async function transactionStatementForEach(
  em: Em,
  sql: string,
  paramLists: readonly (readonly unknown[])[],
): Promise<void> {
  if (!em.isInTransaction() || dialectOf(em) !== 'sqlite') {
    for (const params of paramLists) await em.execute(sql, params as unknown[], 'run');
    return;
  }
  const statement = await keptStatement(em, sql);
  for (const params of paramLists) statement.run(...params.map(bindable));
}

async function keptStatement(em: Em, sql: string): Promise<Statement> {
  const db = await (em.getConnection() as unknown as NativeSqlite).getNativeClient();
  let statements = kept.get(db);
  if (!statements) kept.set(db, (statements = new Map()));
  let statement = statements.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    statements.set(sql, statement);
    if (statements.size > MAX_KEPT) statements.delete(statements.keys().next().value!);
  }
  return statement;
}

export async function transactionStatement(
  em: Em,
  sql: string,
  params: readonly unknown[],
  method: 'all' | 'run',
): Promise<Record<string, unknown>[]> {
  if (!em.isInTransaction() || dialectOf(em) !== 'sqlite') {
    const result = await em.execute(sql, params as unknown[], method);
    return method === 'all' ? (result as Record<string, unknown>[]) : [];
  }
  const statement = await keptStatement(em, sql);
  const bound = params.map(bindable);
  if (method === 'all') return statement.all(...bound) as Record<string, unknown>[];
  statement.run(...bound);
  return [];
}
