import {
  Arg,
  Ctx,
  Field,
  FieldResolver,
  ID,
  InputType,
  Mutation,
  Resolver,
  Root,
} from 'type-graphql';
import { DomainError } from '../../domain/errors.js';
import type { HealthStatus } from '../../domain/health.js';
import { healthReason } from '../../domain/health-words.js';
import type { Locale } from '../../domain/item-status.js';
import { LocaleEnum } from '../enums.js';
import { setHealth, type SetHealthProps } from '../../services/set-health.js';
import { runWrite } from '../../services/write-pipeline/run-write.js';
import { writeScope } from '../access.js';
import type { Context } from '../context.type.js';
import { withUserErrors } from '../errors.js';
import { fromGlobalId } from '../../domain/global-id.js';
import { treeOf } from '../read-time.js';
import { healthFor } from '../health-view.js';
import { timeCache } from '../time-views.js';
import { HealthStatusEnum, HealthType } from '../types/time.type.js';
import { HealthPayload } from '../types/health-payload.type.js';
import { writeContextOf } from '../write-context.js';

@InputType('SetHealthInput')
export class SetHealthInput {
  @Field(() => ID, { description: 'An Initiative or a Workstream.' })
  id!: string;

  @Field(() => HealthStatusEnum, { description: 'ON_TRACK, AT_RISK or OFF_TRACK.' })
  status!: HealthStatus;

  @Field(() => String, { description: 'Why (required; logged with the actor).' })
  reason!: string;
}

@InputType('ClearHealthInput')
export class ClearHealthInput {
  @Field(() => ID, { description: 'An Initiative or a Workstream.' })
  id!: string;
}

function targetOf(id: string): Pick<SetHealthProps, 'initiativeId' | 'workstreamId'> {
  const parsed = fromGlobalId(id);
  if (parsed?.type === 'Initiative') return { initiativeId: parsed.id, workstreamId: null };
  if (parsed?.type === 'Workstream') return { initiativeId: null, workstreamId: parsed.id };
  throw new DomainError('NOT_FOUND', `无效或未知的 ID：${String(id).slice(0, 64)}`, ['id']);
}

async function write(
  ctx: Context,
  id: string,
  status: HealthStatus | null,
  reason: string | null,
): Promise<HealthPayload> {
  const scope = writeScope(ctx);
  const { value, userErrors } = await withUserErrors(async () => {
    const target = targetOf(id);
    const { initiativeId } = await runWrite(writeContextOf(ctx, scope), setHealth, {
      ...target,
      status,
      reason,
    });
    timeCache(ctx).health.delete(initiativeId); // read the override just written
    const initiative = await ctx.loaders.initiative.load(initiativeId);
    const tree = await treeOf(ctx, initiative!, null);
    const node =
      target.workstreamId === null ? null : (tree.nodes.get(target.workstreamId) ?? null);
    return healthFor(ctx, { initiative: initiative!, tree, node, time: null });
  });
  return { health: value, userErrors };
}

@Resolver()
export class HealthResolver {
  @Mutation(() => HealthPayload, {
    description:
      'Sets a node’s health by hand, with a reason (logged with the actor); it holds until clearHealth.',
  })
  setHealth(
    @Arg('input', () => SetHealthInput) input: SetHealthInput,
    @Ctx() ctx: Context,
  ): Promise<HealthPayload> {
    return write(ctx, input.id, input.status, input.reason);
  }

  @Mutation(() => HealthPayload, {
    description: 'Clears a hand-set health: the computed one shows again.',
  })
  clearHealth(
    @Arg('input', () => ClearHealthInput) input: ClearHealthInput,
    @Ctx() ctx: Context,
  ): Promise<HealthPayload> {
    return write(ctx, input.id, null, null);
  }
}

/** A health's reason in the locale asked: the same facts, the report's words. */
@Resolver(() => HealthType)
export class HealthReasonResolver {
  @FieldResolver(() => String, {
    description: 'Why, in the locale asked (a hand-set reason is the person’s own words).',
  })
  reason(
    @Root() health: HealthType,
    @Arg('locale', () => LocaleEnum, { defaultValue: 'zh-CN' }) locale: Locale,
  ): string {
    return healthReason(health.why, locale);
  }
}
