import type { MikroORM } from '@mikro-orm/core';
import { dialectOf, type Em } from './em.js';

/**
 * The PostgreSQL advisory-lock key that serializes "prepare the database" across processes
 * (ASCII "jindu-db" as a 64-bit number; any constant works if no other app reuses it).
 */
export const STARTUP_LOCK_KEY = 0x6a696e64752d6462n;

interface LockClient {
  query(sql: string, params?: unknown[]): Promise<unknown>;
  release(err?: Error | boolean): void;
}

/**
 * Runs `prepare` (schema changes, migrations, seeding: whatever must happen once before
 * serving) while holding a session advisory lock on a dedicated PostgreSQL connection, so
 * instances that start together take turns: the first creates and seeds, the others then find
 * the work done. `prepare` must check the database's state itself (e.g. "is it empty?"): it runs
 * inside the lock, after whoever held it before. SQLite serves one process: no lock.
 */
export async function withStartupLock<T>(orm: MikroORM, prepare: () => Promise<T>): Promise<T> {
  if (dialectOf(orm.em as Em) !== 'postgresql') return prepare();
  const connection = orm.em.getDriver().getConnection() as unknown as {
    getNativeClient(): Promise<{ connect(): Promise<LockClient> }>;
  };
  const client = await (await connection.getNativeClient()).connect();
  try {
    await client.query('select pg_advisory_lock($1)', [STARTUP_LOCK_KEY.toString()]);
    return await prepare();
  } finally {
    // Ending the session releases the lock whatever happened; the pool opens fresh connections.
    await client
      .query('select pg_advisory_unlock($1)', [STARTUP_LOCK_KEY.toString()])
      .catch(() => undefined);
    client.release(true);
  }
}
