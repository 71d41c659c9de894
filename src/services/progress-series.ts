import { itemRowDeltas, type LogEntry, type ReadTime } from '../domain/replay-items.js';
import {
  replayStructure,
  type StructureAt,
  type WorkstreamReplayState,
} from '../domain/replay-structure.js';
import { resolvePolicy, type RollupPolicy } from '../domain/rollup-policy.js';
import type { WeeklyFigure } from '../domain/forecast.js';
import type { ManualWork } from '../domain/credit.js';
import { CreditFold } from '../domain/credit-fold.js';
import { foldRoot, foldTree, type Figure, type RollupNode } from '../domain/rollup.js';
import { applyDelta, emptyTally, type Tally } from '../domain/tally.js';
import type { Em } from '../db/em.js';
import { findStructureEntries } from '../db/queries/as-of.queries.js';
import { findItemEntriesBetween } from '../db/queries/series.queries.js';
import { findUsableSnapshot } from '../db/queries/snapshot.queries.js';
import { asOfTallies } from './as-of-tallies.js';
import { pathsOf } from './as-of-tree.js';

/** Every node's figure at one time of a series (what an as-of read at that time folds). */
export interface SeriesPoint {
  readonly at: number;
  readonly policy: RollupPolicy;
  /** The whole tree's figure. */
  readonly root: Figure;
  /** Each workstream's figure; null for a series of the root alone. */
  readonly figures: ReadonlyMap<number, Figure> | null;
  /** The initiative existed then (as known at the series' knownAt). */
  readonly exists: boolean;
}

const EMPTY: Readonly<Tally> = emptyTally();

const manualOf = (ws: WorkstreamReplayState): ManualWork | null =>
  ws.manualPercentBp === null
    ? null
    : { weightCenti: ws.weightCenti, percentBp: ws.manualPercentBp };

/** The fold's input at one time: the replayed structure with the running tallies. */
function fold(
  structure: StructureAt,
  inTree: readonly number[],
  tallies: ReadonlyMap<number, Tally>,
  rootOnly: boolean,
): Omit<SeriesPoint, 'at'> {
  const state = structure.initiative;
  const policy = resolvePolicy(state?.rollupPolicy ?? null);
  if (!state) {
    const empty = foldTree<number>([], policy);
    return { policy, root: empty.root, figures: rootOnly ? null : empty.figures, exists: false };
  }
  const nodes: RollupNode<number>[] = [];
  for (const id of inTree) {
    const ws = structure.workstreams.get(id)!;
    nodes.push({
      id,
      parentId: ws.parentId,
      tally: tallies.get(id) ?? EMPTY,
      manual: manualOf(ws),
    });
  }
  if (rootOnly) return { policy, root: foldRoot(nodes, policy), figures: null, exists: true };
  const rollup = foldTree(nodes, policy);
  return { policy, root: rollup.root, figures: rollup.figures, exists: true };
}

/** What a series sees at one of its times. */
interface SeriesStep {
  /** Which of the times. */
  readonly index: number;
  readonly at: number;
  readonly structure: StructureAt;
  /** The workstreams in the tree then. */
  readonly inTree: readonly number[];
  /** Each workstream's own tally then (reused and changed in place by the next step). */
  readonly tallies: ReadonlyMap<number, Tally>;
  /** The structure or the tallies changed since the step before (always true at the first). */
  readonly structureChanged: boolean;
  readonly talliesMoved: boolean;
}

/**
 * Walks an initiative's history to each of `times` (ascending), as known at `knownAt`, in one
 * pass: the tallies at a point are those of the point before plus the item rows effective in
 * between, unless a snapshot lies between the two: then the point starts from that snapshot (the
 * as-of machinery), so the rows read per point stay bounded by the snapshots' spacing however
 * long the history. The structure is replayed again only where one of its rows falls between
 * two points.
 */
async function walkSeries(
  em: Em,
  initiativeId: number,
  times: readonly number[],
  knownAt: number,
  visit: (step: SeriesStep) => void,
): Promise<void> {
  if (times.length === 0) return;
  const last = times[times.length - 1]!;
  const structureRows = (await findStructureEntries(em, initiativeId, last, knownAt)).filter(
    (r) => r.recordedAt <= knownAt,
  );
  let tallies: Map<number, Tally> | null = null;
  let structure: StructureAt | null = null;
  let inTree: number[] = [];
  let s = 0; // next structure row not yet passed
  let previous = 0;
  for (const [index, at] of times.entries()) {
    let changed = structure === null;
    while (s < structureRows.length && structureRows[s]!.effectiveAt <= at) {
      s++;
      changed = true;
    }
    if (changed) {
      structure = replayStructure(structureRows, { asOf: at, knownAt } as ReadTime);
      inTree = [...pathsOf(structure.workstreams).keys()];
    }
    const t = { asOf: at, knownAt };
    let moved = true;
    if (!tallies) tallies = await asOfTallies(em, initiativeId, t);
    else {
      // A snapshot between the points: start from it (looked up once, handed on).
      const snapshot = await findUsableSnapshot(em, initiativeId, t);
      if ((snapshot?.effectiveAt ?? 0) > previous)
        tallies = await asOfTallies(em, initiativeId, t, { into: tallies, snapshot });
      else
        moved = apply(
          await findItemEntriesBetween(em, initiativeId, previous, at, knownAt),
          tallies,
        );
    }
    previous = at;
    visit({
      index,
      at,
      structure: structure!,
      inTree,
      tallies,
      structureChanged: changed,
      talliesMoved: moved,
    });
  }
}

/**
 * An initiative's figures at each of `times` (ascending), as known at `knownAt`, in one pass
 * (walkSeries). `rootOnly`: fold the whole tree's figure alone. Each point equals an as-of read
 * at its time (tested).
 */
export async function progressSeries(
  em: Em,
  initiativeId: number,
  times: readonly number[],
  knownAt: number,
  rootOnly = false,
): Promise<SeriesPoint[]> {
  const points: SeriesPoint[] = [];
  let folded: Omit<SeriesPoint, 'at'> | null = null;
  await walkSeries(em, initiativeId, times, knownAt, (step) => {
    if (step.talliesMoved || step.structureChanged || !folded)
      folded = fold(step.structure, step.inTree, step.tallies, rootOnly);
    points.push({ at: step.at, ...folded });
  });
  return points;
}

/**
 * Credit and counted of every node at each of `times`, in one pass (walkSeries): per workstream
 * id, and for the initiative's whole tree under the key null, one entry per time (null where
 * the node, or the initiative, did not exist then). The same figures as `progressSeries`
 * (tested), without folding tallies or figure objects at each point: what a forecast of every
 * node reads.
 */
export async function weeklyFigures(
  em: Em,
  initiativeId: number,
  times: readonly number[],
  knownAt: number,
): Promise<Map<number | null, (WeeklyFigure | null)[]>> {
  const out = new Map<number | null, (WeeklyFigure | null)[]>();
  const series = (id: number | null) => {
    let list = out.get(id);
    if (!list) out.set(id, (list = new Array<WeeklyFigure | null>(times.length).fill(null)));
    return list;
  };
  let shape: CreditFold<number> | null = null;
  let own: (Tally | undefined)[] = [];
  await walkSeries(em, initiativeId, times, knownAt, (step) => {
    const state = step.structure.initiative;
    if (!state) return;
    if (step.structureChanged || !shape) {
      shape = new CreditFold(
        step.inTree.map((id) => {
          const ws = step.structure.workstreams.get(id)!;
          return { id, parentId: ws.parentId, manual: manualOf(ws) };
        }),
      );
      own = new Array<Tally | undefined>(shape.ids.length);
    }
    const { ids, credit, counted } = shape;
    for (let i = 0; i < ids.length; i++) own[i] = step.tallies.get(ids[i]!);
    const root = shape.fold(own, resolvePolicy(state.rollupPolicy));
    const p = step.index;
    series(null)[p] = root;
    for (let i = 0; i < ids.length; i++)
      series(ids[i]!)[p] = { credit: credit[i]!, counted: counted[i]! };
  });
  return out;
}

/** Applies the rows to the tallies; whether any moved them. */
function apply(rows: readonly LogEntry[], tallies: Map<number, Tally>): boolean {
  for (const row of rows) {
    for (const { workstreamId, delta } of itemRowDeltas(row)) {
      let tally = tallies.get(workstreamId);
      if (!tally) tallies.set(workstreamId, (tally = emptyTally()));
      applyDelta(tally, delta);
    }
  }
  return rows.length > 0;
}
