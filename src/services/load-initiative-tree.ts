import type { ReadTime } from '../domain/replay-items.js';
import { resolvePolicy, type RollupPolicy } from '../domain/rollup-policy.js';
import { foldOrdered, foldTree, refoldPaths, type Rollup } from '../domain/rollup.js';
import type { EventDelta } from '../domain/event-deltas.js';
import { applyDelta, emptyTally, type Tally } from '../domain/tally.js';
import type { Em } from '../db/em.js';
import { inReadSnapshot } from '../db/read-snapshot.js';
import type { InitiativeRecord, WorkstreamRecord } from '../db/records.js';
import { findTallyRows, findTreeRows, type TallyRow } from '../db/queries/workstream.queries.js';
import { readRevisions } from '../db/queries/outbox.queries.js';
import { withKeptTrees } from './tree-cache.js';

/**
 * A workstream in its tree: the record with its children, in position order. Structure only
 * (its items' tally is the tree's `tallies`), so trees of the same shape may share their nodes.
 */
export interface TreeNode extends WorkstreamRecord {
  readonly children: TreeNode[];
}

/** The nodes of a tree and its top level, in position order. */
export interface TreeSkeleton {
  readonly nodes: ReadonlyMap<number, TreeNode>;
  readonly roots: readonly TreeNode[];
  /** Every node, parents first (pre-order): what `foldOrdered` folds. */
  readonly order: readonly TreeNode[];
}

/** One initiative's live tree with every node's figure: two flat queries, no item rows read. */
export interface InitiativeTree {
  readonly initiative: InitiativeRecord;
  readonly policy: RollupPolicy;
  readonly nodes: ReadonlyMap<number, TreeNode>;
  readonly roots: readonly TreeNode[];
  /** Each workstream's own items' tally (none: nothing counted there). */
  readonly tallies: ReadonlyMap<number, Readonly<Tally>>;
  readonly rollup: Rollup<number>;
  /**
   * On a live tree, the initiative's revision its figures are exactly at: every write up to it
   * is in them, none after. A client that subscribes with `afterRevision` set to it misses no
   * write and gets none twice.
   */
  readonly revision?: number;
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
  return withKeptTrees(em, initiatives, (missing) => readInitiativeTrees(em, missing), advanceTree);
}

/**
 * A kept tree after item writes that changed its counters alone: the same nodes, each touched
 * workstream's own tally with the writes' deltas applied (as the database applied them), and
 * the figures of those workstreams and their ancestors folded again (the same figures a tree
 * read afresh folds). The kept tree is left as it was (it is shared).
 */
export function advanceTree(
  tree: InitiativeTree,
  deltas: readonly EventDelta[],
  revision: number,
): InitiativeTree {
  const tallies = new Map(tree.tallies);
  const copied = new Set<number>();
  for (const { workstreamId, delta } of deltas) {
    if (!tree.nodes.has(workstreamId)) continue; // as buildTree leaves it out
    if (!copied.has(workstreamId)) {
      const tally = emptyTally();
      const before = tallies.get(workstreamId);
      if (before)
        for (const status of Object.keys(before) as (keyof Tally)[])
          Object.assign(tally[status], before[status]);
      tallies.set(workstreamId, tally);
      copied.add(workstreamId);
    }
    applyDelta(tallies.get(workstreamId) as Tally, delta);
  }
  const node = (id: number) => tree.nodes.get(id)!;
  const rollup = refoldPaths(
    tree.rollup,
    copied,
    {
      input: (id) => foldInput(node(id), tallies),
      children: (id) => node(id).children.map((c) => c.id),
      depth: (id) => node(id).depth,
      tops: tree.roots.map((r) => r.id),
    },
    tree.policy,
  );
  return {
    initiative: tree.initiative,
    policy: tree.policy,
    nodes: tree.nodes,
    roots: tree.roots,
    tallies,
    rollup,
    revision,
  };
}

async function readInitiativeTrees(
  em: Em,
  initiatives: readonly InitiativeRecord[],
): Promise<InitiativeTree[]> {
  const ids = initiatives.map((i) => i.id);
  // The structure, its counters and the revision of one state: read apart, a write landing
  // between them that creates a workstream and moves items into it (an import does) gives a
  // tree that never was, those items counted nowhere. Folded after the snapshot ends: on SQLite
  // it holds the connection.
  const read = async (r: Em) => ({
    rows: await findTreeRows(r, ids),
    tallies: await findTallyRows(r, ids),
    revisions: await readRevisions(r, ids),
  });
  const { rows, tallies, revisions } = await inReadSnapshot(em, read);
  return initiatives.map((initiative) => ({
    ...buildTree(
      initiative,
      rows.filter((r) => r.initiativeId === initiative.id),
      tallies.filter((t) => t.initiativeId === initiative.id),
    ),
    revision: revisions.get(initiative.id)!,
  }));
}

/**
 * The tree's structure from flat rows (ordered parents first): what hangs from a root, each
 * node's children in position order. Nothing changes it afterwards, so one skeleton may serve
 * several trees (as-of trees of the same shape, as-of-tree.ts).
 */
export function buildSkeleton(rows: readonly WorkstreamRecord[]): TreeSkeleton {
  const nodes = new Map<number, TreeNode>();
  const roots: TreeNode[] = [];
  for (const row of rows) {
    const node: TreeNode = { ...row, children: [] };
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
  const order: TreeNode[] = [];
  for (const stack = [...roots].reverse(); stack.length > 0;) {
    const node = stack.pop()!;
    order.push(node);
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  return { nodes, roots, order };
}

/**
 * Assembles the tree from flat rows (ordered parents first) or a skeleton already built, and
 * folds the counters: tally rows (the live counters), or each workstream's own tally, handed
 * over to the tree (as-of reads).
 */
export function buildTree(
  initiative: InitiativeRecord,
  structure: readonly WorkstreamRecord[] | TreeSkeleton,
  tallies: readonly TallyRow[] | ReadonlyMap<number, Tally>,
): InitiativeTree {
  const kept = !Array.isArray(structure);
  const { nodes, roots, order } = kept
    ? (structure as TreeSkeleton)
    : buildSkeleton(structure as readonly WorkstreamRecord[]);
  let own: ReadonlyMap<number, Tally>;
  if (tallies instanceof Map) own = tallies as ReadonlyMap<number, Tally>;
  else {
    const sums = new Map<number, Tally>();
    for (const t of tallies as readonly TallyRow[]) {
      if (!nodes.has(t.workstreamId)) continue;
      let tally = sums.get(t.workstreamId);
      if (!tally) sums.set(t.workstreamId, (tally = emptyTally()));
      applyDelta(tally, t);
    }
    own = sums;
  }
  const policy = resolvePolicy(initiative.rollupPolicy);
  // A skeleton kept for as-of trees is folded in its order (the same figures; live trees,
  // folded once and kept, keep the general fold and its order of figures).
  const rollup = kept
    ? foldOrdered(foldInputsOf({ nodes: order, tallies: own }), policy)
    : foldTree(foldInputsOf({ nodes, tallies: own }), policy);
  return { initiative, policy, nodes, roots, tallies: own, rollup };
}

const NO_ITEMS: Readonly<Tally> = emptyTally();

/** The tree's nodes as the pure fold takes them: own tally, and a manual percent where set. */
export function foldInputsOf(tree: {
  readonly nodes: ReadonlyMap<number, TreeNode> | readonly TreeNode[];
  readonly tallies: ReadonlyMap<number, Readonly<Tally>>;
}) {
  const out = [];
  for (const n of tree.nodes.values()) out.push(foldInput(n, tree.tallies));
  return out;
}

function foldInput(n: TreeNode, tallies: ReadonlyMap<number, Readonly<Tally>>) {
  return {
    id: n.id,
    parentId: n.parentId,
    tally: tallies.get(n.id) ?? NO_ITEMS,
    manual:
      n.manualPercentBp === null
        ? null
        : { weightCenti: n.weightCenti, percentBp: n.manualPercentBp },
  };
}
