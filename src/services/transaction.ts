import {
  DeadlockException,
  LockWaitTimeoutException,
  TransactionPropagation,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import { isSqliteBusy } from '../db/connection-errors.js';
import type { Em } from '../db/em.js';
import { noteWrite } from '../db/write-generation.js';

const MAX_ATTEMPTS = 6;
/** How long a write keeps trying while another process holds a SQLite file's write lock. */
export const SQLITE_BUSY_RETRY_MS = 2_000;

/**
 * Runs `work` in one transaction on a fresh fork, retrying the whole transaction when PostgreSQL
 * reports a deadlock or serialization failure, or a unique index refused a row a concurrent
 * transaction inserted first (an idempotency key, a new key): nothing was committed, and the
 * retry sees the winner's row.
 *
 * On SQLite another process (`jindu import`, a backup) can hold the write lock. A transaction
 * that has read cannot wait for it (SQLite answers `SQLITE_BUSY` at once, as waiting could
 * deadlock) and, once it is free, finds its reads stale (`SQLITE_BUSY_SNAPSHOT`). Both are
 * retried from the start, with pauses that let the event loop run (SQLite's own busy wait
 * would hold it), for up to SQLITE_BUSY_RETRY_MS; then the error goes out, answered
 * DATABASE_UNAVAILABLE (503, Retry-After).
 */
export async function inTransaction<T>(em: Em, work: (tem: Em) => Promise<T>): Promise<T> {
  const started = performance.now();
  let busyPause = 10;
  for (let attempt = 1; ; attempt++) {
    try {
      // `transactional` runs `work` on a fork of its own, so the caller's manager is not forked
      // first as well (a fork costs a new unit of work and two configuration writes). On the
      // global manager (a GraphQL write that read nothing before: write-context.ts) the
      // transaction is a new one whatever an async context around the call may hold, never
      // joined to it; a request's or a caller's manager nests in its open transaction, if any.
      return await em.transactional(
        (tem) => work(tem as Em),
        em.global ? { propagation: TransactionPropagation.REQUIRES_NEW } : undefined,
      );
    } catch (err) {
      // Checked first: MikroORM calls SQLite's "database is locked" a lock wait timeout too.
      if (isSqliteBusy(err)) {
        const left = SQLITE_BUSY_RETRY_MS - (performance.now() - started);
        if (left <= 0) throw err;
        await new Promise((r) => setTimeout(r, Math.min(left, busyPause * (0.5 + Math.random()))));
        busyPause = Math.min(busyPause * 2, 200);
        continue;
      }
      const retryable =
        err instanceof DeadlockException ||
        err instanceof LockWaitTimeoutException ||
        err instanceof UniqueConstraintViolationException;
      if (!retryable || attempt >= MAX_ATTEMPTS) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
    } finally {
      // Committed or not, what readers kept from before may be stale now.
      noteWrite(em);
    }
  }
}
