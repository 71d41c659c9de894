import type { MikroORM } from '@mikro-orm/core';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openOrm } from '../../src/db/orm.js';
import { type Em } from '../../src/db/em.js';
import { nativeSqlite } from '../../src/db/prepared.js';
import { TokenCache, tokenCacheFor } from '../../src/services/token-cache.js';
import { authenticateToken, createToken, revokeToken } from '../../src/services/tokens.js';
import { createTestDatabase, POSTGRES_URL, type TestDatabase } from '../helpers/databases.js';

/**
 * Known tokens on SQLite (token-cache.ts): a token already seen is answered without reading its
 * row until another connection to the file commits; then the next request reads it again, so
 * a revoke by another process is refused at once; so is a change to a token's row by the
 * server's own connection. Its other commits keep the tokens.
 */
describe('kept tokens (SQLite file)', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let other: Database.Database;
  let kept: TokenCache;
  let reads = 0;
  /** The request's entity manager, counting how often authentication asks for one. */
  const em = () => {
    reads++;
    return orm.em.fork() as Em;
  };
  const file = () => db.url.slice('sqlite:'.length);

  beforeAll(async () => {
    db = await createTestDatabase('sqlite', true);
    orm = await openOrm({ databaseUrl: db.url });
    await orm.schema.refresh();
    kept = (await tokenCacheFor(orm))!;
    other = new Database(file());
  });
  afterAll(async () => {
    other.close();
    await orm.close();
    await db.drop();
  });

  const create = async (name: string, expires?: string) =>
    (await createToken({ em: em(), name, role: 'editor', expires })).token;

  it('reads a token once, then answers it from memory with the same principal', async () => {
    const token = await create('reader');
    reads = 0;
    const first = await authenticateToken(em, token, kept);
    expect(first).toMatchObject({ kind: 'token', name: 'reader', role: 'editor' });
    expect(reads).toBe(2); // the row, then its first use recorded
    for (let i = 0; i < 5; i++) expect(await authenticateToken(em, token, kept)).toEqual(first);
    expect(reads).toBe(2);
  });

  it("keeps tokens across the server's own commits that change no token", async () => {
    const token = await create('own-writes');
    await authenticateToken(em, token, kept);
    await em().execute('create table if not exists own_table (x integer)', [], 'run');
    await em().execute('insert into own_table values (1)', [], 'run');
    await em().execute('update api_token set last_used_at = ?', [new Date()], 'run');
    reads = 0;
    expect(await authenticateToken(em, token, kept)).toMatchObject({ name: 'own-writes' });
    expect(reads).toBe(0);
  });

  it('refuses a token this connection revoked or expired, on the next request', async () => {
    const revoked = await create('revoked-here-raw');
    const expired = await create('expired-here-raw');
    for (const token of [revoked, expired]) await authenticateToken(em, token, kept);
    await em().execute(
      'update api_token set revoked_at = ? where name = ?',
      [new Date(), 'revoked-here-raw'],
      'run',
    );
    expect(await authenticateToken(em, revoked, kept)).toBe('revoked');
    await authenticateToken(em, expired, kept);
    await em().execute(
      'update api_token set expires_at = ? where name = ?',
      [new Date(Date.now() - 1000), 'expired-here-raw'],
      'run',
    );
    expect(await authenticateToken(em, expired, kept)).toBe('expired');
    await em().execute('delete from api_token where name = ?', ['expired-here-raw'], 'run');
    expect(await authenticateToken(em, expired, kept)).toBe('unknown');
  });

  it('refuses a token revoked by another connection on the next request', async () => {
    const token = await create('revoked-elsewhere');
    expect(await authenticateToken(em, token, kept)).toMatchObject({ kind: 'token' });
    other
      .prepare('update api_token set revoked_at = ? where name = ?')
      .run(Date.now(), 'revoked-elsewhere');
    expect(await authenticateToken(em, token, kept)).toBe('revoked');
    expect(await authenticateToken(em, token, kept)).toBe('revoked');
  });

  it('drops every kept token when another connection commits anything', async () => {
    const token = await create('any-commit');
    await authenticateToken(em, token, kept);
    other.exec('create table if not exists unrelated (x integer)');
    reads = 0;
    expect(await authenticateToken(em, token, kept)).toMatchObject({ name: 'any-commit' });
    expect(reads).toBe(1);
  });

  it('refuses a kept token once it expires, without reading its row', async () => {
    const token = await create('short', '1m');
    await authenticateToken(em, token, kept);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 2 * 60_000);
      reads = 0;
      expect(await authenticateToken(em, token, kept)).toBe('expired');
      expect(reads).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reads the row while the connection is inside a transaction, and keeps nothing read then', async () => {
    const token = await create('in-transaction');
    const fresh = new TokenCache(await nativeSqlite(orm.em as Em));
    let pending: Promise<unknown> | undefined;
    await orm.em.fork().transactional(async (tem) => {
      await (tem as Em).execute('select 1');
      expect(fresh.version()).toBeNull();
      // The transaction holds the connection: this read waits for it to end.
      pending = authenticateToken(em, token, fresh);
    });
    expect(await pending).toMatchObject({ name: 'in-transaction' });
    expect(fresh.size).toBe(0);
  });

  it('keeps nothing on PostgreSQL', async ({ skip }) => {
    if (!POSTGRES_URL) return skip('TEST_POSTGRES_URL is not set');
    const pg = await openOrm({ databaseUrl: POSTGRES_URL, poolSize: 1 });
    try {
      expect(await tokenCacheFor(pg)).toBeUndefined();
    } finally {
      await pg.close();
    }
  });

  it('a revoke through the service is seen by a server that kept the token', async () => {
    const token = await create('revoked-here');
    await authenticateToken(em, token, kept);
    // `jindu token revoke` opens its own connection to the file.
    const cli = await openOrm({ databaseUrl: db.url });
    try {
      await revokeToken(cli.em.fork() as Em, 'revoked-here');
    } finally {
      await cli.close();
    }
    expect(await authenticateToken(em, token, kept)).toBe('revoked');
  });
});
