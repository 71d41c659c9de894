import { ITEM_STATUSES } from '../domain/item-status.js';
import type { LogEntry } from '../domain/replay-items.js';
import { applyDelta, emptyTally, type Tally } from '../domain/tally.js';
import { dialectOf, type Em } from '../db/orm.js';
import { findStructureEntries } from '../db/queries/as-of.queries.js';
import { findSnapshotRows, type SnapshotHeader } from '../db/queries/snapshot.queries.js';
import { generationOf } from '../db/write-generation.js';

/**
 * What as-of reads keep between requests, so one costs the log since its snapshot and not the
 * snapshot's thousands of rows or the structure's JSON every time. Per open database (driver).
 *
 * - Snapshot tallies by snapshot id, on both databases: a snapshot is never changed once
 *   committed, and ids are never reused (autoincrement, serial). Not from inside a transaction,
 *   which may see a snapshot that then rolls back.
 * - An initiative's structure rows (workstream and initiative rows, all times), on SQLite only
 *   and only while nothing was written since (the live trees' rule, tree-cache.ts); on
 *   PostgreSQL other processes write too, so every read fetches them afresh.
 */
const MAX_SNAPSHOTS = 64;
const MAX_STRUCTURES = 64;
/** Distinct row sets remembered per kept structure (reads far in the past see fewer rows). */
const MAX_MEMO = 16;

interface KeptStructure {
  readonly generation: number;
  readonly dataVersion: number;
  readonly entries: readonly LogEntry[];
  /** Replays of it already derived, by the ids of the rows visible (see `structureMemo`). */
  readonly memo: Map<string, unknown>;
}

const snapshots = new WeakMap<object, Map<number, ReadonlyMap<number, Tally>>>();
const structures = new WeakMap<object, Map<number, KeptStructure>>();

function bounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key); // re-inserted last: the map's order is least recently kept first
  map.set(key, value);
  while (map.size > max) map.delete(map.keys().next().value!);
}

function cloneTallies(from: ReadonlyMap<number, Tally>): Map<number, Tally> {
  const out = new Map<number, Tally>();
  for (const [id, tally] of from) {
    const copy = {} as Tally;
    for (const status of ITEM_STATUSES) copy[status] = { ...tally[status] };
    out.set(id, copy);
  }
  return out;
}

/** A snapshot's per-workstream tallies, as a fresh map the caller may add deltas to. */
export async function snapshotTallies(
  em: Em,
  snapshot: SnapshotHeader,
): Promise<Map<number, Tally>> {
  const keep = !em.isInTransaction();
  let byId = snapshots.get(em.getDriver());
  const known = keep ? byId?.get(snapshot.id) : undefined;
  if (known) return cloneTallies(known);
  const tallies = new Map<number, Tally>();
  for (const row of await findSnapshotRows(em, snapshot)) {
    let tally = tallies.get(row.workstreamId);
    if (!tally) tallies.set(row.workstreamId, (tally = emptyTally()));
    applyDelta(tally, row);
  }
  if (!keep) return tallies;
  if (!byId) snapshots.set(em.getDriver(), (byId = new Map()));
  bounded(byId, snapshot.id, tallies, MAX_SNAPSHOTS);
  return cloneTallies(tallies);
}

/**
 * The initiative's structure rows visible at (asOf, knownAt), and a memo for what is derived
 * from exactly that set of rows (null when nothing may be kept).
 */
export async function structureRows(
  em: Em,
  initiativeId: number,
  asOf: number,
  knownAt: number,
): Promise<{ entries: LogEntry[]; memo: Map<string, unknown> | null; key: string }> {
  const generation = generationOf(em);
  if (!generation || em.isInTransaction() || dialectOf(em) !== 'sqlite') {
    return {
      entries: await findStructureEntries(em, initiativeId, asOf, knownAt),
      memo: null,
      key: '',
    };
  }
  const [row] = await em.execute('pragma data_version');
  const dataVersion = Number(row?.data_version);
  const now = generation.value; // read after the pragma, as tree-cache.ts does
  let byInitiative = structures.get(em.getDriver());
  if (!byInitiative) structures.set(em.getDriver(), (byInitiative = new Map()));
  let kept = byInitiative.get(initiativeId);
  if (!kept || kept.generation !== now || kept.dataVersion !== dataVersion) {
    const all = await findStructureEntries(
      em,
      initiativeId,
      Number.MAX_SAFE_INTEGER,
      Number.MAX_SAFE_INTEGER,
    );
    kept = { generation: now, dataVersion, entries: all, memo: new Map() };
  }
  bounded(byInitiative, initiativeId, kept, MAX_STRUCTURES);
  const entries = kept.entries.filter((e) => e.effectiveAt <= asOf && e.recordedAt <= knownAt);
  // The same rows replay to the same structure whatever the read time: key by the rows.
  const key = entries.length === kept.entries.length ? 'all' : entries.map((e) => e.id).join(',');
  if (kept.memo.size >= MAX_MEMO && !kept.memo.has(key))
    kept.memo.delete(kept.memo.keys().next().value!);
  return { entries, memo: kept.memo, key };
}
