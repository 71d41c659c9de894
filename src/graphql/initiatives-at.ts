import { canRead } from '../domain/access.js';
import type { ReadTime } from '../domain/replay-items.js';
import { findAllInitiatives, findListedInitiatives } from '../db/queries/initiative.queries.js';
import type { InitiativeRecord } from '../db/records.js';
import { initiativeAt } from '../services/as-of-tree.js';
import type { Context } from './context.type.js';
import { InitiativeType } from './types/initiative.type.js';

/**
 * An initiative read at `time`: its own fields (name, objective, phase, archived…) as they stood
 * then; today's before it existed (its tree is then empty) or without a time.
 */
export async function initiativeViewAt(
  ctx: Context,
  record: InitiativeRecord,
  time: ReadTime | null,
): Promise<InitiativeType> {
  const then = time ? await initiativeAt(ctx.em, record, time) : null;
  return new InitiativeType(then ?? record, time);
}

/**
 * The initiatives a list shows at `time` that the caller may read, as they stood then: those
 * that existed and were not archived then. Without a time: today's initiatives not archived.
 */
export async function listedInitiativesAt(
  ctx: Context,
  time: ReadTime | null,
): Promise<InitiativeRecord[]> {
  const find = time ? findAllInitiatives : findListedInitiatives;
  const all = (await find(ctx.em)).filter((i) => canRead(ctx.principal, i.id));
  for (const i of all) ctx.loaders.initiative.prime(i.id, i);
  if (!time) return all;
  const then = await Promise.all(all.map((i) => initiativeAt(ctx.em, i, time)));
  return then.filter((i): i is InitiativeRecord => i !== null && i.archivedAt === null);
}
