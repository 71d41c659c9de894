import { ITEM_STATUSES, type ItemStatus } from '../domain/item-status.js';
import type { LogEntry } from '../domain/replay-items.js';
import { emptyTally, sumsOf, zeroTally, type Tally } from '../domain/tally.js';
import { dialectOf, type Em } from '../db/em.js';
import { readsCommittedOnly } from '../db/read-snapshot.js';
import { findStructureEntries, findStructureSignature } from '../db/queries/as-of.queries.js';
import {
  findSnapshotRowsAsRead,
  type SnapshotHeader,
  type SnapshotRow,
} from '../db/queries/snapshot.queries.js';

/**
 * What as-of reads keep between requests, so one costs the log since its snapshot and not the
 * snapshot's thousands of rows or the structure's JSON every time. Per open database (driver).
 *
 * - Snapshot tallies by snapshot id, on both databases: a snapshot is never changed once
 *   committed, and ids are never reused (autoincrement, serial). Not from inside a write's
 *   transaction, which may see a snapshot that then rolls back (a read snapshot sees committed
 *   rows only: src/db/read-snapshot.ts).
 * - An initiative's structure rows (workstream and initiative rows, all times), on SQLite,
 *   while the log has no new row: their count and newest id and the log's newest id are
 *   unchanged (the log is append-only). A write elsewhere (a webhook cursor) keeps them. On
 *   PostgreSQL every read fetches them afresh: kept there, the random-history property test
 *   ran markedly slower, and why is not yet understood.
 */
/**
 * Bytes of snapshot tallies kept per database: a snapshot of a 1,000-workstream tree packs into
 * about 40 kB, so a year of a busy initiative's snapshots (a thousand) stays kept and a read at
 * any past time finds its snapshot in memory, whatever the length of the history.
 */
const MAX_SNAPSHOT_BYTES = 64 * 2 ** 20;
const MAX_STRUCTURES = 64;
/** Distinct row sets remembered per kept structure (reads far in the past see fewer rows). */
const MAX_MEMO = 16;

interface KeptStructure {
  /** Count and newest id of the rows (findStructureSignature). */
  readonly signature: string;
  readonly entries: readonly LogEntry[];
  /** Replays of it already derived, by the ids of the rows visible (see `structureMemo`). */
  readonly memo: Map<string, unknown>;
}

/**
 * A snapshot's non-zero tallies packed in typed arrays (one entry per workstream and status):
 * no object per row to keep or to collect.
 */
interface PackedSnapshot {
  readonly workstreams: Int32Array;
  readonly statuses: Uint8Array;
  /** items, weight, percentWeight per entry. */
  readonly sums: Float64Array;
  readonly bytes: number;
}

interface KeptSnapshots {
  readonly byId: Map<number, PackedSnapshot>;
  bytes: number;
}

const snapshots = new WeakMap<object, KeptSnapshots>();
const structures = new WeakMap<object, Map<number, KeptStructure>>();

function bounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key); // re-inserted last: the map's order is least recently kept first
  map.set(key, value);
  while (map.size > max) map.delete(map.keys().next().value!);
}

const STATUS_INDEX = new Map(ITEM_STATUSES.map((s, i) => [s, i]));

function pack(rows: readonly SnapshotRow[]): PackedSnapshot {
  const n = rows.length;
  const out = {
    workstreams: new Int32Array(n),
    statuses: new Uint8Array(n),
    sums: new Float64Array(n * 3),
    bytes: n * (4 + 1 + 24) + 64,
  };
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    out.workstreams[i] = Number(row.workstream_id);
    out.statuses[i] = STATUS_INDEX.get(row.status as ItemStatus)!;
    out.sums[i * 3] = Number(row.items);
    out.sums[i * 3 + 1] = Number(row.weight);
    out.sums[i * 3 + 2] = Number(row.percent_weight);
  }
  return out;
}

/**
 * The packed snapshot as tallies the caller owns (adds deltas to, hangs on a tree): a fresh map,
 * or `into` overwritten in place (a series moving from point to point allocates nothing).
 */
function unpack(packed: PackedSnapshot, into?: Map<number, Tally>): Map<number, Tally> {
  const tallies = into ?? new Map<number, Tally>();
  for (const tally of tallies.values()) zeroTally(tally);
  const { workstreams, statuses, sums } = packed;
  for (let i = 0; i < workstreams.length; i++) {
    let tally = tallies.get(workstreams[i]!);
    if (!tally) tallies.set(workstreams[i]!, (tally = emptyTally()));
    const s = sumsOf(tally, ITEM_STATUSES[statuses[i]!]!);
    s.items += sums[i * 3]!;
    s.weight += sums[i * 3 + 1]!;
    s.percentWeight += sums[i * 3 + 2]!;
  }
  return tallies;
}

/** A snapshot's per-workstream tallies, as a fresh map the caller may add deltas to. */
export async function snapshotTallies(
  em: Em,
  snapshot: SnapshotHeader,
  into?: Map<number, Tally>,
): Promise<Map<number, Tally>> {
  const keep = readsCommittedOnly(em);
  let kept = snapshots.get(em.getDriver());
  const known = keep ? kept?.byId.get(snapshot.id) : undefined;
  if (known) {
    kept!.byId.delete(snapshot.id); // re-inserted last: least recently read first
    kept!.byId.set(snapshot.id, known);
    return unpack(known, into);
  }
  const packed = pack(await findSnapshotRowsAsRead(em, snapshot));
  if (!keep) return unpack(packed, into);
  if (!kept) snapshots.set(em.getDriver(), (kept = { byId: new Map(), bytes: 0 }));
  if (!kept.byId.has(snapshot.id)) {
    kept.byId.set(snapshot.id, packed);
    kept.bytes += packed.bytes;
  }
  while (kept.bytes > MAX_SNAPSHOT_BYTES && kept.byId.size > 1) {
    const [oldest, dropped] = kept.byId.entries().next().value!;
    kept.byId.delete(oldest);
    kept.bytes -= dropped.bytes;
  }
  return unpack(packed, into);
}

/** The end of year 9999: after every row's times, and a date both databases read as a parameter. */
const END_OF_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

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
  if (!readsCommittedOnly(em) || dialectOf(em) !== 'sqlite') {
    return {
      entries: await findStructureEntries(em, initiativeId, asOf, knownAt),
      memo: null,
      key: '',
    };
  }
  const signature = await findStructureSignature(em, initiativeId);
  let byInitiative = structures.get(em.getDriver());
  if (!byInitiative) structures.set(em.getDriver(), (byInitiative = new Map()));
  let kept = byInitiative.get(initiativeId);
  if (!kept || kept.signature !== signature) {
    const all = await findStructureEntries(em, initiativeId, END_OF_TIME, END_OF_TIME);
    kept = { signature, entries: all, memo: new Map() };
  }
  bounded(byInitiative, initiativeId, kept, MAX_STRUCTURES);
  const entries = kept.entries.filter((e) => e.effectiveAt <= asOf && e.recordedAt <= knownAt);
  // The same rows replay to the same structure whatever the read time: key by the rows.
  const key = entries.length === kept.entries.length ? 'all' : entries.map((e) => e.id).join(',');
  if (kept.memo.size >= MAX_MEMO && !kept.memo.has(key))
    kept.memo.delete(kept.memo.keys().next().value!);
  return { entries, memo: kept.memo, key };
}
