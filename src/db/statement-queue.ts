import { dialectOf, type Em } from './em.js';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Queued work after which the queue lets the event loop run (/livez, signals, other requests). */
const SLICE_MS = 20;

/**
 * Guards a request's entity manager: `before` runs ahead of each `execute` statement (the
 * request's deadline: once it has passed, the statements still queued fail at once), and on
 * SQLite the statements go one at a time, in order. The SQLite driver guards its connection
 * with a lock whose waiters all wake at each release: N statements issued at once (N resolvers
 * of one query) cost N² wake-ups, all in microtasks, so a query with a few thousand lookups held
 * the event loop for seconds. Queued here, each statement meets a free lock, and the queue
 * yields between statements every SLICE_MS. PostgreSQL's pool queues its waiters itself.
 */
export function guardStatements(em: Em, before: () => void): Em {
  const execute = em.execute.bind(em) as (...args: unknown[]) => Promise<unknown>;
  if (dialectOf(em) !== 'sqlite') {
    em.execute = (async (...args: unknown[]) => {
      before();
      return execute(...args);
    }) as Em['execute'];
    return em;
  }
  let tail: Promise<unknown> = Promise.resolve();
  let sliceStart = performance.now();
  const queued = (...args: unknown[]): Promise<unknown> => {
    const run = tail.then(async () => {
      if (performance.now() - sliceStart > SLICE_MS) {
        await nextTurn();
        sliceStart = performance.now();
      }
      before();
      return execute(...args);
    });
    tail = run.catch(() => undefined);
    return run;
  };
  em.execute = queued as Em['execute'];
  return em;
}
