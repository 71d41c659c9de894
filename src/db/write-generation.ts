import type { Em } from './orm.js';

/**
 * A per-database count of writes, for readers that keep data between requests (the folded
 * trees on SQLite). Every statement that is not a plain read moves it, as it runs, and so does
 * the end of every write transaction; data kept under an older count is stale. Moving it too
 * often costs a reload; never moving it for a write would serve stale figures, so anything that
 * is not a SELECT or a PRAGMA counts.
 */
export interface WriteGeneration {
  value: number;
}

const READ = /^\s*(select|pragma)\b/i;
/**
 * The webhook worker's bookkeeping (its outbox position, its deliveries' leases), written every
 * second by an idle server: no kept data is read from these tables, and counting them would
 * throw every kept tree away once a second.
 */
const BOOKKEEPING =
  /^\s*(insert\s+into|update|delete\s+from)\s+"?(outbox_position|webhook_delivery)\b/i;
const generations = new WeakMap<object, WriteGeneration>();

/** The `onQuery` hook MikroORM calls with every statement it is about to run. */
export function countingWrites(generation: WriteGeneration) {
  return (sql: string): string => {
    if (!READ.test(sql) && !BOOKKEEPING.test(sql)) generation.value++;
    return sql;
  };
}

/** Ties a generation to an open ORM (its driver is shared by every fork). */
export function registerGeneration(driver: object, generation: WriteGeneration): void {
  generations.set(driver, generation);
}

export function generationOf(em: Em): WriteGeneration | undefined {
  return generations.get(em.getDriver());
}

/** Called when a write transaction ends, committed or not. */
export function noteWrite(em: Em): void {
  const generation = generationOf(em);
  if (generation) generation.value++;
}
