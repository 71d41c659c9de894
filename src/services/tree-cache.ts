import type { Em } from '../db/orm.js';
import { dialectOf } from '../db/orm.js';
import type { InitiativeRecord } from '../db/records.js';
import { readRevisions } from '../db/queries/outbox.queries.js';
import { sqliteStamps } from '../db/write-generation.js';

/**
 * Folded trees kept between requests, where dashboards ask for the same figures many times a
 * minute and writes are rare by comparison. A kept tree is served only while nothing could
 * have changed it:
 * - SQLite (one process): this process has run no write to that initiative since, nor any write
 *   it cannot attribute to initiatives (the write generation: src/db/write-generation.ts), and no
 *   other connection has committed one (`PRAGMA data_version`);
 * - PostgreSQL (several instances): the initiative's revision, read afresh by every request, is
 *   the one the tree was folded at. Every write through the pipeline moves it in its
 *   transaction, so a read that starts after a write was acknowledged (on any instance) sees the
 *   new revision and folds again: one indexed read instead of the two tree reads.
 * Inside a transaction nothing is kept or served (it may see its own uncommitted work).
 */
interface Kept<T> {
  readonly stamp: string;
  readonly tree: T;
}

const MAX_KEPT = 64;
const kept = new WeakMap<object, Map<number, Kept<unknown>>>();

/** Each initiative's stamp now: what its kept tree must have been folded under. */
async function stampsOf(
  em: Em,
  initiatives: readonly InitiativeRecord[],
): Promise<Map<number, string> | null> {
  if (em.isInTransaction()) return null;
  if (dialectOf(em) === 'postgresql') {
    const revisions = await readRevisions(
      em,
      initiatives.map((i) => i.id),
    );
    // The record's own columns (name, policy) are part of what is kept too.
    return new Map(initiatives.map((i) => [i.id, `r${revisions.get(i.id)}:${JSON.stringify(i)}`]));
  }
  return sqliteStamps(
    em,
    initiatives.map((i) => i.id),
  );
}

export async function withKeptTrees<T>(
  em: Em,
  initiatives: readonly InitiativeRecord[],
  load: (missing: readonly InitiativeRecord[]) => Promise<T[]>,
): Promise<T[]> {
  const stamps = await stampsOf(em, initiatives);
  if (!stamps) return load(initiatives);
  let trees = kept.get(em.getDriver());
  if (!trees) kept.set(em.getDriver(), (trees = new Map()));
  const fresh = (id: number): boolean => trees.get(id)?.stamp === stamps.get(id);
  const missing = initiatives.filter((i) => !fresh(i.id));
  const loaded = missing.length > 0 ? await load(missing) : [];
  missing.forEach((initiative, n) => {
    trees.delete(initiative.id); // re-inserted last: the map's order is least recently kept first
    trees.set(initiative.id, { stamp: stamps.get(initiative.id)!, tree: loaded[n] });
  });
  while (trees.size > MAX_KEPT) trees.delete(trees.keys().next().value!);
  return initiatives.map((i) => (trees.get(i.id) as Kept<T>).tree);
}
