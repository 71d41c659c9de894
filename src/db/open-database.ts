import { existsSync } from 'node:fs';
import type { MikroORM } from '@mikro-orm/core';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { migrate, openOrm } from './orm.js';
import { type Em } from './em.js';
import { isDatabaseUnavailable } from './connection-errors.js';
import { checkSqlitePragmas } from './sqlite-pragmas.js';
import { withStartupLock } from './startup-lock.js';
import { namedSqliteFile, sqliteFileOf } from './sqlite-file.js';
import {
  createPostgresDatabaseIfMissing,
  postgresDatabaseMissing,
  shownDatabaseUrl,
} from './pg-url.js';
import { probeSqliteWrite } from './sqlite-writable.js';

/**
 * Opens the configured database, checks SQLite's durability settings (every start, first boot
 * and restart alike), and brings the schema up to date, then runs `prepare` (seeding): both
 * under the startup lock, so instances that start together on one PostgreSQL take turns.
 */
export async function openDatabase(
  config: Config,
  log: Logger,
  /** Runs under the lock once the schema is up to date; `schema` says what was applied. */
  prepare?: (orm: MikroORM, schema: Awaited<ReturnType<typeof migrate>>) => Promise<void>,
  /** A command that may only read: a SQLite file it cannot write is not refused. */
  opts: { readonly mayBeReadOnly?: boolean } = {},
): Promise<MikroORM> {
  const file = sqliteFileOf(config.databaseUrl);
  const where = shownDatabaseUrl(config.databaseUrl);
  if (!config.databaseUrl.startsWith('sqlite:')) {
    const created = await createPostgresDatabaseIfMissing(config.databaseUrl).catch(
      (err: unknown) => {
        throw namedServer(err, where);
      },
    );
    if (created) log.info({ database: where }, 'created the database');
  }
  const orm = await openOrm({
    databaseUrl: config.databaseUrl,
    sqliteSynchronous: config.sqliteSynchronous,
  }).catch((err: unknown) => {
    throw namedSqliteFile(err, file);
  });
  try {
    if (config.databaseUrl.startsWith('sqlite:')) {
      const em = orm.em.fork() as Em;
      const pragmas = await checkSqlitePragmas(
        (sql) => em.execute(sql),
        config.sqliteSynchronous,
        config.databaseUrl.endsWith(':memory:'),
      );
      if (file !== null && !opts.mayBeReadOnly) await probeSqliteWrite(em);
      log.info({ database: where, pragmas }, 'database opened');
    } else {
      // The pool connects lazily: ask the server something before saying it is open, so an
      // unreachable PostgreSQL is reported as such, not after a line that says all is well.
      const [row] = await (orm.em.fork() as Em).execute<{ server_version: string }[]>(
        'show server_version',
      );
      log.info({ database: where, serverVersion: row?.server_version }, 'database opened');
    }
    await withStartupLock(orm, async () => {
      const schema = await migrate(orm);
      log.info(schema, 'schema up to date');
      await prepare?.(orm, schema);
    });
    return orm;
  } catch (err) {
    await orm.close();
    throw file === null ? namedServer(err, where) : namedSqliteFile(err, file);
  }
}

/**
 * `openDatabase` for a command that reads or changes what is there (verify, export, import,
 * token list…): on a SQLite file that does not exist it would create an empty database and
 * report on it ("0 initiatives… ok"), so a mistyped DATABASE_URL is said, not hidden.
 */
export async function openExistingDatabase(config: Config, log: Logger): Promise<MikroORM> {
  const file = sqliteFileOf(config.databaseUrl);
  const where = shownDatabaseUrl(config.databaseUrl);
  const missing = config.databaseUrl.startsWith('sqlite:')
    ? file !== null && !existsSync(file) && file
    : (await postgresDatabaseMissing(config.databaseUrl).catch((err: unknown) => {
        throw namedServer(err, where);
      })) && where;
  if (missing)
    throw new Error(
      `no database at ${missing}; check DATABASE_URL, or create it by starting the server once (npm start) or with \`jindu migrate\``,
    );
  let applied: readonly string[] = [];
  const orm = await openDatabase(
    config,
    log,
    async (_orm, schema) => {
      applied = schema.applied;
    },
    { mayBeReadOnly: true },
  );
  // An older release's database is upgraded before the command runs (the command's queries
  // need this release's schema): said, because a check like `verify` changing the file is news.
  if (applied.length > 0)
    process.stderr.write(
      `upgraded the database schema to this release first (applied ${applied.join(', ')})\n`,
    );
  return orm;
}

/** Node's codes for a server certificate it does not trust (pg verifies it for every sslmode). */
const TLS_CERT_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
]);

/**
 * A PostgreSQL that cannot be used at start (a missing database is created, as a missing
 * SQLite file is), said with the (password-masked) URL and what to
 * check, instead of the driver's bare `connect ECONNREFUSED 127.0.0.1:5432`.
 */
function namedServer(err: unknown, where: string): unknown {
  const code = (err as { code?: unknown })?.code;
  const why =
    code === '28P01' || code === '28000'
      ? 'the server refused the user or password in DATABASE_URL'
      : typeof code === 'string' && TLS_CERT_CODES.has(code)
        ? `the server's TLS certificate is not trusted (${code}): give its CA in DATABASE_URL's sslrootcert, or add uselibpqcompat=true to sslmode=require to encrypt without checking the certificate`
        : code === 'ENOTFOUND'
          ? `cannot find the host ${(err as { hostname?: string }).hostname ?? ''} (ENOTFOUND); is DATABASE_URL's host right?`
          : /does not support SSL/i.test(String((err as Error)?.message))
            ? 'the server does not support SSL connections, which DATABASE_URL asks for (sslmode, ssl)'
            : isDatabaseUnavailable(err)
              ? `cannot connect (${typeof code === 'string' ? code : (err as Error).message}); is the server running, and is DATABASE_URL's host and port right?`
              : null;
  return why === null ? err : new Error(`PostgreSQL at ${where}: ${why}`, { cause: err });
}
