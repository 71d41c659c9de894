import { FieldResolver, Ctx, Resolver, type ClassType } from 'type-graphql';
import type { Touched } from '../../services/write-pipeline/write-context.js';
import type { Context } from '../context.type.js';
import { NodeInterface } from '../types/node.interface.js';
import { InitiativeType } from '../types/initiative.type.js';
import {
  DeletePayload,
  InitiativePayload,
  ItemPayload,
  ItemsPayload,
  WorkstreamPayload,
} from '../types/payloads.type.js';
import { HealthPayload } from '../types/health-payload.type.js';
import { ReportModelPayload } from '../types/report-model.type.js';
import { WorkstreamType } from '../types/workstream.type.js';

/** What this request's writes touched (write-context.ts notes it after each commit). */
const touchedIn = new WeakMap<object, Touched[]>();

export function noteTouched(ctx: Context, touched: Touched): void {
  const list = touchedIn.get(ctx);
  if (list) list.push(touched);
  else touchedIn.set(ctx, [touched]);
}

/**
 * Every node whose figure this request's writes may have moved, read after the writes: the
 * workstreams they touched, their ancestors, and the initiatives. A client that selects
 * `affectedNodes { id progress { id percent … } }` updates its normalized cache (every ancestor
 * included) without refetching the tree.
 */
async function affectedNodes(ctx: Context): Promise<NodeInterface[]> {
  const touched = touchedIn.get(ctx) ?? [];
  const initiatives = [...new Set(touched.flatMap((t) => [...t.initiativeIds]))].sort(
    (a, b) => a - b,
  );
  const workstreams = new Set(touched.flatMap((t) => [...t.workstreamIds]));
  const whole = new Set(touched.flatMap((t) => [...t.wholeTrees]));
  const out: NodeInterface[] = [];
  for (const id of initiatives) {
    const tree = await ctx.loaders.tree.load(id);
    if (!tree) continue;
    out.push(new InitiativeType(tree.initiative));
    // A policy change re-figures every node, a move or new labels change what others show; a
    // deleted subtree's parent is no longer known here.
    const starts = whole.has(id) ? tree.nodes.keys() : workstreams;
    const seen = new Set<number>();
    for (const start of starts) {
      for (let node = tree.nodes.get(start); node && !seen.has(node.id);) {
        seen.add(node.id);
        out.push(WorkstreamType.of(node, tree));
        node = node.parentId === null ? undefined : tree.nodes.get(node.parentId);
      }
    }
  }
  return out;
}

const DESCRIPTION =
  'The initiative and every workstream whose figure this request’s writes may have moved (ancestors included), as they stand after the writes.';

/** The `affectedNodes` field on one payload type: every write payload gets the same one. */
function affectedNodesOn(payload: ClassType) {
  @Resolver(() => payload)
  class AffectedNodes {
    @FieldResolver(() => [NodeInterface], { description: DESCRIPTION })
    affectedNodes(@Ctx() ctx: Context): Promise<NodeInterface[]> {
      return affectedNodes(ctx);
    }
  }
  return AffectedNodes;
}

/**
 * Every payload of a write that can move a figure, or what a node shows (a hand-set health:
 * the node is listed, so a client selects its `health` there and its cache follows).
 */
export const AFFECTED_NODES_RESOLVERS = [
  ItemPayload,
  ItemsPayload,
  WorkstreamPayload,
  DeletePayload,
  InitiativePayload,
  ReportModelPayload,
  HealthPayload,
].map(affectedNodesOn);
