import {
  DeadlockException,
  LockWaitTimeoutException,
  TransactionPropagation,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import type { Em } from '../db/em.js';
import { noteWrite } from '../db/write-generation.js';

const MAX_ATTEMPTS = 6;

/**
 * Runs `work` in one transaction on a fresh fork, retrying the whole transaction when PostgreSQL
 * reports a deadlock or serialization failure, or a unique index refused a row a concurrent
 * transaction inserted first (an idempotency key, a new key): nothing was committed, and the
 * retry sees the winner's row.
 */
export async function inTransaction<T>(em: Em, work: (tem: Em) => Promise<T>): Promise<T> {
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
