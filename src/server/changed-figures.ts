import type { InitiativeTree, TreeNode } from '../services/load-initiative-tree.js';
import type { Figure } from '../domain/rollup.js';

/**
 * Which figures moved between two trees of one initiative, and nothing else: the test a kept
 * answer passes before only its progress values are written again (answer-patch.ts).
 */

function sameRow(a: TreeNode, b: TreeNode): boolean {
  for (const key of Object.keys(a) as (keyof TreeNode)[]) {
    if (key === 'children') continue;
    const x = a[key];
    const y = b[key];
    if (x === y) continue;
    if (x instanceof Date && y instanceof Date && x.getTime() === y.getTime()) continue;
    return false;
  }
  return Object.keys(a).length === Object.keys(b).length;
}

function sameFigure(a: Figure, b: Figure): boolean {
  if (
    a.credit !== b.credit ||
    a.counted !== b.counted ||
    a.total !== b.total ||
    a.manualNodes !== b.manualNodes ||
    a.manualCredit !== b.manualCredit ||
    a.manualCounted !== b.manualCounted
  )
    return false;
  for (const status of Object.keys(a.tally) as (keyof Figure['tally'])[]) {
    const x = a.tally[status];
    const y = b.tally[status];
    if (x.items !== y.items || x.weight !== y.weight || x.percentWeight !== y.percentWeight)
      return false;
  }
  return true;
}

/**
 * The nodes whose figures differ between two trees of one initiative, or null when anything
 * else differs (the record, a row, the set of nodes).
 */
export function changedFigures(before: InitiativeTree, after: InitiativeTree): number[] | null {
  if (before === after) return [];
  if (before.time || after.time) return null;
  if (JSON.stringify(before.initiative) !== JSON.stringify(after.initiative)) return null;
  if (before.nodes.size !== after.nodes.size) return null;
  // A tree brought forward by counter deltas shares its nodes with the one before (tree-cache.ts).
  const sameNodes = before.nodes === after.nodes;
  const changed: number[] = [];
  for (const [id, node] of before.nodes) {
    const now = after.nodes.get(id);
    if (!now || (!sameNodes && !sameRow(node, now))) return null;
    const a = before.rollup.figures.get(id);
    const b = after.rollup.figures.get(id);
    if (!a || !b) return null;
    if (!sameFigure(a, b)) changed.push(id);
  }
  return changed;
}
