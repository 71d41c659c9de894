import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { canRead } from '../../domain/access.js';
import type { Context } from '../context.type.js';
import { fromGlobalId } from '../global-id.js';
import { InitiativeType } from '../types/initiative.type.js';
import { NodeInterface } from '../types/node.interface.js';
import { assertNever } from '../../domain/item-status.js';
import { itemView, workstreamView } from './views.js';

@Resolver()
export class NodeResolver {
  @Query(() => NodeInterface, {
    nullable: true,
    description: 'Any object by its global id; null when unknown.',
  })
  async node(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<NodeInterface | null> {
    const parsed = fromGlobalId(id);
    if (!parsed) return null;
    switch (parsed.type) {
      case 'Initiative': {
        const record = await ctx.loaders.initiative.load(parsed.id);
        return record && canRead(ctx.principal, record.id) ? new InitiativeType(record) : null;
      }
      case 'Workstream':
        return workstreamView(ctx, parsed.id);
      case 'Item':
        return itemView(ctx, parsed.id);
      default:
        return assertNever(parsed.type);
    }
  }
}
