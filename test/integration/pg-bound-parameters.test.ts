import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/core';
import { openOrm } from '../../src/db/orm.js';
import { type Em } from '../../src/db/em.js';
import { createTestDatabase, POSTGRES_URL, type TestDatabase } from '../helpers/databases.js';

/**
 * `em.execute` on PostgreSQL binds its parameters (pg-driver.ts) and sends them as named
 * statements (pg-named-statements.ts): what it stores and answers must be what MikroORM's own
 * path (values written into the SQL text) gives, and the statement must be prepared once.
 */
describe.skipIf(!POSTGRES_URL)('bound parameters on PostgreSQL', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  const em = () => orm.em.fork() as Em;
  const VALUES = [
    1,
    -7,
    2 ** 31,
    2.5,
    true,
    false,
    new Date(1_700_000_000_123),
    null,
    "it's \\ a ? mark",
    2 ** 40,
  ];

  beforeAll(async () => {
    db = await createTestDatabase('postgresql');
    orm = await openOrm({ databaseUrl: db.url, poolSize: 2 });
    await em().execute(
      `create table probe (k text, v_text text, v_int bigint, v_num numeric, v_bool boolean,
         v_time timestamptz)`,
    );
  });
  afterAll(async () => {
    await orm?.close();
    await db?.drop();
  });

  const formatted = (sql: string, params: unknown[]) => em().getPlatform().formatQuery(sql, params);

  it('stores every kind of parameter as the SQL text would', async () => {
    const columns = (v: unknown) => {
      if (typeof v === 'boolean') return ['v_bool', 'v_text'];
      if (v instanceof Date) return ['v_time', 'v_text'];
      if (typeof v === 'number')
        return ['v_int', 'v_num', 'v_text'].slice(Number.isInteger(v) ? 0 : 1);
      return ['v_text'];
    };
    for (const [i, value] of VALUES.entries()) {
      const cols = columns(value);
      const sql = `insert into probe (k, ${cols.join(', ')}) values (?${', ?'.repeat(cols.length)})`;
      await em().execute(sql, [`bound-${i}`, ...cols.map(() => value)], 'run');
      await em().execute(formatted(sql, [`text-${i}`, ...cols.map(() => value)]), [], 'run');
    }
    const rows = await em().execute('select * from probe order by k');
    const strip = (r: Record<string, unknown>) => ({ ...r, k: String(r.k).split('-')[1] });
    const bound = rows.filter((r) => String(r.k).startsWith('bound')).map(strip);
    const text = rows.filter((r) => String(r.k).startsWith('text')).map(strip);
    expect(bound).toHaveLength(VALUES.length);
    expect(bound).toEqual(text);
  });

  it('types an answer column as the literal would be typed', async () => {
    const sql = `select ? as a, ? as b, ? as c, ? as d, ? + 1 as e, ? as f, pg_typeof(?)::text as g`;
    const params = [1, 2 ** 40, 2.5, true, 41, 'x', 3];
    const [bound] = await em().execute(sql, params);
    const [text] = await em().execute(formatted(sql, params));
    expect(bound).toEqual(text);
    expect(bound!.g).toBe('integer');
  });

  it('prepares a statement once per connection and reuses it', async () => {
    const sql = 'select count(*)::int as n from probe where k = ?';
    await orm.em.fork().transactional(async (tx) => {
      const before = await (tx as Em).execute(
        "select count(*)::int as n from pg_prepared_statements where statement like '%from probe where k = $1%'",
      );
      for (let i = 0; i < 5; i++) await (tx as Em).execute(sql, [`bound-${i}`]);
      const [after] = await (tx as Em).execute(
        "select count(*)::int as n, max(generic_plans + custom_plans)::int as uses from pg_prepared_statements where statement like '%from probe where k = $1%'",
      );
      expect(before[0]!.n).toBe(0);
      expect(after!.n).toBe(1);
      expect(after!.uses).toBeGreaterThanOrEqual(5);
    });
  });

  it('falls back to the values in the text for lists and other shapes', async () => {
    const rows = await em().execute('select k from probe where k in (?) order by k', [
      ['bound-0', 'bound-1'],
    ]);
    expect(rows.map((r) => r.k)).toEqual(['bound-0', 'bound-1']);
  });
});
