/**
 * Shapes of synthetic initiatives: ten top-level groups whose subtrees reach depth 3, 4 or 5
 * (counting the group as level 1), the way real migrations nest 组 → 子组 → 类别 → 系统.
 * Pure and deterministic, so the same sizes always give the same tree.
 */
export interface ShapeNode {
  /** Index into the node list; parents always come before their children. */
  readonly index: number;
  readonly parentIndex: number | null;
  /** 0 for a top-level group (the server's depth numbering). */
  readonly depth: number;
  readonly position: number;
}

const GROUPS = 10;

/** Levels of group `g`'s subtree, group included: 3, 4, 5, 3, 4, 5, … */
export const levelsOfGroup = (g: number): number => 3 + (g % 3);

/** Smallest branching factor `b` with 1 + b + … + b^(levels-1) ≥ budget. */
function branching(budget: number, levels: number): number {
  for (let b = 1; ; b++) {
    let size = 0;
    for (let k = 0, p = 1; k < levels; k++, p *= b) size += p;
    if (size >= budget) return b;
  }
}

/** `total` workstreams in ten groups, each filled breadth-first to its depth. */
export function treeShape(total: number): ShapeNode[] {
  if (!Number.isInteger(total) || total < GROUPS)
    throw new Error(`need at least ${GROUPS} workstreams`);
  const nodes: ShapeNode[] = [];
  for (let g = 0; g < GROUPS; g++) {
    const budget = Math.floor(total / GROUPS) + (g < total % GROUPS ? 1 : 0);
    const levels = levelsOfGroup(g);
    const fanOut = branching(budget, levels);
    const group: ShapeNode = { index: nodes.length, parentIndex: null, depth: 0, position: g };
    nodes.push(group);
    let made = 1;
    for (let q = [group], head = 0; head < q.length && made < budget; head++) {
      const parent = q[head]!;
      if (parent.depth + 1 >= levels) continue;
      for (let c = 0; c < fanOut && made < budget; c++, made++) {
        const child: ShapeNode = {
          index: nodes.length,
          parentIndex: parent.index,
          depth: parent.depth + 1,
          position: c,
        };
        nodes.push(child);
        q.push(child);
      }
    }
  }
  return nodes;
}

/** Indexes of the nodes without children (the ones that carry items). */
export function leavesOf(nodes: readonly ShapeNode[]): number[] {
  const hasChild = new Uint8Array(nodes.length);
  for (const n of nodes) if (n.parentIndex !== null) hasChild[n.parentIndex] = 1;
  return nodes.filter((n) => hasChild[n.index] === 0).map((n) => n.index);
}
