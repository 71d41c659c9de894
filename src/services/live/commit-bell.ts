import type { OutboxRow } from '../../db/queries/outbox.queries.js';

/**
 * The in-process doorbell: a write that committed events rings it with the outbox rows it
 * committed, so this process's outbox reader takes them at once (or reads, if it cannot take
 * them: outbox-feed.ts) instead of at its next catch-up (on SQLite, the only doorbell there is).
 * Keyed by the ORM's driver, like the write generation, so test apps in one process stay apart.
 */
type Ring = (committed: readonly OutboxRow[]) => void;
const bells = new WeakMap<object, Set<Ring>>();

export function onCommit(driver: object, ring: Ring): () => void {
  let set = bells.get(driver);
  if (!set) bells.set(driver, (set = new Set()));
  set.add(ring);
  return () => set.delete(ring);
}

/** After commit: `committed` are the write's outbox rows, in seq order. */
export function ringAfterCommit(driver: object, committed: readonly OutboxRow[]): void {
  for (const ring of bells.get(driver) ?? []) ring(committed);
}
