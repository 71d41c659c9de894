import { reportDateOf } from '../../domain/report-day.js';
import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { mondayOf } from '../../domain/milestone-rules.js';
import { assertIsoDate } from '../../domain/tree-rules.js';
import { DomainError } from '../../domain/errors.js';
import type { InitiativeTree } from '../../services/load-initiative-tree.js';
import type { Context } from '../context.type.js';
import { badUserInput } from '../errors.js';
import { treeOf } from '../read-time.js';
import {
  figureView,
  reportModelAt,
  reportModelOf,
  untilOf,
  updatesOf,
  visibleReadings,
} from '../report-model-reads.js';
import { workflowOf } from '../../services/report-model-lookup.js';
import { InitiativeType } from '../types/initiative.type.js';
import { MetricType } from '../types/metric.type.js';
import { MilestoneType } from '../types/milestone.type.js';
import {
  NamedFigureType,
  StageType,
  WrittenUpdateConnectionType,
} from '../types/report-model.type.js';
import { WorkstreamType } from '../types/workstream.type.js';
import { namedFiguresOfTree } from '../report-model-reads.js';
import { newestFirstPage } from './report-pages.js';

const FIGURES =
  'The initiative’s named figures (report header order) over this node: each with its own policy and scope.';
const STAGES = 'The stage workflow its items follow (ordered, with credit); null when none.';
const METRICS = 'Metrics with their latest reading at the read time, in report order.';
const MILESTONES =
  'Milestones, in creation order, as they stood at the read time; overdue as of the read time’s day.';

/** Metrics and milestones of a tree, with the node each belongs to (null: all of the tree's). */
async function modelOf(ctx: Context, tree: InitiativeTree, nodeId: number | null | undefined) {
  const model = await reportModelAt(ctx, tree.initiative.id, tree.time);
  const mine = <R extends { workstreamId: number | null }>(rows: readonly R[]) =>
    nodeId === undefined ? [...rows] : rows.filter((r) => r.workstreamId === nodeId);
  const nameOf = (id: number | null) => (id === null ? null : (tree.nodes.get(id)?.name ?? null));
  const until = untilOf(tree.time);
  return {
    model,
    metrics: mine(model.metrics).map(
      (m) =>
        new MetricType(
          m,
          visibleReadings(model.readings, m.id, tree.time),
          until,
          nameOf(m.workstreamId),
        ),
    ),
    milestones: mine(model.milestones).map(
      (m) => new MilestoneType(m, reportDateOf(until), nameOf(m.workstreamId)),
    ),
  };
}

/** What the weekly report tracks, read on an initiative (live or as of a time). */
@Resolver(() => InitiativeType)
export class InitiativeReportReads {
  @FieldResolver(() => [NamedFigureType], { description: FIGURES })
  async figures(@Root() root: InitiativeType, @Ctx() ctx: Context): Promise<NamedFigureType[]> {
    const tree = await treeOf(ctx, root.record, root.time);
    return (await namedFiguresOfTree(ctx, tree)).root.map(figureView);
  }

  @FieldResolver(() => [StageType], {
    nullable: true,
    description: 'The initiative’s own stage workflow; null when none.',
  })
  async stages(@Root() root: InitiativeType, @Ctx() ctx: Context): Promise<StageType[] | null> {
    const tree = await treeOf(ctx, root.record, root.time);
    return workflowOf(tree, null, (await reportModelOf(ctx, root.record.id)).workflows);
  }

  @FieldResolver(() => [MetricType], {
    description: `${METRICS} Every metric of the initiative, its workstreams’ too.`,
  })
  async metrics(@Root() root: InitiativeType, @Ctx() ctx: Context): Promise<MetricType[]> {
    return (await modelOf(ctx, await treeOf(ctx, root.record, root.time), undefined)).metrics;
  }

  @FieldResolver(() => [MilestoneType], {
    description: `${MILESTONES} Every milestone of the initiative, its workstreams’ too.`,
  })
  async milestones(@Root() root: InitiativeType, @Ctx() ctx: Context): Promise<MilestoneType[]> {
    return (await modelOf(ctx, await treeOf(ctx, root.record, root.time), undefined)).milestones;
  }

  @FieldResolver(() => WrittenUpdateConnectionType, {
    description:
      'Written updates (postUpdate), newest first, a page at a time (first 1–100); week: any day of the week (YYYY-MM-DD). As of a time: those posted and effective by then.',
  })
  async updates(
    @Root() root: InitiativeType,
    @Ctx() ctx: Context,
    @Arg('week', () => String, { nullable: true }) week: string | null,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<WrittenUpdateConnectionType> {
    let monday: string | null = null;
    if (week !== null && week !== undefined) {
      try {
        monday = mondayOf(assertIsoDate(week, 'week'));
      } catch (err) {
        if (err instanceof DomainError) throw badUserInput(err.message, 'week');
        throw err;
      }
    }
    const t = root.time;
    const rows = (await updatesOf(ctx, root.record.id)).filter(
      (u) =>
        (monday === null || mondayOf(u.week) === monday) &&
        (!t || (u.effectiveAt.getTime() <= t.asOf && u.recordedAt.getTime() <= t.knownAt)),
    );
    return newestFirstPage(rows, first, after);
  }
}

/** The same on a workstream: its own metrics and milestones, figures over its subtree. */
@Resolver(() => WorkstreamType)
export class WorkstreamReportReads {
  @FieldResolver(() => [NamedFigureType], { description: FIGURES })
  async figures(@Root() root: WorkstreamType, @Ctx() ctx: Context): Promise<NamedFigureType[]> {
    const figures = await namedFiguresOfTree(ctx, root.tree);
    return (figures.byNode.get(root.node.id) ?? []).map(figureView);
  }

  @FieldResolver(() => [StageType], { nullable: true, description: STAGES })
  async stages(@Root() root: WorkstreamType, @Ctx() ctx: Context): Promise<StageType[] | null> {
    const { workflows } = await reportModelOf(ctx, root.tree.initiative.id);
    return workflowOf(root.tree, root.node.id, workflows);
  }

  @FieldResolver(() => [MetricType], { description: `${METRICS} This workstream’s own.` })
  async metrics(@Root() root: WorkstreamType, @Ctx() ctx: Context): Promise<MetricType[]> {
    return (await modelOf(ctx, root.tree, root.node.id)).metrics;
  }

  @FieldResolver(() => [MilestoneType], { description: `${MILESTONES} This workstream’s own.` })
  async milestones(@Root() root: WorkstreamType, @Ctx() ctx: Context): Promise<MilestoneType[]> {
    return (await modelOf(ctx, root.tree, root.node.id)).milestones;
  }
}
