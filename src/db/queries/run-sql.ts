import { dialectOf, type Em } from '../em.js';

/** Runs a statement with dates as SQLite stores them (milliseconds), as MikroORM's columns do. */
export function runSql(em: Em, sql: string, params: readonly unknown[] = [], method?: 'run') {
  const sqlite = dialectOf(em) === 'sqlite';
  return em.execute(
    sql,
    params.map((p) => (sqlite && p instanceof Date ? p.getTime() : p)),
    method,
  );
}
