import { DomainError, notFound } from '../domain/errors.js';
import { governingStages, type Stage } from '../domain/stages.js';
import type { Em } from '../db/em.js';
import type { InitiativeRecord, WorkstreamRecord } from '../db/records.js';
import { findInitiativesByIds } from '../db/queries/initiative.queries.js';
import { findWorkstream, findWorkstreamsByIds } from '../db/queries/workstream.queries.js';
import { findWorkflows, type WorkflowRow } from '../db/queries/report-model.queries.js';
import type { InitiativeTree } from './load-initiative-tree.js';
import type { WriteScope } from './write-scope.js';

/** An initiative the caller may change, or NOT_FOUND on `field`. */
export async function initiativeInScope(
  em: Em,
  id: number,
  inScope: WriteScope,
  field: readonly string[] = ['initiativeId'],
): Promise<InitiativeRecord> {
  const [initiative] = await findInitiativesByIds(em, [id]);
  if (!initiative || !inScope(initiative.id)) throw notFound('项目', field);
  return initiative;
}

/** A live workstream of that initiative, or NOT_FOUND on `field` (another initiative's too). */
export async function workstreamOfInitiative(
  em: Em,
  initiativeId: number,
  id: number,
  field: readonly string[],
): Promise<WorkstreamRecord> {
  const ws = await findWorkstream(em, id);
  if (!ws || ws.initiativeId !== initiativeId)
    throw new DomainError('NOT_FOUND', `工作流不存在或不属于该项目：${id}`, field);
  return ws;
}

/**
 * The workflow that governs a workstream's items: its own, else its nearest ancestor's, else
 * the initiative's; null when none is defined.
 */
export async function workflowFor(em: Em, ws: WorkstreamRecord): Promise<Stage[] | null> {
  return workflowAmong(ws, await findWorkflows(em, [ws.initiativeId]));
}

/** The same rule over workflow rows already read (of the workstream's initiative). */
export function workflowAmong(
  ws: WorkstreamRecord,
  workflows: readonly WorkflowRow[],
): Stage[] | null {
  const ancestry = ws.path.split('/').filter(Boolean).map(Number).reverse();
  return governingStages(ancestry, workflows);
}

/** A workstream and its ancestors in a tree, nearest first; none for null (the initiative). */
function* ancestryIn(tree: InitiativeTree, wsId: number | null): Generator<number> {
  for (let at = wsId; at !== null; at = tree.nodes.get(at)?.parentId ?? null) yield at;
}

/**
 * The same rule over a tree already read: the workflow governing `wsId`'s items, or the
 * initiative's own for null. `workflows` may hold other initiatives' rows; only the tree's count.
 */
export function workflowOf(
  tree: InitiativeTree,
  wsId: number | null,
  workflows: readonly WorkflowRow[],
): Stage[] | null {
  const own = workflows.filter((w) => w.initiativeId === tree.initiative.id);
  return governingStages(ancestryIn(tree, wsId), own);
}

/** The workstreams (live) with these ids, for subtree checks. */
export { findWorkstreamsByIds };
