import pLimit, { type LimitFunction } from 'p-limit';
import { DEFAULT_POOL_SIZE } from './orm.js';
import { type Em } from './em.js';

/** Pooled connections that writes leave to reads and token checks, however many writes wait. */
export const READ_RESERVE = 2;

const gates = new WeakMap<object, LimitFunction>();

/** How many of this process's write transactions may hold a connection at once. */
export function writeSlots(poolMax: number): number {
  return Math.max(1, poolMax - READ_RESERVE);
}

/**
 * This process's write transactions on one database, at most `writeSlots(pool size)` at a time;
 * the rest wait here, in memory, in arrival order.
 *
 * Why: writes to one initiative serialize on its counter rows whatever their number, so more of
 * them at once only hold more connections while they wait on each other's locks. A burst of 200
 * `setItemStatus` calls on PostgreSQL took all 20 connections, and on a busy machine the token
 * checks and writes queued behind them waited past the pool's acquire bound
 * (POOL_ACQUIRE_TIMEOUT_MS) and were answered 503. Waiting here has no bound of its own: the
 * request's deadline still answers a client that waited too long.
 */
export function writeGate(em: Em): LimitFunction {
  const driver = em.getDriver();
  let gate = gates.get(driver);
  if (!gate) {
    const pool = em.config.get('pool') as { max?: number } | undefined;
    gate = pLimit(writeSlots(pool?.max ?? DEFAULT_POOL_SIZE));
    gates.set(driver, gate);
  }
  return gate;
}

/**
 * Resolves once no write of this process holds or waits for a slot: a stopping server closes
 * its database only after its writes have ended, committed or rolled back (an import that was
 * mid-write when the signal came finishes instead of being cut in two).
 */
export async function writesDone(em: Em): Promise<void> {
  const gate = gates.get(em.getDriver());
  while (gate && gate.activeCount + gate.pendingCount > 0)
    await new Promise((resolve) => setTimeout(resolve, 20));
}
