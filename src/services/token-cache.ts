import type { MikroORM } from '@mikro-orm/core';
import type { Database, Statement } from 'better-sqlite3';
import type { Principal } from '../domain/access.js';
import { dialectOf, type Em } from '../db/em.js';
import { nativeSqlite } from '../db/prepared.js';

/** What a request needs of a token's row once it is known to be usable. */
export interface KnownToken {
  readonly principal: Principal & { readonly kind: 'token' };
  /** Epoch milliseconds; null: never expires. */
  readonly expiresAt: number | null;
  /** Epoch milliseconds of the last use recorded in the row. */
  lastUsedAt: number;
}

const MAX_TOKENS = 1_000;

/**
 * Tokens a SQLite server has already read, kept by digest, so a request with a known token
 * costs its digest and one small statement instead of a query through the ORM. A kept token is
 * dropped as soon as its row may have changed:
 * - changed by another connection (`jindu token` commands run in other processes on the same
 *   file): SQLite's `data_version` moves for this connection whenever another one commits;
 * - changed by this connection (tests, a future in-server revoke): a temporary trigger, which
 *   lives in this connection only and needs no migration, counts changes to a token's role,
 *   scope, expiry, revocation or digest, and deletions. Recording a token's last use counts
 *   nothing; it is kept here too.
 * Either drops every kept token, so a revoked token is refused on the next request.
 *
 * The version is read only when the connection is outside a transaction, where a statement sees
 * the last commit; inside one (another request's write holds the connection) the request reads
 * its token's row as before. PostgreSQL keeps no tokens: instances share the database, and each
 * request reads its token's row there.
 */
export class TokenCache {
  private readonly known = new Map<string, KnownToken>();
  /** The versions (other connections' commits, this connection's token changes) last read. */
  private seen: readonly [number, number] | null = null;
  /** `data_version` and this connection's token changes, as two statements (see below). */
  private readonly dataVersion: Statement;
  private readonly tokenChanges: Statement;

  constructor(private readonly db: Database) {
    db.exec(`
      create temp table if not exists token_changes (n integer not null);
      insert into temp.token_changes select 0 where not exists (select 1 from temp.token_changes);
      create temp trigger if not exists token_changed after update of
        digest, role, initiative_id, expires_at, revoked_at on main.api_token
        begin update temp.token_changes set n = n + 1; end;
      create temp trigger if not exists token_deleted after delete on main.api_token
        begin update temp.token_changes set n = n + 1; end;`);
    // Two prepared statements rather than one select of both: the pragma's table-valued form
    // (`pragma_data_version()`) prepares the pragma again on every run. Timed inside a write
    // server, the check took about 30 µs a request that way and about 25 µs this way. Only the
    // pragma reads the main database (one read transaction either way), and a prepared pragma
    // reads the version afresh each time it runs.
    this.dataVersion = db.prepare('pragma data_version').pluck();
    this.tokenChanges = db.prepare('select n from temp.token_changes').pluck();
  }

  /**
   * The versions now, or null when they cannot be read safely (in a transaction, or closed).
   * Drops every kept token when either moved since they were last read.
   */
  version(): readonly [number, number] | null {
    if (!this.db.open || this.db.inTransaction) return null;
    const now: readonly [number, number] = [
      this.dataVersion.get() as number,
      this.tokenChanges.get() as number,
    ];
    if (!this.seen || now[0] !== this.seen[0] || now[1] !== this.seen[1]) {
      this.known.clear();
      this.seen = now;
    }
    return this.seen;
  }

  /** The token kept for `digest`; valid only right after `version()` answered a version. */
  get(digest: string): KnownToken | undefined {
    return this.known.get(digest);
  }

  /**
   * Keeps a token read at `version` (taken before the read): a read that a change may have
   * overtaken is not kept.
   */
  set(digest: string, token: KnownToken, version: readonly [number, number] | null): void {
    if (version === null || version !== this.seen) return;
    if (this.known.size >= MAX_TOKENS) this.known.delete(this.known.keys().next().value!);
    this.known.set(digest, token);
  }

  get size(): number {
    return this.known.size;
  }
}

/** A token cache for a SQLite database; none for PostgreSQL. */
export async function tokenCacheFor(orm: MikroORM): Promise<TokenCache | undefined> {
  const em = orm.em as Em;
  return dialectOf(em) === 'sqlite' ? new TokenCache(await nativeSqlite(em)) : undefined;
}
