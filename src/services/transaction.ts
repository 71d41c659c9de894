import { DeadlockException, LockWaitTimeoutException } from '@mikro-orm/core';
import type { Em } from '../db/orm.js';

const MAX_ATTEMPTS = 6;

/**
 * Runs `work` in one transaction on a fresh fork, retrying the whole transaction when PostgreSQL
 * reports a deadlock or serialization failure (both are safe to retry: nothing was committed).
 */
export async function inTransaction<T>(em: Em, work: (tem: Em) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await em.fork().transactional((tem) => work(tem as Em));
    } catch (err) {
      const retryable = err instanceof DeadlockException || err instanceof LockWaitTimeoutException;
      if (!retryable || attempt >= MAX_ATTEMPTS) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
    }
  }
}
