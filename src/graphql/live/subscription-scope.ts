import { GraphQLError } from 'graphql';
import { canRead, type Principal } from '../../domain/access.js';
import { INITIATIVE_NODE } from '../../domain/live-events.js';
import type { Em } from '../../db/em.js';
import { findInitiativeByKey } from '../../db/queries/initiative.queries.js';
import { findWorkstreamsByIds } from '../../db/queries/workstream.queries.js';
import { fromGlobalId } from '../../domain/global-id.js';
import type { LiveSource } from './live-stream.js';

/** A subscription's context (graphql-ws builds one per subscription; see server/subscriptions.ts). */
export interface SubscriptionContext {
  readonly principal: Principal;
  readonly em: Em;
  readonly live: LiveSource;
  /** Called when the subscription ends, for the per-connection and per-token counts. */
  readonly onEnd: () => void;
}

const MAX_NODE_IDS = 100;

export function badInput(message: string, argument: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', argument } });
}

/** The initiative by key, as a reader in scope sees it (others look not-found). */
export async function initiativeFor(ctx: SubscriptionContext, key: string): Promise<number> {
  const record = await findInitiativeByKey(ctx.em, key);
  if (!record || !canRead(ctx.principal, record.id))
    throw new GraphQLError(`项目不存在：${key}`, { extensions: { code: 'NOT_FOUND' } });
  return record.id;
}

/**
 * Node filter: Workstream or Initiative global ids → node ids (the initiative is node 0). Every
 * id must be a node of this initiative (live now): another initiative's workstream was taken
 * and its subscription never fired.
 */
export async function nodeFilter(
  ctx: SubscriptionContext,
  ids: readonly string[] | null | undefined,
  initiativeId: number,
) {
  if (ids === null || ids === undefined) return null;
  if (ids.length > MAX_NODE_IDS) throw badInput(`nodeIds 最多 ${MAX_NODE_IDS} 个`, 'nodeIds');
  const nodes = ids.map((id) => {
    const parsed = fromGlobalId(id);
    if (parsed?.type === 'Workstream') return parsed.id;
    if (parsed?.type === 'Initiative' && parsed.id === initiativeId) return INITIATIVE_NODE;
    throw badInput(`无效的节点 ID：${id}`, 'nodeIds');
  });
  const workstreams = nodes.filter((n) => n !== INITIATIVE_NODE);
  if (workstreams.length > 0) {
    const own = new Set(
      (await findWorkstreamsByIds(ctx.em, workstreams))
        .filter((w) => w.initiativeId === initiativeId)
        .map((w) => w.id),
    );
    const stranger = ids.find((_, i) => nodes[i] !== INITIATIVE_NODE && !own.has(nodes[i]!));
    if (stranger !== undefined) throw badInput(`不是该项目的节点：${stranger}`, 'nodeIds');
  }
  return new Set(nodes);
}
