import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { keptStatement } from '../../../src/db/prepared.js';

describe('keptStatement', () => {
  const open: Database.Database[] = [];
  const counted = () => {
    const db = new Database(':memory:');
    open.push(db);
    const prepare = db.prepare.bind(db);
    const prepared: string[] = [];
    db.prepare = ((sql: string) => {
      prepared.push(sql);
      return prepare(sql);
    }) as typeof db.prepare;
    return { db, prepared };
  };
  afterEach(() => {
    for (const db of open.splice(0)) db.close();
  });

  it('prepares a text once and hands back the same statement', () => {
    const { db, prepared } = counted();
    const a = keptStatement(db, 'select 1 as one');
    const b = keptStatement(db, 'select 1 as one');
    expect(b).toBe(a);
    expect(prepared).toEqual(['select 1 as one']);
    expect(a.get()).toEqual({ one: 1 });
  });

  it('keeps a statement in use while hundreds of others come and go', () => {
    const { db, prepared } = counted();
    const hot = keptStatement(db, 'select 0 as hot');
    for (let i = 1; i <= 2_000; i++) {
      keptStatement(db, `select ${i} as n`);
      expect(keptStatement(db, 'select 0 as hot')).toBe(hot);
    }
    expect(prepared.filter((sql) => sql === 'select 0 as hot')).toHaveLength(1);
  });

  it('lets an unused statement go once 512 others are kept, and prepares it again', () => {
    const { db, prepared } = counted();
    keptStatement(db, 'select 0 as cold');
    for (let i = 1; i <= 512; i++) keptStatement(db, `select ${i} as n`);
    keptStatement(db, 'select 0 as cold');
    expect(prepared.filter((sql) => sql === 'select 0 as cold')).toHaveLength(2);
  });
});
