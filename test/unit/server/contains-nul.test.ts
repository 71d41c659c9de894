import { describe, expect, it } from 'vitest';
import { containsNul } from '../../../src/server/http-json.js';

describe('containsNul (a request body PostgreSQL could not store)', () => {
  it('finds U+0000 in any string, key or value, at any depth of objects and lists', () => {
    expect(containsNul('a\u0000b')).toBe(true);
    expect(containsNul({ query: '{ x }', variables: { a: [1, { b: 'c\u0000' }] } })).toBe(true);
    expect(containsNul({ variables: { ['k\u0000']: 1 } })).toBe(true);
    expect(containsNul([['x'], ['y', '\u0000']])).toBe(true);
    expect(containsNul({ query: '{ x }', variables: { a: [1, null, true, { b: 'c' }] } })).toBe(
      false,
    );
  });

  it('reads only own keys, and stops 64 levels down', () => {
    const inherited = Object.create({ ['x\u0000']: 'y\u0000' }) as object;
    expect(containsNul(inherited)).toBe(false);
    let deep: unknown = '\u0000';
    for (let i = 0; i < 70; i++) deep = { d: deep };
    expect(containsNul(deep)).toBe(false);
    let shallow: unknown = '\u0000';
    for (let i = 0; i < 10; i++) shallow = [shallow];
    expect(containsNul(shallow)).toBe(true);
  });
});
