import { creditOfTally, manualFigure, type ManualWork } from './credit.js';
import type { RollupPolicy } from './rollup-policy.js';
import { addTally, emptyTally, tallyItems, type Tally } from './tally.js';

/** One workstream as the fold sees it: its place in the tree and its own items' tally. */
export interface RollupNode<Id> {
  readonly id: Id;
  readonly parentId: Id | null;
  readonly tally: Readonly<Tally>;
  readonly manual: ManualWork | null;
}

/** A node's figure over its whole subtree; credit and counted in micro-items (see units.ts). */
export interface Figure {
  readonly tally: Tally;
  manualNodes: number;
  manualCredit: number;
  manualCounted: number;
  credit: number;
  counted: number;
  total: number;
}

export interface Rollup<Id> {
  readonly figures: ReadonlyMap<Id, Figure>;
  /** The whole tree (every top-level node), as the initiative's figure. */
  readonly root: Figure;
}

function emptyFigure(): Figure {
  return {
    tally: emptyTally(),
    manualNodes: 0,
    manualCredit: 0,
    manualCounted: 0,
    credit: 0,
    counted: 0,
    total: 0,
  };
}

function finish(figure: Figure, policy: RollupPolicy): void {
  const { credit, counted } = creditOfTally(figure.tally, policy);
  figure.credit = credit + figure.manualCredit;
  figure.counted = counted + figure.manualCounted;
  figure.total = tallyItems(figure.tally);
}

function addFigure(into: Figure, from: Figure): void {
  addTally(into.tally, from.tally);
  into.manualNodes += from.manualNodes;
  into.manualCredit += from.manualCredit;
  into.manualCounted += from.manualCounted;
}

/** A node's figure before its children are added in: its own items, or its manual percent. */
function ownFigure<Id>(node: RollupNode<Id>): Figure {
  const figure = emptyFigure();
  addTally(figure.tally, node.tally);
  if (node.manual) {
    figure.manualNodes = 1;
    const manual = manualFigure(node.manual);
    figure.manualCredit = manual.credit;
    figure.manualCounted = manual.counted;
  }
  return figure;
}

/**
 * Each node's children in input order, the top nodes under null. A node whose parent is not
 * among `nodes` (an orphan of a removed parent) is left out, with its subtree.
 */
export function childrenByParent<Id, N extends { readonly id: Id; readonly parentId: Id | null }>(
  nodes: readonly N[],
): Map<Id | null, N[]> {
  const ids = new Set(nodes.map((n) => n.id));
  const children = new Map<Id | null, N[]>();
  for (const node of nodes) {
    const parent = node.parentId !== null && ids.has(node.parentId) ? node.parentId : null;
    if (node.parentId !== null && parent === null) continue;
    const list = children.get(parent);
    if (list) list.push(node);
    else children.set(parent, [node]);
  }
  return children;
}

/**
 * Folds per-workstream tallies up the tree: each node's figure is the sum over its subtree.
 * Linear in the number of nodes; nodes whose parent is absent (deleted subtrees) are left out.
 */
export function foldTree<Id>(nodes: readonly RollupNode<Id>[], policy: RollupPolicy): Rollup<Id> {
  const children = childrenByParent(nodes);

  const figures = new Map<Id, Figure>();
  const root = emptyFigure();
  // Iterative post-order so a deep tree cannot overflow the stack.
  const stack: { node: RollupNode<Id>; expanded: boolean }[] = (children.get(null) ?? [])
    .map((node) => ({ node, expanded: false }))
    .reverse();
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (!top.expanded) {
      top.expanded = true;
      for (const child of [...(children.get(top.node.id) ?? [])].reverse()) {
        if (!figures.has(child.id)) stack.push({ node: child, expanded: false });
      }
      continue;
    }
    stack.pop();
    const { node } = top;
    const figure = ownFigure(node);
    for (const child of children.get(node.id) ?? []) addFigure(figure, figures.get(child.id)!);
    finish(figure, policy);
    figures.set(node.id, figure);
  }
  for (const top of children.get(null) ?? []) addFigure(root, figures.get(top.id)!);
  finish(root, policy);
  return { figures, root };
}

/** What `refoldPaths` needs of a tree already folded: each node's input, children and depth. */
export interface FoldedShape<Id> {
  input(id: Id): RollupNode<Id>;
  children(id: Id): readonly Id[];
  depth(id: Id): number;
  /** The top-level nodes, whose figures add up to the root's. */
  readonly tops: readonly Id[];
}

/**
 * `foldTree`'s result after the own tallies of `touched` nodes changed and nothing else did:
 * only they and their ancestors are folded again, each from its own figure and its children's
 * (sums of whole numbers, so the same figures as a whole fold), deepest first; every other
 * figure is shared with `before`, and the map keeps its order.
 */
export function refoldPaths<Id>(
  before: Rollup<Id>,
  touched: Iterable<Id>,
  shape: FoldedShape<Id>,
  policy: RollupPolicy,
): Rollup<Id> {
  const dirty = new Set<Id>();
  for (const id of touched) {
    for (let cur: Id | null = id; cur !== null && !dirty.has(cur);) {
      if (!before.figures.has(cur)) break;
      dirty.add(cur);
      cur = shape.input(cur).parentId;
    }
  }
  if (dirty.size === 0) return before;
  const figures = new Map(before.figures);
  const order = [...dirty].sort((a, b) => shape.depth(b) - shape.depth(a));
  for (const id of order) {
    const figure = ownFigure(shape.input(id));
    for (const child of shape.children(id)) addFigure(figure, figures.get(child)!);
    finish(figure, policy);
    figures.set(id, figure);
  }
  const root = emptyFigure();
  for (const top of shape.tops) addFigure(root, figures.get(top)!);
  finish(root, policy);
  return { figures, root };
}

/**
 * `foldTree` for nodes listed parents first with every parent among them (a tree's nodes in
 * pre-order, as a kept skeleton lists them): the same figures, without working out the tree's
 * shape again. Each node's figure is complete once every node after it has been added in, so one
 * pass from the end adds each into its parent. Sums of whole numbers: the order of the additions
 * changes nothing.
 */
export function foldOrdered<Id>(
  nodes: readonly RollupNode<Id>[],
  policy: RollupPolicy,
): Rollup<Id> {
  const figures = new Map<Id, Figure>();
  const own: Figure[] = [];
  for (const node of nodes) {
    if (node.parentId !== null && !figures.has(node.parentId))
      throw new Error(`foldOrdered: node ${String(node.id)} is listed before its parent`);
    const figure = ownFigure(node);
    figures.set(node.id, figure);
    own.push(figure);
  }
  const root = emptyFigure();
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i]!;
    const figure = own[i]!;
    finish(figure, policy);
    addFigure(node.parentId === null ? root : figures.get(node.parentId)!, figure);
  }
  finish(root, policy);
  return { figures, root };
}

/**
 * The whole tree's figure alone, without a figure per node: what `foldTree` gives as `root`
 * when every node given hangs from a top-level node (none orphaned). A series of the
 * initiative's figure folds this at each of its points.
 */
export function foldRoot<Id>(nodes: readonly RollupNode<Id>[], policy: RollupPolicy): Figure {
  const root = emptyFigure();
  for (const node of nodes) {
    addTally(root.tally, node.tally);
    if (node.manual) {
      const manual = manualFigure(node.manual);
      root.manualNodes += 1;
      root.manualCredit += manual.credit;
      root.manualCounted += manual.counted;
    }
  }
  finish(root, policy);
  return root;
}
