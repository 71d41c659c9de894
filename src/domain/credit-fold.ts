import type { RollupPolicy } from './rollup-policy.js';
import { creditOfTally, manualFigure } from './credit.js';
import { childrenByParent, type RollupNode } from './rollup.js';
import type { Tally } from './tally.js';

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
