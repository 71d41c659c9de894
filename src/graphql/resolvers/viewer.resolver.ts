import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { canWrite } from '../../domain/access.js';
import { findInitiativeByKey, findInitiativesByIds } from '../../db/queries/initiative.queries.js';
import type { Context } from '../context.type.js';
import { ViewerType } from '../types/viewer.type.js';

@Resolver(() => ViewerType)
export class ViewerResolver {
  @Query(() => ViewerType, {
    description:
      'Who this request is: the token’s name, role and scope (an invalid token never gets here: 401).',
  })
  async viewer(@Ctx() ctx: Context): Promise<ViewerType> {
    const p = ctx.principal;
    const scoped =
      p.kind === 'token' && p.initiativeId !== null
        ? (await findInitiativesByIds(ctx.em, [p.initiativeId]))[0]
        : undefined;
    return new ViewerType(p, scoped?.key ?? null);
  }

  @FieldResolver(() => Boolean, {
    description:
      'Whether this caller may change the initiative’s workstreams and items (an editor or admin for it); false for one it cannot read or that does not exist.',
  })
  async canEdit(
    @Root() viewer: ViewerType,
    @Arg('initiativeKey', () => String) initiativeKey: string,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    const initiative = await findInitiativeByKey(ctx.em, initiativeKey);
    return initiative !== null && canWrite(viewer.principal, initiative.id);
  }
}
