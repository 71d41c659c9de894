import { DomainError } from '../domain/errors.js';
import { resolveStages, type Stage } from '../domain/stages.js';
import type { Em } from '../db/orm.js';
import type { InitiativeRecord, WorkstreamRecord } from '../db/records.js';
import { findInitiativesByIds } from '../db/queries/initiative.queries.js';
import { findWorkstream, findWorkstreamsByIds } from '../db/queries/workstream.queries.js';
import { findWorkflows } from '../db/queries/report-model.queries.js';
import type { WriteScope } from './write-scope.js';

/** An initiative the caller may change, or NOT_FOUND on `field`. */
export async function initiativeInScope(
  em: Em,
  id: number,
  inScope: WriteScope,
  field: readonly string[] = ['initiativeId'],
): Promise<InitiativeRecord> {
  const [initiative] = await findInitiativesByIds(em, [id]);
  if (!initiative || !inScope(initiative.id))
    throw new DomainError('NOT_FOUND', `项目不存在：${id}`, field);
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
  const workflows = await findWorkflows(em, [ws.initiativeId]);
  const ancestors = ws.path.split('/').filter(Boolean).map(Number).reverse();
  for (const id of ancestors) {
    const own = workflows.find((w) => w.workstreamId === id);
    if (own) return resolveStages(JSON.parse(own.stages));
  }
  const top = workflows.find((w) => w.workstreamId === null);
  return top ? resolveStages(JSON.parse(top.stages)) : null;
}

/** The workstreams (live) with these ids, for subtree checks. */
export { findWorkstreamsByIds };
