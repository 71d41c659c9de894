import type { Em } from '../db/em.js';
import { dialectOf } from '../db/em.js';
import { inSnapshot, readsCommittedOnly } from '../db/read-snapshot.js';
import type { InitiativeRecord } from '../db/records.js';
import { readRevisions } from '../db/queries/outbox.queries.js';
import type { EventDelta } from '../domain/event-deltas.js';
import { countersBetween, sqliteStampParts, type WriteGeneration } from '../db/write-generation.js';

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
 *   new revision and folds again: one indexed read instead of the two tree reads. A read
 *   snapshot's tree older than the one kept serves that snapshot without replacing it.
 * Inside a transaction nothing is kept or served (it may see its own uncommitted work), except
 * in a read snapshot (src/db/read-snapshot.ts), whose stamps are those of the state it reads.
 *
 * On SQLite a tree read exactly at its stamp (the stamp read again after the tree is the same:
 * no write landed in between) is brought forward over later writes to its initiative that
 * changed counters alone (item writes: `counters` in write-generation.ts) by applying their
 * counter deltas, the same ones the writes applied to the database, instead of being read
 * again; anything else in between (another kind of write, a write of another connection, one
 * too many counts back) reads it again.
 */
interface Kept<T> {
  readonly stamp: string;
  readonly tree: T;
  /**
   * SQLite: the stamp's parts, when the tree is exactly the data at them, and the initiative
   * record it was folded with (a request may hold a record read before a policy change that
   * committed before the stamp: such a tree is never brought forward under the new record).
   */
  readonly exact?: { readonly common: string; readonly count: number; readonly record: string };
}

/** What the SQLite stamp was made of, for bringing trees forward. */
interface Parts {
  readonly common: string;
  readonly counts: ReadonlyMap<number, number>;
  readonly generation: WriteGeneration;
}

const MAX_KEPT = 64;
const recordOf = (initiative: InitiativeRecord) => JSON.stringify(initiative);
/** PostgreSQL: the stamp of a tree at an initiative's revision (the record is kept too). */
const revisionStamp = (revision: number | undefined, initiative: InitiativeRecord) =>
  `r${revision}:${recordOf(initiative)}`;
const kept = new WeakMap<object, Map<number, Kept<unknown>>>();

/** Each initiative's stamp now: what its kept tree must have been folded under. */
async function stampsOf(
  em: Em,
  initiatives: readonly InitiativeRecord[],
): Promise<{ stamps: Map<number, string>; parts?: Parts } | null> {
  if (!readsCommittedOnly(em)) return null;
  if (dialectOf(em) === 'postgresql') {
    const revisions = await readRevisions(
      em,
      initiatives.map((i) => i.id),
    );
    // The record's own columns (name, policy) are part of what is kept too.
    return {
      stamps: new Map(initiatives.map((i) => [i.id, revisionStamp(revisions.get(i.id), i)])),
    };
  }
  const parts = await sqliteStampParts(
    em,
    initiatives.map((i) => i.id),
  );
  if (!parts) return null;
  // The record's own columns are part of what is kept, as on PostgreSQL.
  return {
    stamps: new Map(
      initiatives.map((i) => [i.id, `${parts.common}:i${parts.counts.get(i.id)}:${recordOf(i)}`]),
    ),
    parts,
  };
}

export async function withKeptTrees<T extends { readonly revision?: number }>(
  em: Em,
  initiatives: readonly InitiativeRecord[],
  load: (missing: readonly InitiativeRecord[]) => Promise<T[]>,
  /** The tree after counter-only writes: their deltas, and the initiative's revision after them. */
  advance?: (tree: T, deltas: readonly EventDelta[], revision: number) => T,
): Promise<T[]> {
  const now = await stampsOf(em, initiatives);
  if (!now) return load(initiatives);
  const { stamps, parts } = now;
  let trees = kept.get(em.getDriver());
  if (!trees) kept.set(em.getDriver(), (trees = new Map()));
  const keep = (id: number, entry: Kept<unknown>) => {
    trees.delete(id); // re-inserted last: the map's order is least recently kept first
    trees.set(id, entry);
  };
  const missing: InitiativeRecord[] = [];
  /**
   * This request's trees, taken as each is found: what another request keeps for an
   * initiative while this one awaits its loads is not this request's answer (on PostgreSQL a
   * live read that began before a write keeps its older tree when it ends).
   */
  const found = new Map<number, T>();
  for (const initiative of initiatives) {
    const old = trees.get(initiative.id) as Kept<T> | undefined;
    const stamp = stamps.get(initiative.id)!;
    if (old?.stamp === stamp) {
      found.set(initiative.id, old.tree);
      continue;
    }
    const count = parts?.counts.get(initiative.id);
    const record = recordOf(initiative);
    const written =
      advance &&
      parts &&
      old?.exact?.common === parts.common &&
      old.exact.record === record &&
      count !== undefined
        ? countersBetween(parts.generation, initiative.id, old.exact.count, count)
        : null;
    if (written) {
      const tree = advance!(old!.tree, written.deltas, written.revision);
      keep(initiative.id, { stamp, tree, exact: { common: parts!.common, count: count!, record } });
      found.set(initiative.id, tree);
    } else missing.push(initiative);
  }
  const loaded = missing.length > 0 ? await load(missing) : [];
  // Read exactly at its stamp when nothing moved it meanwhile: SQLite runs one statement at a
  // time and a write's transaction holds the connection, so a write that landed between the
  // two stamps moved a count (or the database's count, or data_version) in between.
  const after =
    parts && missing.length > 0
      ? await sqliteStampParts(
          em,
          missing.map((i) => i.id),
        )
      : null;
  // PostgreSQL: a snapshot's trees that are older than one kept since (a report's snapshot
  // that began before a write a live read has folded) serve the snapshot alone; kept, they
  // would replace the newer tree, and the next live read would fold it again. A live read's
  // tree is always kept, even at a lower revision (a database restored from a backup).
  missing.forEach((initiative, n) => {
    found.set(initiative.id, loaded[n]!);
    const newer = (trees.get(initiative.id) as Kept<T> | undefined)?.tree.revision;
    if (
      !parts &&
      inSnapshot(em) &&
      newer !== undefined &&
      newer > (loaded[n]!.revision ?? Infinity)
    ) {
      return;
    }
    const count = parts?.counts.get(initiative.id);
    const exact =
      parts && after?.common === parts.common && after.counts.get(initiative.id) === count
        ? { common: parts.common, count: count!, record: recordOf(initiative) }
        : undefined;
    // PostgreSQL (stamped by revision, no SQLite parts): kept under the revision it was read
    // at, which a write may have moved past the one read for the stamp; kept under that one,
    // it would be served to a snapshot still at the older revision (inOneSnapshot), mixing
    // two states in one answer.
    const tree = loaded[n]!;
    const stamp =
      !parts && tree.revision !== undefined
        ? revisionStamp(tree.revision, initiative)
        : stamps.get(initiative.id)!;
    keep(initiative.id, { stamp, tree, exact });
  });
  while (trees.size > MAX_KEPT) trees.delete(trees.keys().next().value!);
  return initiatives.map((i) => found.get(i.id)!);
}
