import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { findAllInitiatives, findInitiativeByKey } from '../../db/queries/initiative.queries.js';
import { canRead } from '../../domain/access.js';
import type { InitiativeRecord } from '../../db/records.js';
import type { ItemStatus, Locale } from '../../domain/item-status.js';
import { requireGlobalAdmin, writeScope } from '../access.js';
import { runWrite } from '../../services/write-pipeline/run-write.js';
import { writeContextOf } from '../write-context.js';
import { createInitiative } from '../../services/create-initiative.js';
import { ItemStatusEnum, LocaleEnum } from '../enums.js';
import { ItemConnectionType } from '../types/item-connection.type.js';
import { itemsPage, SEARCH_DESCRIPTION } from './item-pages.js';
import type { Context } from '../context.type.js';
import { inOneSnapshot } from '../one-snapshot.js';
import { withUserErrors } from '../errors.js';
import { CreateInitiativeInput } from '../inputs/initiative.input.js';
import { labelsOf, policyOf } from '../inputs/initiative-settings.js';
import { initiativeViewAt, listedInitiativesAt } from '../initiatives-at.js';
import { InitiativeType } from '../types/initiative.type.js';
import { InitiativePayload } from '../types/payloads.type.js';
import { ProgressType, timedFigureId } from '../types/progress.type.js';
import { WorkstreamType } from '../types/workstream.type.js';
import { AS_OF, KNOWN_AT, readTimeOf, treeOf } from '../read-time.js';
import type { ReadTime } from '../../domain/replay-items.js';
import { COMPARE_TO, initiativeReportLines } from '../compare-lines.js';

@Resolver(() => InitiativeType)
export class InitiativeResolver {
  @Query(() => [InitiativeType], {
    description: 'Every initiative not archived, oldest first (archivedInitiatives: the others).',
  })
  async initiatives(
    @Ctx() ctx: Context,
    @Arg('asOf', () => Date, { nullable: true, description: AS_OF }) asOf: Date | null,
    @Arg('knownAt', () => Date, { nullable: true, description: KNOWN_AT }) knownAt: Date | null,
  ): Promise<InitiativeType[]> {
    const time = readTimeOf(asOf, knownAt);
    return (await listedInitiativesAt(ctx, time)).map((i) => new InitiativeType(i, time));
  }

  @Query(() => [InitiativeType], {
    description: 'The archived initiatives (restoreInitiative brings one back), oldest first.',
  })
  archivedInitiatives(@Ctx() ctx: Context): Promise<InitiativeType[]> {
    return listed(ctx, async (em) =>
      (await findAllInitiatives(em)).filter((i) => i.archivedAt !== null),
    );
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
    return initiativeViewAt(ctx, record, readTimeOf(asOf, knownAt));
  }

  @FieldResolver(() => ProgressType, { description: 'The whole tree.' })
  async progress(@Root() root: InitiativeType, @Ctx() ctx: Context): Promise<ProgressType> {
    const tree = await treeOf(ctx, root.record, root.time);
    return new ProgressType({
      // An as-of figure is another figure than the live one: its own cache entry.
      nodeId: root.time ? timedFigureId(root.id, root.time) : root.id,
      name: tree.initiative.name,
      figure: tree.rollup.root,
      policy: tree.policy,
      labels: tree.initiative.statusLabels,
      children: () =>
        tree.roots.map((r) => ({ name: r.name, figure: tree.rollup.figures.get(r.id)! })),
    });
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description:
      'The initiative’s revision that this answer’s figures (progress, here and on every workstream) are exactly at: each committed write on it adds one. Subscribe with afterRevision set to it to follow the figures from here, missing no write and getting none twice. Null in an as-of view.',
  })
  async revision(@Root() root: InitiativeType, @Ctx() ctx: Context): Promise<number | null> {
    if (root.time) return null;
    return (await treeOf(ctx, root.record, null)).revision ?? null;
  }

  @FieldResolver(() => [WorkstreamType], {
    description: 'Top-level workstreams, in position order.',
  })
  async workstreams(@Root() root: InitiativeType, @Ctx() ctx: Context): Promise<WorkstreamType[]> {
    const tree = await treeOf(ctx, root.record, root.time);
    return tree.roots.map((node) => WorkstreamType.of(node, tree));
  }

  @FieldResolver(() => ItemConnectionType, {
    description:
      'Every live item of the initiative in creation order, a page at a time (first 1–100); search finds an item by a part of its name.',
  })
  async items(
    @Root() root: InitiativeType,
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('status', () => [ItemStatusEnum], { nullable: true }) status: ItemStatus[] | null,
    @Arg('search', () => String, { nullable: true, description: SEARCH_DESCRIPTION })
    search: string | null,
  ): Promise<ItemConnectionType> {
    const args = { first, after, status, search };
    if (!root.time)
      return itemsPage(
        ctx,
        { initiativeId: root.record.id },
        args,
        null,
        async () => (await treeOf(ctx, root.record, null)).rollup.root.tally,
      );
    // As it stood: the items of every workstream the initiative had then.
    const tree = await treeOf(ctx, root.record, root.time);
    return itemsPage(
      ctx,
      [...tree.nodes.keys()],
      args,
      root.time,
      async () => tree.rollup.root.tally,
    );
  }

  @FieldResolver(() => [String], {
    description:
      'The weekly report lines: the header (总进度…), then one numbered line per reported workstream.',
  })
  async reportLines(
    @Root() root: InitiativeType,
    @Ctx() ctx: Context,
    @Arg('locale', () => LocaleEnum, { defaultValue: 'zh-CN' }) locale: Locale,
    @Arg('compareTo', () => Date, { nullable: true, description: COMPARE_TO })
    compareTo?: Date | null,
  ): Promise<string[]> {
    // The tree and its items' percents and names in one snapshot: a line's counts and what it
    // breaks them into come from the same state.
    return inOneSnapshot(ctx, async (snapshot) => {
      const tree = await treeOf(snapshot, root.record, root.time);
      return initiativeReportLines(snapshot, root.record, tree, locale, compareTo);
    });
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
        rollupPolicy: policyOf(input.rollupPolicy) ?? null,
        statusLabels: labelsOf(input.statusLabels) ?? null,
        reportLowPercentBucket: input.reportLowPercentBucket,
        effectiveAt: input.effectiveAt,
      }),
    );
    return { initiative: value ? new InitiativeType(value) : null, userErrors };
  }
}

/** The initiatives a list query answers with, those the caller may read, primed for their fields. */
async function listed(
  ctx: Context,
  find: (em: Context['em']) => Promise<InitiativeRecord[]>,
  time: ReadTime | null = null,
): Promise<InitiativeType[]> {
  const all = (await find(ctx.em)).filter((i) => canRead(ctx.principal, i.id));
  for (const i of all) ctx.loaders.initiative.prime(i.id, i);
  return all.map((i) => new InitiativeType(i, time));
}
