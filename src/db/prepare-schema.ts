import type { MikroORM } from '@mikro-orm/core';
import type { Migrator } from '@mikro-orm/migrations';
import { dialectOfPlatform } from './dialect.js';
import { PREVIOUS_RELEASE } from './migrations/index.js';

export const MIGRATIONS_TABLE = 'mikro_orm_migrations';

export interface SchemaReport {
  /** The migrations this call applied, oldest first. */
  readonly applied: readonly string[];
  /** True when the database was made by the release before migrations (and upgraded now). */
  readonly upgradedFromUnversioned: boolean;
}

async function tablesPresent(orm: MikroORM, names: readonly string[]): Promise<Set<string>> {
  const em = orm.em.fork();
  const list = names.map((n) => `'${n}'`).join(', ');
  const sql =
    dialectOfPlatform(em.getPlatform()) === 'postgresql'
      ? `select table_name as name from information_schema.tables where table_schema = current_schema() and table_name in (${list})`
      : `select name from sqlite_master where type = 'table' and name in (${list})`;
  const rows = (await em.getConnection().execute(sql)) as { name: string }[];
  return new Set(rows.map((r) => String(r.name)));
}

/**
 * Brings the database's schema to this release with the versioned migrations, in one
 * transaction. A database the release before migrations made (its tables, no migrations table)
 * is recognised: its first migration is recorded as done, and the rest upgrade it in place.
 * One function, so a caller can hold a lock around "prepare the database" as a whole.
 */
export async function prepareSchema(orm: MikroORM): Promise<SchemaReport> {
  const migrator = orm.migrator as Migrator;
  const present = await tablesPresent(orm, ['initiative', MIGRATIONS_TABLE]);
  const unversioned = present.has('initiative') && !present.has(MIGRATIONS_TABLE);
  if (unversioned) {
    const storage = migrator.getStorage();
    await storage.ensureTable();
    await storage.logMigration({ name: PREVIOUS_RELEASE });
  }
  const applied = await migrator.up();
  return { applied: applied.map((m) => m.name), upgradedFromUnversioned: unversioned };
}
