import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/core';
import { openOrm } from '../../src/db/orm.js';
import { type Em } from '../../src/db/em.js';
import { checkSqlitePragmas } from '../../src/db/sqlite-pragmas.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';

describe('SQLite durability settings (R7)', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  const read = (sql: string) => (orm.em.fork() as Em).execute(sql);
  beforeAll(async () => {
    db = await createTestDatabase('sqlite', true);
    orm = await openOrm({ databaseUrl: db.url, sqliteSynchronous: 'NORMAL' });
  });
  afterAll(async () => {
    await orm.close();
    await db.drop();
  });

  it('sets WAL, synchronous, busy_timeout and foreign_keys on the connection', async () => {
    expect(await checkSqlitePragmas(read, 'NORMAL', false)).toEqual({
      journalMode: 'wal',
      synchronous: 'NORMAL',
      busyTimeout: 5000,
      foreignKeys: true,
    });
  });

  it('refuses to go on when a setting is not the one asked for', async () => {
    await expect(checkSqlitePragmas(read, 'FULL', false)).rejects.toThrow('synchronous=NORMAL');
    await read('pragma foreign_keys = OFF');
    await expect(checkSqlitePragmas(read, 'NORMAL', false)).rejects.toThrow('foreign_keys=off');
  });
});
