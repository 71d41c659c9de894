import { itemRowDeltas, type LogEntry, type ReadTime } from '../domain/replay-items.js';
import { replayStructure, type StructureAt } from '../domain/replay-structure.js';
import { resolvePolicy, type RollupPolicy } from '../domain/rollup-policy.js';
import { foldTree, type Rollup, type RollupNode } from '../domain/rollup.js';
import { applyDelta, emptyTally, type Tally } from '../domain/tally.js';
import type { Em } from '../db/orm.js';
import { findStructureEntries } from '../db/queries/as-of.queries.js';
import { findItemEntriesBetween } from '../db/queries/series.queries.js';
import { asOfTallies } from './as-of-tallies.js';
import { pathsOf } from './as-of-tree.js';

/** Every node's figure at one time of a series (what an as-of read at that time folds). */
export interface SeriesPoint {
  readonly at: number;
  readonly policy: RollupPolicy;
  readonly rollup: Rollup<number>;
  /** The initiative existed then (as known at the series' knownAt). */
  readonly exists: boolean;
}

const EMPTY: Readonly<Tally> = emptyTally();

/** The fold's input at one time: the replayed structure with the running tallies. */
function fold(
  structure: StructureAt,
  tallies: ReadonlyMap<number, Tally>,
): Omit<SeriesPoint, 'at'> {
  const state = structure.initiative;
  const policy = resolvePolicy(state?.rollupPolicy ?? null);
  if (!state) return { policy, rollup: foldTree([], policy), exists: false };
  const nodes: RollupNode<number>[] = [];
  for (const id of pathsOf(structure.workstreams).keys()) {
    const ws = structure.workstreams.get(id)!;
    nodes.push({
      id,
      parentId: ws.parentId,
      tally: tallies.get(id) ?? EMPTY,
      manual:
        ws.manualPercentBp === null
          ? null
          : { weightCenti: ws.weightCenti, percentBp: ws.manualPercentBp },
    });
  }
  return { policy, rollup: foldTree(nodes, policy), exists: true };
}

/**
 * An initiative's figures at each of `times` (ascending), as known at `knownAt`, in one pass:
 * the tallies at the first time from the as-of machinery (nearest snapshot and the log since),
 * then the item rows effective up to the last time, read once in effective order and applied as
 * the points pass them; the structure is replayed again only where one of its rows falls
 * between two points. Each point equals an as-of read at its time (tested).
 */
export async function progressSeries(
  em: Em,
  initiativeId: number,
  times: readonly number[],
  knownAt: number,
): Promise<SeriesPoint[]> {
  if (times.length === 0) return [];
  const first = times[0]!;
  const last = times[times.length - 1]!;
  const structureRows = (await findStructureEntries(em, initiativeId, last, knownAt)).filter(
    (r) => r.recordedAt <= knownAt,
  );
  const tallies = await asOfTallies(em, initiativeId, { asOf: first, knownAt });
  const itemRows = await findItemEntriesBetween(em, initiativeId, first, last, knownAt);
  const points: SeriesPoint[] = [];
  let structure: StructureAt | null = null;
  let s = 0; // next structure row not yet passed
  let i = 0; // next item row not yet applied
  let folded: Omit<SeriesPoint, 'at'> | null = null;
  for (const at of times) {
    let changed = structure === null;
    while (s < structureRows.length && structureRows[s]!.effectiveAt <= at) {
      s++;
      changed = true;
    }
    if (changed) structure = replayStructure(structureRows, { asOf: at, knownAt } as ReadTime);
    const applied = applyUntil(itemRows, i, at, tallies);
    if (applied !== i || changed || !folded) folded = fold(structure!, tallies);
    i = applied;
    points.push({ at, ...folded });
  }
  return points;
}

/** Applies the rows effective by `at`, from `start`; returns the index of the next one. */
function applyUntil(
  rows: readonly LogEntry[],
  start: number,
  at: number,
  tallies: Map<number, Tally>,
): number {
  let i = start;
  for (; i < rows.length && rows[i]!.effectiveAt <= at; i++) {
    for (const { workstreamId, delta } of itemRowDeltas(rows[i]!)) {
      let tally = tallies.get(workstreamId);
      if (!tally) tallies.set(workstreamId, (tally = emptyTally()));
      applyDelta(tally, delta);
    }
  }
  return i;
}
