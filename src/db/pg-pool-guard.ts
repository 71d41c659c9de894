/**
 * Keeps the PostgreSQL pool whole when the server drops its connections (a restart, a failover,
 * `pg_terminate_backend`).
 *
 * Why it is needed: Kysely (under MikroORM 7.2.1) releases a transaction's connection only after
 * its `commit` or `rollback` statement succeeds. When the backend dies mid-transaction both fail,
 * MikroORM logs the failed rollback, and the client is never given back: pg-pool still counts it
 * as checked out. Every restart under write load took connections away for good until the pool
 * was empty and every request waited forever for one. Here a client that loses its connection
 * while checked out is handed back at once with an error (pg-pool then discards it and opens a
 * fresh one on demand); Kysely's later release, if it comes, is a no-op.
 */

import { nameStatements } from './pg-named-statements.js';

/** The parts of a `pg` client this guard relies on. */
interface PgClient {
  on(event: 'error' | 'end', listener: (...args: unknown[]) => void): unknown;
  release: (err?: Error | boolean) => void;
}

/** The parts of a `pg` pool this guard relies on. */
interface PgPool {
  on(event: 'connect', listener: (client: PgClient) => void): unknown;
  connect(callback?: (...args: unknown[]) => void): Promise<PgClient> | void;
}

/** How long a request may wait for a pooled connection (or a new one) before it fails. */
export const POOL_ACQUIRE_TIMEOUT_MS = 3_000;

/** pg Pool options merged into MikroORM's: a bounded wait for a connection, TCP keep-alive. */
export function pgPoolOptions(acquireTimeoutMs = POOL_ACQUIRE_TIMEOUT_MS, named = false) {
  return {
    connectionTimeoutMillis: acquireTimeoutMs,
    keepAlive: true,
    onPoolCreated: (pool: unknown) => {
      guardPool(pool as PgPool);
      if (named) nameStatements(pool as Parameters<typeof nameStatements>[0]);
    },
  };
}

const LOST = (): Error => new Error('PostgreSQL connection lost');

/** Wraps `pool.connect` so a checked-out client that breaks goes back to the pool at once. */
export function guardPool(pool: PgPool): void {
  const broken = new WeakSet<PgClient>();
  const checkedOut = new WeakMap<PgClient, () => void>();
  pool.on('connect', (client) => {
    const onBroken = () => {
      broken.add(client);
      checkedOut.get(client)?.();
    };
    client.on('error', onBroken);
    client.on('end', onBroken);
  });
  const connect = pool.connect.bind(pool);
  const checkout = async (): Promise<PgClient> => {
    const client = (await connect()) as PgClient;
    const release = client.release;
    let released = false;
    const releaseOnce = (err?: Error | boolean) => {
      if (released) return;
      released = true;
      checkedOut.delete(client);
      release.call(client, broken.has(client) ? LOST() : err);
    };
    client.release = releaseOnce;
    checkedOut.set(client, () => releaseOnce(LOST()));
    return client;
  };
  // The callback form is pg-pool's own `pool.query`; Kysely and this project use the promise.
  pool.connect = ((callback?: (...args: unknown[]) => void) => {
    if (callback) return connect(callback);
    return (async () => {
      // An idle client can break unnoticed (pg-pool hands idle clients out unchecked): skip it.
      for (let attempt = 0; ; attempt++) {
        const client = await checkout();
        if (!broken.has(client) || attempt >= 3) return client;
        client.release(LOST());
      }
    })();
  }) as PgPool['connect'];
}
