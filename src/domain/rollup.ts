import { ITEM_STATUSES, assertNever } from './item-status.js';
import type { CreditRule, RollupPolicy } from './rollup-policy.js';
import { addTally, emptyTally, type Tally } from './tally.js';
import { UNITS_PER_ITEM, UNITS_PER_PERCENT_WEIGHT } from './units.js';

/** Work that is not itemized: a weight in hundredths and a percent in basis points. */
export interface ManualWork {
  readonly weightCenti: number;
  readonly percentBp: number;
}

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

/** Credit and counted of a tally under a policy, in micro-items. */
export function creditOfTally(
  tally: Readonly<Tally>,
  policy: RollupPolicy,
): { credit: number; counted: number } {
  const sum = { credit: 0, counted: 0 };
  for (const status of ITEM_STATUSES) addCreditOf(sum, policy[status], tally[status]);
  return sum;
}

/**
 * Adds what one status's sums (Σ weight, Σ weight × percent) give under its rule, in
 * micro-items: whole numbers, so sums of parts equal the part of sums whatever the order (the
 * live figures add a write's deltas this way: live-figures.ts).
 */
export function addCreditOf(
  into: { credit: number; counted: number },
  rule: CreditRule,
  sums: { readonly weight: number; readonly percentWeight: number },
): void {
  switch (rule) {
    case 'FULL':
      into.credit += sums.weight * UNITS_PER_ITEM;
      into.counted += sums.weight * UNITS_PER_ITEM;
      break;
    case 'PERCENT':
      into.credit += sums.percentWeight * UNITS_PER_PERCENT_WEIGHT;
      into.counted += sums.weight * UNITS_PER_ITEM;
      break;
    case 'ZERO':
      into.counted += sums.weight * UNITS_PER_ITEM;
      break;
    case 'EXCLUDED':
      break;
    default:
      assertNever(rule);
  }
}

function finish(figure: Figure, policy: RollupPolicy): void {
  const { credit, counted } = creditOfTally(figure.tally, policy);
  figure.credit = credit + figure.manualCredit;
  figure.counted = counted + figure.manualCounted;
  let total = 0;
  for (const status of ITEM_STATUSES) total += figure.tally[status].items;
  figure.total = total;
}

function addFigure(into: Figure, from: Figure): void {
  addTally(into.tally, from.tally);
  into.manualNodes += from.manualNodes;
  into.manualCredit += from.manualCredit;
  into.manualCounted += from.manualCounted;
}

/** What a manual workstream adds to its own figure and every ancestor's, in micro-items. */
export function manualFigure(manual: ManualWork | null): { credit: number; counted: number } {
  if (!manual) return { credit: 0, counted: 0 };
  return {
    credit: manual.weightCenti * manual.percentBp,
    counted: manual.weightCenti * UNITS_PER_PERCENT_WEIGHT,
  };
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
function childrenByParent<Id, N extends { readonly id: Id; readonly parentId: Id | null }>(
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

/**
 * Credit and counted alone, for every node of one tree shape folded again and again (a
 * forecast's weekly figures fold the same tree at each week): the sums `foldTree` gives as
 * `credit` and `counted`, without tallies or figure objects. Credit is linear in the tally and
 * every term an integer, so summing each node's own credit up the tree equals the credit of the
 * summed tally, exactly. Nodes whose parent is absent are left out, with their subtrees, as
 * `foldTree` leaves them out.
 */
export class CreditFold<Id> {
  /** The nodes folded, every parent before its children. */
  readonly ids: readonly Id[];
  private readonly parent: Int32Array;
  private readonly manualCredit: Float64Array;
  private readonly manualCounted: Float64Array;
  readonly credit: Float64Array;
  readonly counted: Float64Array;

  constructor(nodes: readonly Omit<RollupNode<Id>, 'tally'>[]) {
    const children = childrenByParent(nodes);
    const order: Omit<RollupNode<Id>, 'tally'>[] = [];
    const index = new Map<Id, number>();
    const stack = [...(children.get(null) ?? [])].reverse();
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (index.has(node.id)) continue;
      index.set(node.id, order.length);
      order.push(node);
      for (const child of [...(children.get(node.id) ?? [])].reverse()) stack.push(child);
    }
    const n = order.length;
    this.ids = order.map((node) => node.id);
    this.parent = Int32Array.from(order, (node) =>
      node.parentId === null ? -1 : index.get(node.parentId)!,
    );
    this.manualCredit = new Float64Array(n);
    this.manualCounted = new Float64Array(n);
    for (const [i, node] of order.entries()) {
      const manual = manualFigure(node.manual);
      this.manualCredit[i] = manual.credit;
      this.manualCounted[i] = manual.counted;
    }
    this.credit = new Float64Array(n);
    this.counted = new Float64Array(n);
  }

  /**
   * Folds the own tallies given in `ids` order (undefined: none) into `credit` and `counted` (in
   * `ids` order, overwritten by the next fold); returns the whole tree's.
   */
  fold(
    tallies: readonly (Readonly<Tally> | undefined)[],
    policy: RollupPolicy,
  ): { credit: number; counted: number } {
    const { parent, credit, counted } = this;
    const n = parent.length;
    for (let i = 0; i < n; i++) {
      const tally = tallies[i];
      const own = tally ? creditOfTally(tally, policy) : { credit: 0, counted: 0 };
      credit[i] = own.credit + this.manualCredit[i]!;
      counted[i] = own.counted + this.manualCounted[i]!;
    }
    const root = { credit: 0, counted: 0 };
    for (let i = n - 1; i >= 0; i--) {
      const p = parent[i]!;
      if (p >= 0) {
        credit[p] += credit[i]!;
        counted[p] += counted[i]!;
      } else {
        root.credit += credit[i]!;
        root.counted += counted[i]!;
      }
    }
    return root;
  }
}
