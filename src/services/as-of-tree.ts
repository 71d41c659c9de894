import type { ReadTime } from '../domain/replay-items.js';
import {
  earliestInitiativeFields,
  replayStructure,
  type InitiativeReplayState,
  type WorkstreamReplayState,
} from '../domain/replay-structure.js';
import { childPath, depthOfPath } from '../domain/tree-rules.js';
import type { Em } from '../db/em.js';
import type { InitiativeRecord, WorkstreamRecord } from '../db/records.js';
import { findInitiativeOwnEntries } from '../db/queries/as-of.queries.js';
import { structureRows } from './as-of-cache.js';
import { asOfTallies, type AsOfTalliesOptions } from './as-of-tallies.js';
import {
  buildSkeleton,
  buildTree,
  type InitiativeTree,
  type TreeSkeleton,
} from './load-initiative-tree.js';

/** Paths from the replayed parents (a parent unknown then leaves its subtree out). */
export function pathsOf(
  workstreams: ReadonlyMap<number, WorkstreamReplayState>,
): Map<number, string> {
  const paths = new Map<number, string>();
  const pathOf = (id: number, seen: Set<number>): string | null => {
    const known = paths.get(id);
    if (known !== undefined) return known;
    const ws = workstreams.get(id);
    if (!ws || ws.deleted || seen.has(id)) return null;
    seen.add(id);
    const parent = ws.parentId === null ? '/' : pathOf(ws.parentId, seen);
    if (parent === null) return null;
    const path = childPath(parent === '/' ? null : parent, id);
    paths.set(id, path);
    return path;
  };
  for (const id of workstreams.keys()) pathOf(id, new Set());
  return paths;
}

const REPORT_FIELDS = ['objective', 'phase', 'targetDate', 'reportLowPercentBucket'] as const;

/**
 * The initiative's record as replayed. A report field its creation row predates (logged before
 * those fields were) is the earliest value its log knows, else today's: never changed since.
 */
async function recordAt(
  em: Em,
  initiative: InitiativeRecord,
  state: InitiativeReplayState,
): Promise<InitiativeRecord> {
  const missing = REPORT_FIELDS.filter((f) => state[f] === undefined);
  const earliest = missing.length
    ? earliestInitiativeFields(await findInitiativeOwnEntries(em, initiative.id))
    : {};
  const field = <F extends (typeof REPORT_FIELDS)[number]>(f: F): InitiativeRecord[F] =>
    (state[f] !== undefined
      ? state[f]
      : earliest[f] !== undefined
        ? earliest[f]
        : initiative[f]) as InitiativeRecord[F];
  return {
    ...initiative,
    name: state.name,
    rollupPolicy: state.rollupPolicy,
    statusLabels: state.statusLabels,
    objective: field('objective'),
    phase: field('phase'),
    targetDate: field('targetDate'),
    reportLowPercentBucket: field('reportLowPercentBucket'),
    archivedAt: state.archivedAt === null ? null : new Date(state.archivedAt),
  };
}

interface Shape {
  readonly record: InitiativeRecord;
  /** The tree's structure, shared by every as-of tree of this shape (nothing changes it). */
  readonly skeleton: TreeSkeleton;
}

/**
 * The initiative's record and workstream rows replayed at `t`, or null before it existed.
 * Derived from the visible structure rows alone, so it is kept with them (as-of-cache.ts), and
 * its skeleton is shared by the as-of trees built on it.
 */
async function shapeAt(em: Em, initiative: InitiativeRecord, t: ReadTime): Promise<Shape | null> {
  const { entries, memo, key } = await structureRows(em, initiative.id, t.asOf, t.knownAt);
  if (memo?.has(key)) return memo.get(key) as Shape | null;
  const structure = replayStructure(entries, t);
  const state = structure.initiative;
  let shape: Shape | null = null;
  if (state) {
    const record = await recordAt(em, initiative, state);
    const paths = pathsOf(structure.workstreams);
    const rows: WorkstreamRecord[] = [];
    for (const [id, path] of paths) {
      const ws = structure.workstreams.get(id)!;
      rows.push({
        id,
        initiativeId: initiative.id,
        parentId: ws.parentId,
        path,
        depth: depthOfPath(path),
        name: ws.name,
        phase: ws.phase,
        position: ws.position,
        weightCenti: ws.weightCenti,
        manualPercentBp: ws.manualPercentBp,
        targetDate: ws.targetDate,
        reportDetail: ws.reportDetail === 'BY_NAME' ? 'BY_NAME' : 'BY_PERCENT',
        effectiveFrom: new Date(0),
      });
    }
    shape = { record, skeleton: buildSkeleton(rows) };
  }
  memo?.set(key, shape);
  return shape;
}

/**
 * An initiative's tree as it stood at `t.asOf`, as known at `t.knownAt`: the structure replayed
 * from its workstream and initiative rows, the tallies from the nearest snapshot and the log
 * since. The same shape as a live tree, so every view and report serves it unchanged; the tree
 * is never kept between requests (its structure and snapshots are: as-of-cache.ts). Before the initiative existed: an empty tree.
 */
export async function loadAsOfTree(
  em: Em,
  initiative: InitiativeRecord,
  t: ReadTime,
  opts: AsOfTalliesOptions = {},
): Promise<InitiativeTree> {
  const shape = await shapeAt(em, initiative, t);
  if (!shape) return { ...buildTree(initiative, [], []), time: t };
  // Fresh tallies (as-of-tallies.ts), owned by this tree from here on.
  const tallies = await asOfTallies(em, initiative.id, t, opts);
  return { ...buildTree(shape.record, shape.skeleton, tallies), time: t };
}

/**
 * The initiative's own fields (name, objective, archived…) as they stood at `t`, or null before
 * it existed: the structure replay alone, no tallies (kept with the structure rows).
 */
export async function initiativeAt(
  em: Em,
  initiative: InitiativeRecord,
  t: ReadTime,
): Promise<InitiativeRecord | null> {
  return (await shapeAt(em, initiative, t))?.record ?? null;
}
