import { existsSync } from 'node:fs';
import type { MikroORM } from '@mikro-orm/core';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { migrate, openOrm, type Em } from './orm.js';
import { checkSqlitePragmas } from './sqlite-pragmas.js';
import { withStartupLock } from './startup-lock.js';
import { sqliteFileOf } from './sqlite-file.js';

/**
 * Opens the configured database, checks SQLite's durability settings (every start, first boot
 * and restart alike), and brings the schema up to date, then runs `prepare` (seeding): both
 * under the startup lock, so instances that start together on one PostgreSQL take turns.
 */
export async function openDatabase(
  config: Config,
  log: Logger,
  prepare?: (orm: MikroORM) => Promise<void>,
): Promise<MikroORM> {
  const file = sqliteFileOf(config.databaseUrl);
  const orm = await openOrm({
    databaseUrl: config.databaseUrl,
    sqliteSynchronous: config.sqliteSynchronous,
  }).catch((err: unknown) => {
    throw namedFile(err, file);
  });
  try {
    const where = config.databaseUrl.startsWith('sqlite:')
      ? config.databaseUrl
      : config.databaseUrl.replace(/\/\/[^@/]*@/, '//***@');
    if (config.databaseUrl.startsWith('sqlite:')) {
      const em = orm.em.fork() as Em;
      const pragmas = await checkSqlitePragmas(
        (sql) => em.execute(sql),
        config.sqliteSynchronous,
        config.databaseUrl.endsWith(':memory:'),
      );
      log.info({ database: where, pragmas }, 'database opened');
    } else {
      log.info({ database: where }, 'database opened');
    }
    await withStartupLock(orm, async () => {
      const schema = await migrate(orm);
      log.info(schema, 'schema up to date');
      await prepare?.(orm);
    });
    return orm;
  } catch (err) {
    await orm.close();
    throw namedFile(err, file);
  }
}

/**
 * `openDatabase` for a command that reads or changes what is there (verify, export, import,
 * token list…): on a SQLite file that does not exist it would create an empty database and
 * report on it ("0 initiatives… ok"), so a mistyped DATABASE_URL is said, not hidden.
 */
export async function openExistingDatabase(config: Config, log: Logger): Promise<MikroORM> {
  const file = sqliteFileOf(config.databaseUrl);
  if (file !== null && !existsSync(file))
    throw new Error(
      `no database at ${file}; check DATABASE_URL, or create it by starting the server once (npm start) or with \`jindu migrate\``,
    );
  return openDatabase(config, log);
}

/** SQLite's "unable to open database file" names no file: this says which, and the usual causes. */
function namedFile(err: unknown, file: string | null): unknown {
  if (file === null || (err as { code?: unknown })?.code !== 'SQLITE_CANTOPEN') return err;
  return new Error(
    `cannot open the SQLite database ${file} (is it a directory, or is its folder not writable?)`,
    { cause: err },
  );
}
