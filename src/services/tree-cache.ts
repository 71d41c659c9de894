import type { Em } from '../db/orm.js';
import { dialectOf } from '../db/orm.js';
import type { InitiativeRecord } from '../db/records.js';
import { generationOf } from '../db/write-generation.js';

/**
 * Folded trees kept between requests on SQLite, where dashboards ask for the same figures many
 * times a minute and writes are rare by comparison. A kept tree is served only while nothing
 * could have changed it: this process has run no write since (the write generation), no other
 * connection has committed one (SQLite's `PRAGMA data_version`). Inside a transaction nothing is kept or served (it may see its own uncommitted work).
 * On PostgreSQL, where other processes write too, every request reads afresh.
 */
interface Kept<T> {
  readonly generation: number;
  readonly dataVersion: number;
  readonly tree: T;
}

const MAX_KEPT = 64;
const kept = new WeakMap<object, Map<number, Kept<unknown>>>();

export async function withKeptTrees<T>(
  em: Em,
  initiatives: readonly InitiativeRecord[],
  load: (missing: readonly InitiativeRecord[]) => Promise<T[]>,
): Promise<T[]> {
  const generation = generationOf(em);
  if (!generation || em.isInTransaction() || dialectOf(em) !== 'sqlite') return load(initiatives);
  const [row] = await em.execute('pragma data_version');
  const dataVersion = Number(row?.data_version);
  // Read after the pragma: any write that committed before it has already moved the count.
  const now = generation.value;
  let trees = kept.get(em.getDriver());
  if (!trees) kept.set(em.getDriver(), (trees = new Map()));
  const fresh = (k: Kept<unknown> | undefined): k is Kept<T> =>
    k !== undefined && k.generation === now && k.dataVersion === dataVersion;
  const missing = initiatives.filter((i) => !fresh(trees.get(i.id)));
  const loaded = missing.length > 0 ? await load(missing) : [];
  missing.forEach((initiative, n) => {
    trees.delete(initiative.id); // re-inserted last: the map's order is least recently kept first
    trees.set(initiative.id, {
      generation: now,
      dataVersion,
      tree: loaded[n],
    });
  });
  while (trees.size > MAX_KEPT) trees.delete(trees.keys().next().value!);
  return initiatives.map((i) => (trees.get(i.id) as Kept<T>).tree);
}
