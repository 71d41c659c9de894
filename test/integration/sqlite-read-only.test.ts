import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeSqliteWrite } from '../../src/db/sqlite-writable.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const CREATE = `mutation($key: String!) {
  createInitiative(input: { key: $key, name: "只读测试" }) { initiative { key } userErrors { message } }
}`;

/**
 * A SQLite database that answers reads and refuses writes: SQLite opens a file this user may
 * not write (or one on a read-only file system) read-only without a word. `query_only` gives
 * the same SQLITE_READONLY to a test that runs as root, which may write any file.
 */
describe('a SQLite database that cannot take writes', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp('sqlite', { sqliteFile: true });
    expect((await app.gql(CREATE, { key: 'before' })).errors).toBeUndefined();
    await app.em().execute('pragma query_only = on');
  });
  afterAll(async () => {
    await app.em().execute('pragma query_only = off');
    await app.close();
  });

  it('is found by the write the server tries, and rolls back, at start', async () => {
    await expect(probeSqliteWrite(app.em())).rejects.toMatchObject({ code: 'SQLITE_READONLY' });
    await app.em().execute('pragma query_only = off');
    try {
      await expect(probeSqliteWrite(app.em())).resolves.toBeUndefined();
    } finally {
      await app.em().execute('pragma query_only = on');
    }
  });

  it('answers a write DATABASE_UNAVAILABLE (503), not INTERNAL_SERVER_ERROR, and still reads', async () => {
    const res = await app.gql(CREATE, { key: 'after' });
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['DATABASE_UNAVAILABLE']);
    expect(JSON.stringify(res.errors)).not.toMatch(/readonly|SQLITE/i);
    const read = await app.gql('{ initiatives { key } }');
    expect(read.data).toEqual({ initiatives: [{ key: 'before' }] });
  });
});
