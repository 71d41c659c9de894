import { MikroORM, type Options } from '@mikro-orm/core';
import { pgPrepareWanted } from '../config.js';
import { JinduSqliteDriver } from './sqlite-driver.js';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Migrator } from '@mikro-orm/migrations';
import { ENTITIES } from './entities/index.js';
import { pgPoolOptions } from './pg-pool-guard.js';
import { pgConnectionOptions } from './pg-url.js';
import { MIGRATIONS } from './migrations/index.js';
import { MIGRATIONS_TABLE, prepareSchema, type SchemaReport } from './prepare-schema.js';
import { sqlitePragmas, type SqliteSynchronous } from './sqlite-pragmas.js';
import {
  countingWrites,
  newGeneration,
  registerGeneration,
  type WriteGeneration,
} from './write-generation.js';

/** PostgreSQL connections per process unless `poolSize` says otherwise. */
export const DEFAULT_POOL_SIZE = 10;

export interface OrmOptions {
  readonly databaseUrl: string;
  readonly sqliteSynchronous?: SqliteSynchronous;
  readonly debug?: boolean;
  readonly poolSize?: number;
  /** Receives every SQL statement (tests count them to prove batching). */
  readonly onQuery?: (sql: string) => void;
}

/**
 * The MikroORM options for a database URL (`sqlite:PATH`, `sqlite::memory:`, `postgres://…`).
 * PostgreSQL's driver is loaded here, only for a PostgreSQL URL: on SQLite it and the `pg`
 * client it brings would add 35–65 ms to every start of the server and of each CLI command.
 */
export async function ormOptions(
  opts: OrmOptions,
  generation: WriteGeneration = newGeneration(),
): Promise<Partial<Options>> {
  const common = {
    entities: ENTITIES,
    allowGlobalContext: false,
    onQuery: countingWrites(generation),
    extensions: [Migrator],
    migrations: {
      tableName: MIGRATIONS_TABLE,
      migrationsList: MIGRATIONS,
      snapshot: false,
      silent: true,
      transactional: true,
      allOrNothing: true,
    },
    ...(opts.onQuery
      ? { debug: ['query'] as const, logger: (message: string) => opts.onQuery!(message) }
      : { debug: opts.debug ?? false }),
  };
  if (opts.databaseUrl.startsWith('sqlite:')) {
    const dbName = opts.databaseUrl.slice('sqlite:'.length) || ':memory:';
    if (dbName !== ':memory:') mkdirSync(dirname(dbName), { recursive: true });
    return {
      ...common,
      driver: JinduSqliteDriver,
      dbName,
      onCreateConnection: sqlitePragmas(opts.sqliteSynchronous ?? 'FULL', dbName === ':memory:'),
    } as Partial<Options>;
  }
  const { JinduPostgreSqlDriver } = await import('./pg-driver.js');
  return {
    ...common,
    driver: JinduPostgreSqlDriver,
    clientUrl: opts.databaseUrl,
    pool: { min: 0, max: opts.poolSize ?? DEFAULT_POOL_SIZE },
    // The URL's other parameters (sslmode…) as pg reads them (pg-url.ts). Broken connections are
    // discarded and the wait for one is bounded (see pg-pool-guard.ts);
    // statements are prepared once per connection unless JINDU_PG_PREPARE=false
    // (pg-named-statements.ts).
    driverOptions: {
      ...pgConnectionOptions(opts.databaseUrl),
      ...pgPoolOptions(undefined, pgPrepareWanted()),
    },
  } as Partial<Options>;
}

export async function openOrm(opts: OrmOptions): Promise<MikroORM> {
  const generation = newGeneration();
  const orm = await MikroORM.init(await ormOptions(opts, generation));
  registerGeneration(orm.em.getDriver(), generation);
  return orm;
}

/** Applies the pending versioned migrations (see prepare-schema.ts). */
export async function migrate(orm: MikroORM): Promise<SchemaReport> {
  return prepareSchema(orm);
}
