import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { findAllInitiatives, findInitiativeByKey } from '../../db/queries/initiative.queries.js';
import { canRead } from '../../domain/access.js';
import type { Locale } from '../../domain/item-status.js';
import { requireGlobalAdmin, writeScope } from '../access.js';
import { runWrite } from '../../services/write-pipeline/run-write.js';
import { writeContextOf } from '../write-context.js';
import { reportLines } from '../../services/build-report.js';
import { createInitiative } from '../../services/create-initiative.js';
import { LocaleEnum } from '../enums.js';
import type { Context } from '../context.type.js';
import { withUserErrors } from '../errors.js';
import { CreateInitiativeInput } from '../inputs/initiative.input.js';
import { InitiativeType } from '../types/initiative.type.js';
import { InitiativePayload } from '../types/payloads.type.js';
import { ProgressType } from '../types/progress.type.js';
import { WorkstreamType } from '../types/workstream.type.js';
import { AS_OF, KNOWN_AT, readTimeOf, reportDetailsOf, treeOf } from '../read-time.js';

@Resolver(() => InitiativeType)
export class InitiativeResolver {
  @Query(() => [InitiativeType], { description: 'Every initiative, oldest first.' })
  async initiatives(
    @Ctx() ctx: Context,
    @Arg('asOf', () => Date, { nullable: true, description: AS_OF }) asOf: Date | null,
    @Arg('knownAt', () => Date, { nullable: true, description: KNOWN_AT }) knownAt: Date | null,
  ): Promise<InitiativeType[]> {
    const all = (await findAllInitiatives(ctx.em)).filter((i) => canRead(ctx.principal, i.id));
    for (const i of all) ctx.loaders.initiative.prime(i.id, i);
    const time = readTimeOf(asOf, knownAt);
    return all.map((i) => new InitiativeType(i, time));
  }

  @Query(() => InitiativeType, { nullable: true })
  async initiative(
    @Arg('key', () => String) key: string,
    @Ctx() ctx: Context,
    @Arg('asOf', () => Date, { nullable: true, description: AS_OF }) asOf: Date | null,
    @Arg('knownAt', () => Date, { nullable: true, description: KNOWN_AT }) knownAt: Date | null,
  ): Promise<InitiativeType | null> {
    const record = await findInitiativeByKey(ctx.em, key);
    if (!record || !canRead(ctx.principal, record.id)) return null;
    ctx.loaders.initiative.prime(record.id, record);
    return new InitiativeType(record, readTimeOf(asOf, knownAt));
  }

  @FieldResolver(() => ProgressType, { description: 'The whole tree.' })
  async progress(@Root() root: InitiativeType, @Ctx() ctx: Context): Promise<ProgressType> {
    const tree = await treeOf(ctx, root.record, root.time);
    return new ProgressType({
      name: tree.initiative.name,
      figure: tree.rollup.root,
      policy: tree.policy,
      labels: tree.initiative.statusLabels,
      children: () =>
        tree.roots.map((r) => ({ name: r.name, figure: tree.rollup.figures.get(r.id)! })),
    });
  }

  @FieldResolver(() => [WorkstreamType], {
    description: 'Top-level workstreams, in position order.',
  })
  async workstreams(@Root() root: InitiativeType, @Ctx() ctx: Context): Promise<WorkstreamType[]> {
    const tree = await treeOf(ctx, root.record, root.time);
    return tree.roots.map((node) => WorkstreamType.of(node, tree));
  }

  @FieldResolver(() => [String], {
    description:
      'The weekly report lines: the header (总进度…), then one numbered line per reported workstream.',
  })
  async reportLines(
    @Root() root: InitiativeType,
    @Ctx() ctx: Context,
    @Arg('locale', () => LocaleEnum, { defaultValue: 'zh-CN' }) locale: Locale,
  ): Promise<string[]> {
    const tree = await treeOf(ctx, root.record, root.time);
    return reportLines(tree, await reportDetailsOf(ctx, tree), locale);
  }

  @Mutation(() => InitiativePayload)
  async createInitiative(
    @Arg('input', () => CreateInitiativeInput) input: CreateInitiativeInput,
    @Ctx() ctx: Context,
  ): Promise<InitiativePayload> {
    requireGlobalAdmin(ctx);
    const scope = writeScope(ctx);
    const { value, userErrors } = await withUserErrors(() =>
      runWrite(writeContextOf(ctx, scope), createInitiative, {
        key: input.key,
        name: input.name,
        objective: input.objective,
        phase: input.phase,
        targetDate: input.targetDate,
        rollupPolicy: input.rollupPolicy
          ? Object.fromEntries(input.rollupPolicy.map((r) => [r.status, r.credit]))
          : null,
        statusLabels: input.statusLabels
          ? input.statusLabels.reduce<Record<string, Record<string, string>>>((acc, l) => {
              (acc[l.locale] ??= {})[l.status] = l.label;
              return acc;
            }, {})
          : null,
        reportLowPercentBucket: input.reportLowPercentBucket,
        effectiveAt: input.effectiveAt,
      }),
    );
    return { initiative: value ? new InitiativeType(value) : null, userErrors };
  }
}
