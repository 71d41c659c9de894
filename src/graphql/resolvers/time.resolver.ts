import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import {
  DEFAULT_HISTORY_WEEKS,
  DEFAULT_SEED,
  DEFAULT_TRIALS,
  MAX_FORECAST_WEEKS,
  MAX_TRIALS,
} from '../../domain/forecast.js';
import { MAX_SERIES_POINTS, type SeriesEvery } from '../../domain/series-times.js';
import type { Context } from '../context.type.js';
import { treeOf } from '../read-time.js';
import { progressChangeOf, stalledItemsOf, targetHistoryOf } from '../change-views.js';
import { healthFor } from '../health-view.js';
import { forecastOf, historyOf, type TimeTarget } from '../time-views.js';
import { InitiativeType } from '../types/initiative.type.js';
import {
  ForecastType,
  HealthType,
  ProgressChangeType,
  ProgressPointType,
  SeriesEveryEnum,
  StalledItemConnectionType,
  TargetDateChangeType,
} from '../types/time.type.js';
import { WorkstreamType } from '../types/workstream.type.js';

const HISTORY = `The burn-up series: the figure as of each time from \`from\` to \`to\` (default: the view's time), every DAY, WEEK or MONTH; at most ${MAX_SERIES_POINTS} points. Scope line: counted; completed line: credit.`;
const FORECAST = `When it will be done: ${DEFAULT_TRIALS} Monte-Carlo trials by default (at most ${MAX_TRIALS}), sampling the last historyWeeks weeks of credit gained and scope growth; deterministic per seed; horizon ${MAX_FORECAST_WEEKS} weeks.`;
const STALLED =
  'Items in progress or paused whose last logged change is at least `days` old (live), oldest first.';

/** The time fields, on both the initiative (its whole tree) and each workstream. */
function timeResolver<T extends object>(
  type: { prototype: T },
  targetOf: (root: T, ctx: Context) => Promise<TimeTarget>,
) {
  @Resolver(() => type as unknown as new () => T)
  class TimeResolver {
    @FieldResolver(() => [ProgressPointType], { description: HISTORY })
    async progressHistory(
      @Root() root: T,
      @Ctx() ctx: Context,
      @Arg('from', () => Date) from: Date,
      @Arg('to', () => Date, { nullable: true }) to: Date | null,
      @Arg('every', () => SeriesEveryEnum, { defaultValue: 'WEEK' }) every: SeriesEvery,
      @Arg('knownAt', () => Date, { nullable: true }) knownAt: Date | null,
    ): Promise<ProgressPointType[]> {
      return historyOf(ctx, await targetOf(root, ctx), from, to ?? null, every, knownAt ?? null);
    }

    @FieldResolver(() => ProgressChangeType, {
      description: 'The change since a time, to the view’s time: the difference of two reads.',
    })
    async progressChange(
      @Root() root: T,
      @Ctx() ctx: Context,
      @Arg('since', () => Date) since: Date,
    ): Promise<ProgressChangeType> {
      return progressChangeOf(ctx, await targetOf(root, ctx), since);
    }

    @FieldResolver(() => ForecastType, { description: FORECAST })
    async forecast(
      @Root() root: T,
      @Ctx() ctx: Context,
      @Arg('historyWeeks', () => Int, { defaultValue: DEFAULT_HISTORY_WEEKS }) weeks: number,
      @Arg('trials', () => Int, { defaultValue: DEFAULT_TRIALS }) trials: number,
      @Arg('seed', () => Int, { defaultValue: DEFAULT_SEED }) seed: number,
    ): Promise<ForecastType> {
      return forecastOf(ctx, await targetOf(root, ctx), weeks, trials, seed);
    }

    @FieldResolver(() => HealthType, {
      description:
        'On track when P85 ≤ the target date (own or nearest ancestor’s), at risk when P50 ≤ target < P85, off track otherwise or when the target passed below 100%; a hand-set health (setHealth) wins until cleared.',
    })
    async health(@Root() root: T, @Ctx() ctx: Context): Promise<HealthType> {
      return healthFor(ctx, await targetOf(root, ctx));
    }

    @FieldResolver(() => StalledItemConnectionType, { description: STALLED })
    async stalledItems(
      @Root() root: T,
      @Ctx() ctx: Context,
      @Arg('days', () => Int, { defaultValue: 14 }) days: number,
      @Arg('first', () => Int, { defaultValue: 50 }) first: number,
      @Arg('after', () => String, { nullable: true }) after: string | null,
    ): Promise<StalledItemConnectionType> {
      return stalledItemsOf(ctx, await targetOf(root, ctx), days, first, after ?? null);
    }

    @FieldResolver(() => [TargetDateChangeType], {
      description: 'Every change of its own target date, in effective order.',
    })
    async targetDateHistory(@Root() root: T, @Ctx() ctx: Context): Promise<TargetDateChangeType[]> {
      return (await targetHistoryOf(ctx, await targetOf(root, ctx))).changes.map((c) => ({
        ...c,
        at: new Date(c.at),
        recordedAt: new Date(c.recordedAt),
      }));
    }

    @FieldResolver(() => Int, {
      nullable: true,
      description: 'Days from the first target date to the current one (positive: later).',
    })
    async slipDays(@Root() root: T, @Ctx() ctx: Context): Promise<number | null> {
      return (await targetHistoryOf(ctx, await targetOf(root, ctx))).slipDays;
    }
  }
  return TimeResolver;
}

export const InitiativeTimeResolver = timeResolver(InitiativeType, async (root, ctx) => ({
  initiative: root.record,
  tree: await treeOf(ctx, root.record, root.time),
  node: null,
  time: root.time,
}));

export const WorkstreamTimeResolver = timeResolver(WorkstreamType, async (root) => ({
  initiative: root.tree.initiative,
  tree: root.tree,
  node: root.node,
  time: root.tree.time ?? null,
}));
