import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { canRead } from '../../domain/access.js';
import type { Context } from '../context.type.js';
import { fromGlobalId } from '../../domain/global-id.js';
import { initiativeViewAt } from '../initiatives-at.js';
import { NodeInterface } from '../types/node.interface.js';
import { assertNever } from '../../domain/item-status.js';
import { itemView, workstreamView } from './views.js';
import { AS_OF, itemViewAt, KNOWN_AT, readTimeOf, workstreamViewAt } from '../read-time.js';

@Resolver()
export class NodeResolver {
  @Query(() => NodeInterface, {
    nullable: true,
    description: 'Any object by its global id; null when unknown.',
  })
  async node(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: Context,
    @Arg('asOf', () => Date, { nullable: true, description: AS_OF }) asOf: Date | null,
    @Arg('knownAt', () => Date, { nullable: true, description: KNOWN_AT }) knownAt: Date | null,
  ): Promise<NodeInterface | null> {
    const parsed = fromGlobalId(id);
    if (!parsed) return null;
    const time = readTimeOf(asOf, knownAt);
    switch (parsed.type) {
      case 'Initiative': {
        const record = await ctx.loaders.initiative.load(parsed.id);
        return record && canRead(ctx.principal, record.id)
          ? initiativeViewAt(ctx, record, time)
          : null;
      }
      case 'Workstream':
        return time ? workstreamViewAt(ctx, parsed.id, time) : workstreamView(ctx, parsed.id);
      case 'Item':
        return time ? itemViewAt(ctx, parsed.id, time) : itemView(ctx, parsed.id);
      default:
        return assertNever(parsed.type);
    }
  }
}
