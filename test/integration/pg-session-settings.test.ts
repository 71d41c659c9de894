import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOrm } from '../../src/db/orm.js';
import { type Em } from '../../src/db/em.js';
import { createTestDatabase, POSTGRES_URL, type TestDatabase } from '../helpers/databases.js';

/**
 * Every pooled connection starts with JIT compilation off (pg-url.ts), and a URL's own
 * `options` can set it otherwise.
 */
describe.skipIf(!POSTGRES_URL)('PostgreSQL session settings', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('postgresql');
  });
  afterAll(() => db?.drop());

  const setting = async (url: string, name: string) => {
    const orm = await openOrm({ databaseUrl: url, poolSize: 2 });
    try {
      // Both connections of the pool: each is set as it opens, not the first only.
      const em = orm.em.fork() as Em;
      const read = () => em.execute(`select current_setting('${name}') as v`);
      const [a, b] = await Promise.all([
        em.transactional((t) =>
          t.execute(`select current_setting('${name}') as v, pg_sleep(0.05)`),
        ),
        read(),
      ]);
      return [String(a[0]!.v), String(b[0]!.v)];
    } finally {
      await orm.close();
    }
  };

  it('turns JIT compilation off on every connection', async () => {
    expect(await setting(db.url, 'jit')).toEqual(['off', 'off']);
  });

  it("lets the URL's options set it, and set others beside it", async () => {
    const sep = db.url.includes('?') ? '&' : '?';
    const on = `${db.url}${sep}options=${encodeURIComponent('-c jit=on -c work_mem=8MB')}`;
    expect(await setting(on, 'jit')).toEqual(['on', 'on']);
    expect(await setting(on, 'work_mem')).toEqual(['8MB', '8MB']);
  });
});
