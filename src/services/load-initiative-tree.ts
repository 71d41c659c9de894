import type { ReadTime } from '../domain/replay-items.js';
import { resolvePolicy, type RollupPolicy } from '../domain/rollup-policy.js';
import { foldTree, type Rollup } from '../domain/rollup.js';
import { applyDelta, emptyTally, type Tally } from '../domain/tally.js';
import type { Em } from '../db/orm.js';
import type { InitiativeRecord, WorkstreamRecord } from '../db/records.js';
import { findTallyRows, findTreeRows, type TallyRow } from '../db/queries/workstream.queries.js';
import { withKeptTrees } from './tree-cache.js';

export interface TreeNode extends WorkstreamRecord {
  readonly children: TreeNode[];
  readonly ownTally: Tally;
}

/** One initiative's live tree with every node's figure: two flat queries, no item rows read. */
export interface InitiativeTree {
  readonly initiative: InitiativeRecord;
  readonly policy: RollupPolicy;
  readonly nodes: ReadonlyMap<number, TreeNode>;
  readonly roots: readonly TreeNode[];
  readonly rollup: Rollup<number>;
  /** Set on a tree as of a past time (as-of-tree.ts): read-only, never kept between requests. */
  readonly time?: ReadTime;
}

export async function loadInitiativeTree(
  em: Em,
  initiative: InitiativeRecord,
): Promise<InitiativeTree> {
  const [tree] = await loadInitiativeTrees(em, [initiative]);
  return tree!;
}

/**
 * Several trees in the same two queries (the per-request loader batches through this); on
 * SQLite, a tree nothing has written to since it was folded is served as kept (tree-cache.ts).
 * Trees are shared between requests: nothing may change one after `buildTree`.
 */
export async function loadInitiativeTrees(
  em: Em,
  initiatives: readonly InitiativeRecord[],
): Promise<InitiativeTree[]> {
  if (initiatives.length === 0) return [];
  return withKeptTrees(em, initiatives, (missing) => readInitiativeTrees(em, missing));
}

async function readInitiativeTrees(
  em: Em,
  initiatives: readonly InitiativeRecord[],
): Promise<InitiativeTree[]> {
  const ids = initiatives.map((i) => i.id);
  const rows = await findTreeRows(em, ids);
  const tallies = await findTallyRows(em, ids);
  return initiatives.map((initiative) =>
    buildTree(
      initiative,
      rows.filter((r) => r.initiativeId === initiative.id),
      tallies.filter((t) => t.initiativeId === initiative.id),
    ),
  );
}

/**
 * Assembles the tree from flat rows (ordered parents first) and folds the counters: tally rows
 * (the live counters), or each workstream's own tally, handed over to the tree (as-of reads).
 */
export function buildTree(
  initiative: InitiativeRecord,
  rows: readonly WorkstreamRecord[],
  tallies: readonly TallyRow[] | ReadonlyMap<number, Tally>,
): InitiativeTree {
  const nodes = new Map<number, TreeNode>();
  const roots: TreeNode[] = [];
  const own = tallies instanceof Map ? (tallies as ReadonlyMap<number, Tally>) : null;
  for (const row of rows) {
    const node: TreeNode = { ...row, children: [], ownTally: own?.get(row.id) ?? emptyTally() };
    nodes.set(row.id, node);
    if (row.parentId === null) roots.push(node);
  }
  for (const node of nodes.values()) {
    if (node.parentId !== null) nodes.get(node.parentId)?.children.push(node);
  }
  // Only what hangs from a root is part of the tree (defensive: nothing else should exist).
  const reachable = new Set<number>();
  for (const stack = [...roots]; stack.length > 0;) {
    const node = stack.pop()!;
    reachable.add(node.id);
    stack.push(...node.children);
  }
  for (const id of [...nodes.keys()]) if (!reachable.has(id)) nodes.delete(id);
  const bySibling = (a: TreeNode, b: TreeNode) => a.position - b.position || a.id - b.id;
  roots.sort(bySibling);
  for (const node of nodes.values()) node.children.sort(bySibling);
  if (!own)
    for (const t of tallies as readonly TallyRow[]) {
      const node = nodes.get(t.workstreamId);
      if (node) applyDelta(node.ownTally, t);
    }
  const policy = resolvePolicy(initiative.rollupPolicy);
  const rollup = foldTree(foldInputsOf(nodes.values()), policy);
  return { initiative, policy, nodes, roots, rollup };
}

/** The tree's nodes as the pure fold takes them: own tally, and a manual percent where set. */
export function foldInputsOf(nodes: Iterable<TreeNode>) {
  return [...nodes].map((n) => ({
    id: n.id,
    parentId: n.parentId,
    tally: n.ownTally,
    manual:
      n.manualPercentBp === null
        ? null
        : { weightCenti: n.weightCenti, percentBp: n.manualPercentBp },
  }));
}
