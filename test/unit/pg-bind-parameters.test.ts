import { describe, expect, it } from 'vitest';
import { bindParameters } from '../../src/db/pg-driver.js';

const iso = (d: Date) => d.toISOString();

describe('bindParameters', () => {
  it('numbers the placeholders and types each as its literal would be', () => {
    expect(
      bindParameters('select ?, ?, ?, ?, ?, ?', [1, 2 ** 31, 0.5, true, 'a', null], iso),
    ).toEqual({
      sql: 'select $1::int4, $2::int8, $3::numeric, $4::bool, $5, $6',
      values: [1, 2 ** 31, 0.5, true, 'a', null],
    });
  });

  it('binds dates in the platform text and big integers as text', () => {
    const d = new Date(0);
    expect(bindParameters('x = ? and y = ?', [d, 5n], iso)).toEqual({
      sql: 'x = $1 and y = $2',
      values: ['1970-01-01T00:00:00.000Z', '5'],
    });
  });

  it('leaves to MikroORM what needs its formatting', () => {
    for (const [sql, params] of [
      ['x in (?)', [[1, 2]]],
      ['x = ?', [{ a: 1 }]],
      ['?? = ?', ['col', 1]],
      ['x = \\? and y = ?', [1]],
      ["x = '$1' and y = ?", [1]],
      ['x = ?', [Number.NaN]],
      ['x = ?', [2 ** 60]],
      ['x = ? and y = ?', [1]],
      ['x = ?', [1, 2]],
    ] as [string, unknown[]][])
      expect(bindParameters(sql, params, iso), sql).toBeNull();
  });
});
