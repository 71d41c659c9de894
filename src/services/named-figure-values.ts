import { evaluateNamedFigures, type NamedFigures } from '../domain/named-figures.js';
import { resolvePolicy } from '../domain/rollup-policy.js';
import type { NamedFigureRow } from '../db/queries/report-records.queries.js';
import { foldInputsOf, type InitiativeTree } from './load-initiative-tree.js';

/**
 * An initiative's named figures on every node of its tree. Each figure's policy is the
 * initiative's with the figure's overrides on top.
 */
export function namedFiguresOf(
  tree: InitiativeTree,
  rows: readonly NamedFigureRow[],
): NamedFigures<number> {
  const nodes = foldInputsOf(tree);
  const defs = rows
    .filter((r) => r.initiativeId === tree.initiative.id)
    .map((r) => ({
      name: r.name,
      // A scope the tree does not hold (deleted, or not there yet as of a past time) covers
      // nothing: the figure counts 0, never the whole initiative instead.
      scopeId: r.scopeWorkstreamId,
      policy: resolvePolicy({
        ...(tree.initiative.rollupPolicy ?? {}),
        ...(r.policy ? JSON.parse(r.policy) : {}),
      }),
    }));
  return evaluateNamedFigures(
    nodes,
    defs,
    new Map([...tree.nodes.values()].map((n) => [n.id, n.name])),
  );
}
