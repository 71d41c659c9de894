/**
 * A kept dashboard answer brought up to date by re-rendering only the figures that moved, for
 * answers that went stale because items changed (the usual write: one status, which moves the
 * figures from its workstream up to the top and nothing else). The answer is the same text a
 * fresh execution would make, by construction:
 * - the query's answer depends only on the initiative's tree (every Workstream field is a
 *   node's row or its figure: PURE_FIELDS in answer-shape.ts) and the initiative selects
 *   nothing but `workstreams`;
 * - the tree the answer was made from and the tree now have the same initiative record and the
 *   same node rows, compared field by field (so the same nodes, order and names), so only
 *   progress values can differ, and only those of nodes whose figures differ;
 * - each of those is rendered again by GraphQL over the same selection, and written over that
 *   node's progress value in the text, found by a scan that knows the JSON's structure.
 * Anything else (another shape of query, a changed row, a node found twice) is made afresh.
 */

import { execute } from 'graphql';
import type { InitiativeTree } from '../services/load-initiative-tree.js';
import { WorkstreamType } from '../graphql/types/workstream.type.js';
import { changedFigures } from './changed-figures.js';
import type { PatchPlan } from './patch-plan.js';
import type { ProgressIndex } from './progress-index.js';

/**
 * Whether `edits` of an answer's `slots` progress values are patched: each is rendered by
 * graphql-js alone, so past a quarter of the answer (a bulk update across the tree) making the
 * whole answer with the compiled query costs less; up to 64 values always are.
 */
export function worthPatching(edits: number, slots: number): boolean {
  return edits <= Math.max(64, slots / 4);
}

/** One node's progress value as the executor writes it (JSON of the same selection). */
async function renderProgress(plan: PatchPlan, tree: InitiativeTree, id: number) {
  const node = tree.nodes.get(id)!;
  const result = await execute({
    schema: plan.schema,
    document: plan.document,
    rootValue: WorkstreamType.of(node, tree).progress,
  });
  return result.errors || !result.data ? null : JSON.stringify(result.data);
}

/**
 * `text` (made from `before`, indexed by `index`) as it would be made from `after`, with its
 * index; null when it cannot be patched.
 */
export async function patchAnswer(
  plan: PatchPlan,
  text: string,
  index: ProgressIndex,
  before: InitiativeTree,
  after: InitiativeTree,
): Promise<{ text: string; index: ProgressIndex } | null> {
  const changed = changedFigures(before, after);
  if (changed === null) return null;
  const slots = changed.flatMap((id) => {
    const slot = index.slots.get(id);
    return slot === undefined ? [] : [{ id, slot }]; // not in this answer: deeper than it goes
  });
  if (!worthPatching(slots.length, index.slots.size)) return null;
  const edits: { slot: number; value: string }[] = [];
  for (const { id, slot } of slots) {
    const value = await renderProgress(plan, after, id);
    if (value === null) return null;
    edits.push({ slot, value });
  }
  if (edits.length === 0) return { text, index };
  edits.sort((a, b) => a.slot - b.slot);
  const bounds = new Int32Array(index.bounds);
  const parts: string[] = [];
  let from = 0;
  let shift = 0;
  let slot = 0;
  for (const edit of edits) {
    for (; slot < edit.slot; slot++) {
      bounds[2 * slot] += shift;
      bounds[2 * slot + 1] += shift;
    }
    const start = index.bounds[2 * edit.slot]!;
    const end = index.bounds[2 * edit.slot + 1]!;
    parts.push(text.slice(from, start), edit.value);
    from = end;
    bounds[2 * slot] = start + shift;
    shift += edit.value.length - (end - start);
    bounds[2 * slot + 1] = end + shift;
    slot++;
  }
  for (; slot < bounds.length / 2; slot++) {
    bounds[2 * slot] += shift;
    bounds[2 * slot + 1] += shift;
  }
  parts.push(text.slice(from));
  return { text: parts.join(''), index: { slots: index.slots, bounds } };
}
