import { AsyncLocalStorage } from 'node:async_hooks';
import { ITEM_EVENT_TYPES, type ChangeEvent } from '../domain/change-events.js';
import { deltasOf, type EventDelta } from '../domain/event-deltas.js';
import { mergeDeltas, type MergedDelta } from '../domain/tally.js';
import type { Em } from './em.js';

/**
 * What readers that keep data between requests on SQLite (the folded trees, the kept answers)
 * compare to know that nothing they were made from has changed since:
 * - `value`, a per-database count of writes that could have changed anything: every statement
 *   that is not a plain read moves it as it is issued, and so does the end of every write
 *   transaction (committed or not), except the statements of a write through the pipeline;
 * - `initiatives`, a count per initiative moved by the pipeline's writes (run-write.ts): a
 *   pipeline write knows from its events which initiatives it changed, and moves their counts
 *   in its transaction, before the commit; its own statements do not move `value`, so a write to
 *   one initiative leaves every other initiative's kept data fresh;
 * - `PRAGMA data_version`, read with them, for commits by other connections (the CLI, another
 *   process): those may have changed anything.
 * Moving a count too often costs a reload; never moving one for a write would serve stale
 * figures, so anything that is not a SELECT or a PRAGMA, outside a pipeline write, counts.
 *
 * `counters` says, for a recent count of an initiative, what the committed pipeline write that
 * moved it to that count changed there when that was counters alone (item events: the counter
 * deltas it applied, and no row a tree is built from) and the initiative's revision it
 * committed; a kept tree read exactly at the count before can then be brought forward without
 * reading it again (tree-cache.ts). It is filled only after the commit, so a count whose write
 * rolled back, or is not committed yet, has none.
 */
export interface WriteGeneration {
  value: number;
  readonly initiatives: Map<number, number>;
  readonly counters: Map<number, Map<number, CountersWritten>>;
}

/** What one committed write did to an initiative that changed its counters alone. */
export interface CountersWritten {
  readonly deltas: readonly EventDelta[];
  /** The initiative's revision after the write. */
  readonly revision: number;
}

export function newGeneration(): WriteGeneration {
  return { value: 0, initiatives: new Map(), counters: new Map() };
}

/** How many counts back a kept tree may be brought forward. */
const KEPT_COUNTERS = 32;

/** Events that change an initiative's counters and nothing a tree is built from. */
const COUNTERS_ONLY = new Set<ChangeEvent['type']>([...ITEM_EVENT_TYPES, 'ItemStageChanged']);

const READ = /^\s*(select|pragma)\b/i;
/**
 * The webhook worker's bookkeeping (its outbox position, its deliveries' leases), written every
 * second by an idle server: no kept data is read from these tables, and counting them would
 * throw every kept tree away once a second.
 */
const BOOKKEEPING =
  /^\s*(insert\s+into|update|delete\s+from)\s+"?(outbox_position|webhook_delivery)\b/i;
const generations = new WeakMap<object, WriteGeneration>();

/**
 * A pipeline write under way: statements issued from its async context while `open` are its
 * own (they run in its transaction, which holds SQLite's one connection until it ends) and are
 * accounted for by the initiatives it names. Anything issued after it closed counts as usual,
 * even from work it started.
 */
interface AttributedWrite {
  readonly generation: WriteGeneration;
  open: boolean;
  /** Set once the write has moved the counts of the initiatives it changed. */
  named: boolean;
  /** The counts this attempt moved whose changes were counters alone, with what they did. */
  counters: { initiativeId: number; count: number; written: CountersWritten }[];
}
const attributed = new AsyncLocalStorage<AttributedWrite>();

/** The `onQuery` hook MikroORM calls with every statement it is about to run. */
export function countingWrites(generation: WriteGeneration) {
  return (sql: string): string => {
    if (READ.test(sql) || BOOKKEEPING.test(sql)) return sql;
    const write = attributed.getStore();
    if (!write?.open || write.generation !== generation) generation.value++;
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

/**
 * Called when a write transaction ends, committed or not; inside a pipeline write its end is
 * accounted for by `attributedWrite`.
 */
export function noteWrite(em: Em): void {
  const generation = generationOf(em);
  if (!generation) return;
  const write = attributed.getStore();
  if (!write?.open || write.generation !== generation) generation.value++;
}

/**
 * Runs a pipeline write (its whole transaction, retries included): its statements do not move
 * the database's count. It must call `noteInitiativeWrites` before it commits; if it ends
 * without having done so (it failed, or changed nothing it could name), the database's count
 * moves, as for any other transaction.
 */
export async function attributedWrite<T>(em: Em, work: () => Promise<T>): Promise<T> {
  const generation = generationOf(em);
  if (!generation) return work();
  const write: AttributedWrite = { generation, open: true, named: false, counters: [] };
  // A write inside a caller's transaction commits only with it: nothing to say yet.
  const own = !em.isInTransaction();
  try {
    const result = await attributed.run(write, work);
    if (own) {
      // Committed: from now on readers may bring kept trees forward over these counts.
      for (const { initiativeId, count, written } of write.counters) {
        let byCount = generation.counters.get(initiativeId);
        if (!byCount) generation.counters.set(initiativeId, (byCount = new Map()));
        byCount.set(count, written);
        for (const old of byCount.keys()) {
          if (old > count - KEPT_COUNTERS) break;
          byCount.delete(old);
        }
      }
    }
    return result;
  } finally {
    write.open = false;
    if (!write.named) generation.value++;
  }
}

/**
 * A pipeline write's transaction starts (again, when retried): what an attempt that rolled back
 * said about counters goes, even if the next one only replays an idempotent answer.
 */
export function beginAttempt(): void {
  const write = attributed.getStore();
  if (write?.open) write.counters = [];
}

/**
 * Moves the counts of the initiatives a pipeline write changed. Called inside its transaction,
 * before the commit: on SQLite no other statement runs until the transaction ends, so a reader
 * that reads the new count reads the data after the commit (or after the rollback: the same
 * data as before, under a new count, which costs a reload only).
 */
export function noteInitiativeWrites(
  em: Em,
  initiativeIds: Iterable<number>,
  written: {
    readonly events: readonly ChangeEvent[];
    /** Each initiative's revision after the write: a count without one is never brought forward. */
    readonly revisions: ReadonlyMap<number, number>;
    /** The events' counter deltas per initiative, merged, when the caller has them already. */
    readonly merged?: ReadonlyMap<number, readonly MergedDelta[]>;
  },
): void {
  const { events, revisions, merged } = written;
  const generation = generationOf(em);
  if (!generation) return;
  const write = attributed.getStore();
  const ours = write?.open && write.generation === generation ? write : undefined;
  if (ours) ours.counters = []; // a retried transaction starts over
  let any = false;
  for (const id of initiativeIds) {
    const count = (generation.initiatives.get(id) ?? 0) + 1;
    generation.initiatives.set(id, count);
    any = true;
    const own = events.filter((e) => e.initiativeId === id);
    const revision = revisions.get(id);
    if (
      ours &&
      revision !== undefined &&
      own.length > 0 &&
      own.every((e) => COUNTERS_ONLY.has(e.type))
    )
      ours.counters.push({
        initiativeId: id,
        count,
        written: {
          // Summed per workstream and status: an import of thousands of items keeps a few rows.
          deltas: (merged?.get(id) ?? mergeDeltas(deltasOf(own))).map((d) => ({
            initiativeId: id,
            ...d,
          })),
          revision,
        },
      });
  }
  if (any && ours) ours.named = true;
}

/**
 * The counter deltas that bring an initiative's data from count `from` to count `to`, in
 * order, and its revision at `to`; null unless every write in between committed with counters
 * alone (or when there are none: nothing to bring forward).
 */
export function countersBetween(
  generation: WriteGeneration,
  initiativeId: number,
  from: number,
  to: number,
): { deltas: EventDelta[]; revision: number } | null {
  const byCount = generation.counters.get(initiativeId);
  if (!byCount || to <= from || to - from > KEPT_COUNTERS) return null;
  const deltas: EventDelta[] = [];
  let revision = 0;
  for (let count = from + 1; count <= to; count++) {
    const written = byCount.get(count);
    if (!written) return null;
    deltas.push(...written.deltas);
    revision = written.revision;
  }
  return { deltas, revision };
}

/**
 * Each initiative's stamp now on SQLite (null when nothing may be kept): the database's count,
 * the initiative's count and `PRAGMA data_version`. The counts are read after the pragma, so
 * any write of this process that committed before it has already moved them.
 */
export async function sqliteStamps(
  em: Em,
  initiativeIds: readonly number[],
): Promise<Map<number, string> | null> {
  const parts = await sqliteStampParts(em, initiativeIds);
  if (!parts) return null;
  return new Map(initiativeIds.map((id) => [id, `${parts.common}:i${parts.counts.get(id)}`]));
}

/** The same stamp in its parts: what every initiative shares, and each one's count. */
export async function sqliteStampParts(
  em: Em,
  initiativeIds: readonly number[],
): Promise<{ common: string; counts: Map<number, number>; generation: WriteGeneration } | null> {
  const generation = generationOf(em);
  if (!generation) return null;
  const [row] = await em.execute('pragma data_version');
  return {
    common: `g${generation.value}:d${Number(row?.data_version)}`,
    counts: new Map(initiativeIds.map((id) => [id, generation.initiatives.get(id) ?? 0])),
    generation,
  };
}
