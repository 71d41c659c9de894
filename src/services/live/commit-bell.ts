/**
 * The in-process doorbell: a write that committed events rings it, so this process's outbox
 * reader reads at once instead of at its next catch-up (on SQLite, the only doorbell there is).
 * Keyed by the ORM's driver, like the write generation, so test apps in one process stay apart.
 */
const bells = new WeakMap<object, Set<() => void>>();

export function onCommit(driver: object, ring: () => void): () => void {
  let set = bells.get(driver);
  if (!set) bells.set(driver, (set = new Set()));
  set.add(ring);
  return () => set.delete(ring);
}

export function ringAfterCommit(driver: object): void {
  for (const ring of bells.get(driver) ?? []) ring();
}
