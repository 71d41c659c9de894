import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOrm } from '../../src/db/orm.js';
import { type Em } from '../../src/db/em.js';
import type { MikroORM } from '@mikro-orm/core';

/**
 * `em.execute` on SQLite runs kept prepared statements with bound parameters: what it stores and
 * answers must be what MikroORM's own path (parameters written into the SQL text) gives.
 */
describe('kept SQLite statements', () => {
  let orm: MikroORM;
  const em = () => orm.em.fork() as Em;
  const VALUES = [
    1,
    2.5,
    true,
    new Date(1_700_000_000_123),
    null,
    "it's",
    -0,
    2 ** 53 + 2,
    2 ** 64,
    1e21,
  ];

  beforeAll(async () => {
    orm = await openOrm({ databaseUrl: 'sqlite::memory:' });
    await em().execute('create table probe (k text, v_text text, v_any, v_int integer)');
  });
  afterAll(() => orm.close());

  it('stores every kind of parameter as the SQL text would', async () => {
    const formatted = (sql: string, params: unknown[]) =>
      em().getPlatform().formatQuery(sql, params);
    for (const [i, value] of VALUES.entries()) {
      const params = [`kept-${i}`, value, value, value];
      await em().execute('insert into probe values (?, ?, ?, ?)', params, 'run');
      // The reference: the statement MikroORM would have sent, literal values in its text.
      await em().execute(
        formatted('insert into probe values (?, ?, ?, ?)', [`text-${i}`, value, value, value]),
        [],
        'run',
      );
    }
    const rows = await em().execute(
      `select k, v_text, typeof(v_text) t1, v_any, typeof(v_any) t2, v_int, typeof(v_int) t3
       from probe order by k`,
    );
    const strip = (r: Record<string, unknown>) => ({ ...r, k: String(r.k).split('-')[1] });
    const kept = rows.filter((r) => String(r.k).startsWith('kept')).map(strip);
    const text = rows.filter((r) => String(r.k).startsWith('text')).map(strip);
    expect(kept).toHaveLength(VALUES.length);
    expect(kept).toEqual(text);
  });

  it('answers run, get and all as before, and inside a transaction', async () => {
    const run = await em().execute('insert into probe (k) values (?)', ['one'], 'run');
    expect(run).toMatchObject({ affectedRows: 1 });
    expect(await em().execute('select k from probe where k = ?', ['one'], 'get')).toEqual({
      k: 'one',
    });
    await em().transactional(async (tem) => {
      await (tem as Em).execute('update probe set v_int = ? where k = ?', [7, 'one'], 'run');
      expect(await (tem as Em).execute('select v_int from probe where k = ?', ['one'])).toEqual([
        { v_int: 7 },
      ]);
    });
    // A list parameter takes MikroORM's own formatting (one `?` for the whole list).
    expect(await em().execute('select k from probe where k in (?)', [['one', 'none']])).toEqual([
      { k: 'one' },
    ]);
  });
});
