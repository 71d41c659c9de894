import { openOrm } from '../../src/db/orm.js';
import { type Em } from '../../src/db/em.js';
import { POSTGRES_URL } from './databases.js';

/** The database name of a postgres:// URL. */
export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

/**
 * Runs statements on the test server's admin database (never the database under test, whose
 * connections the tests cut).
 */
export async function asAdmin<T>(work: (em: Em) => Promise<T>): Promise<T> {
  if (!POSTGRES_URL) throw new Error('TEST_POSTGRES_URL is not set');
  const admin = await openOrm({ databaseUrl: POSTGRES_URL, poolSize: 1 });
  try {
    return await work(admin.em.fork() as Em);
  } finally {
    await admin.close();
  }
}

/** The stand-in for a PostgreSQL restart: ends every session of one database. */
export async function terminateBackends(em: Em, db: string): Promise<number> {
  const rows = await em.execute(
    'select pg_terminate_backend(pid) as ok from pg_stat_activity where datname = ? and pid <> pg_backend_pid()',
    [db],
  );
  return rows.filter((r) => r.ok === true).length;
}

/** Opens or closes one database to new connections (superusers included): an outage. */
export async function allowConnections(em: Em, db: string, allow: boolean): Promise<void> {
  await em.execute(`alter database "${db.replaceAll('"', '""')}" allow_connections ${allow}`);
}
