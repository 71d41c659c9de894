import type { ClientConfig } from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';

/**
 * The `pg` client, loaded on first use: this module's other functions serve SQLite too (the
 * shown URL), and loading `pg` costs every SQLite start tens of milliseconds.
 */
export const pgClient = async () => (await import('pg')).default;

/**
 * What a PostgreSQL URL says, read as `pg` reads it: `sslmode`, `ssl`, `sslrootcert`,
 * `application_name`, `options`, a socket directory in `host=`… MikroORM takes only the host,
 * port, user, password and database from its `clientUrl` and drops the rest, so
 * `?sslmode=require` connected in clear text without a word. The database is left to MikroORM,
 * which switches to `postgres` to create a missing one.
 */
export function pgConnectionOptions(url: string): Omit<ClientConfig, 'database'> {
  const options = parseIntoClientConfig(url);
  delete options.database;
  const own = options.options ?? process.env.PGOPTIONS;
  return { ...options, options: own ? `${SESSION_SETTINGS} ${own}` : SESSION_SETTINGS };
}

/**
 * Settings every pooled connection starts with, ahead of the URL's `options` (or PGOPTIONS),
 * which can set them otherwise: PostgreSQL takes the last `-c` of a name. JIT compilation is off:
 * PostgreSQL compiles a statement whose estimated cost passes `jit_above_cost`, 100–250 ms of
 * compiling, and Jindu's statements run in milliseconds: one the planner misjudged (a
 * workstream's stalled items, estimated at 10,000 rows for 30) took 173 ms instead of 2. An
 * as-of view's larger reads, which it did not compile, took the same time either way.
 */
const SESSION_SETTINGS = '-c jit=off';

/**
 * The URL's connection settings for a client of its own, its database named as MikroORM decodes
 * it (decodeURIComponent; pg's parser uses decodeURI, which leaves %23 as it is), so both mean
 * the same database.
 */
function clientConfig(url: string): ClientConfig & { database: string } {
  const database = decodeURIComponent(new URL(url).pathname.slice(1));
  return { ...parseIntoClientConfig(url), database, connectionTimeoutMillis: 10_000 };
}

/**
 * Whether PostgreSQL says the URL's database does not exist (3D000). Any other failure to
 * connect is thrown, for the caller to name.
 */
export async function postgresDatabaseMissing(url: string): Promise<boolean> {
  const { Client } = await pgClient();
  const probe = new Client(clientConfig(url));
  try {
    await probe.connect();
    return false;
  } catch (err) {
    if ((err as { code?: unknown }).code === '3D000') return true;
    throw err;
  } finally {
    await probe.end().catch(() => {});
  }
}

/** SQLSTATEs of a CREATE DATABASE that lost a race: it exists, or another is creating it. */
const ALREADY_THERE = new Set(['42P04', '23505']);

/**
 * Creates the URL's database if it is missing; true if this call created it. Instances that
 * start together on a new database all try: MikroORM's own check-then-create failed every
 * instance but one with `duplicate key value violates unique constraint
 * "pg_database_datname_index"`. Here losing that race means the database is there.
 */
export async function createPostgresDatabaseIfMissing(url: string): Promise<boolean> {
  if (!(await postgresDatabaseMissing(url))) return false;
  const config = clientConfig(url);
  const name = config.database;
  const { Client } = await pgClient();
  const admin = new Client({ ...config, database: 'postgres' });
  try {
    await admin.connect();
    await admin.query(`create database "${name.replace(/"/g, '""')}"`);
    return true;
  } catch (err) {
    if (ALREADY_THERE.has((err as { code?: unknown }).code as string)) return false;
    throw err;
  } finally {
    await admin.end().catch(() => {});
  }
}

/** Query parameters that carry a secret (pg reads `password` there too). */
const SECRET_PARAMS = /([?&](?:password|sslpassword)=)[^&#]*/gi;

/**
 * A database URL as logs and messages may show it: the user and password before the host, and a
 * password given as a parameter, are `***`. A SQLite URL is a path and shown as it is.
 */
export function shownDatabaseUrl(url: string): string {
  if (url.startsWith('sqlite:')) return url;
  return url.replace(/\/\/[^@/]*@/, '//***@').replace(SECRET_PARAMS, '$1***');
}
