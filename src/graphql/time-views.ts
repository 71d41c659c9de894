import { DomainError } from '../domain/errors.js';
import { assertForecastOptions, type Forecast, type WeeklyFigure } from '../domain/forecast.js';
import type { ManualHealth } from '../domain/health.js';
import type { ReadTime } from '../domain/replay-items.js';
import { foldTree, type Figure } from '../domain/rollup.js';
import { earlierTime, seriesTimes, WEEK_MS, type SeriesEvery } from '../domain/series-times.js';
import { reportDateOf } from '../domain/report-day.js';
import type { InitiativeRecord } from '../db/records.js';
import type { InitiativeTree, TreeNode } from '../services/load-initiative-tree.js';
import { ForecastMemo, type Forecaster } from '../services/forecast-memo.js';
import { progressSeries, weeklyFigures, type SeriesPoint } from '../services/progress-series.js';
import type { Context } from './context.type.js';
import { keptBeside } from './loaders.js';
import { badUserInput } from './errors.js';
import { timedFigureId } from './types/progress.type.js';
import { ForecastType, ProgressPointType } from './types/time.type.js';
import { toGlobalId } from '../domain/global-id.js';

/** A node a time field is asked of: the initiative's root (node null) or a workstream. */
export interface TimeTarget {
  readonly initiative: InitiativeRecord;
  readonly tree: InitiativeTree;
  readonly node: TreeNode | null;
  /** The view's read time (null: live). */
  readonly time: ReadTime | null;
}

/** Per-request state: one clock, and series/forecasts shared by every node of a tree. */
interface TimeCache {
  readonly now: number;
  readonly series: Map<string, Promise<SeriesPoint[]>>;
  readonly weekly: Map<string, Promise<Map<number | null, (WeeklyFigure | null)[]>>>;
  readonly forecasts: Map<string, Promise<{ f: Forecast; end: number }>>;
  /**
   * Forecasts by their whole input: nodes with the same weekly figures are simulated once. The
   * server's, kept between requests (JINDU_FORECAST_CACHE), or one for this request alone.
   */
  readonly byInput: Forecaster;
  /** Report dates by time (forecast dates). */
  readonly dates: Map<number, string>;
  /** Hand-set health by initiative (health-view.ts). */
  health: Map<number, Promise<Map<number | null, ManualHealth>>>;
}
const CACHE = Symbol('time views');

export function timeCache(ctx: Context): TimeCache {
  return keptBeside(ctx.loaders, CACHE, (): TimeCache => ({
    now: Date.now(),
    series: new Map(),
    weekly: new Map(),
    forecasts: new Map(),
    byInput: ctx.forecastMemo ?? new ForecastMemo(Infinity, Infinity),
    dates: new Map(),
    health: new Map(),
  }));
}

/** Domain input errors become BAD_USER_INPUT on the argument they name. */
export function asBadInput<T>(work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (err instanceof DomainError) throw badUserInput(err.message, err.field?.[0] ?? 'input');
    throw err;
  }
}

export const knownAtOf = (ctx: Context, t: TimeTarget): number =>
  t.time?.knownAt ?? timeCache(ctx).now;
export const endOf = (ctx: Context, t: TimeTarget): number =>
  Math.min(t.time?.asOf ?? timeCache(ctx).now, timeCache(ctx).now);

/**
 * The series at `times`, shared by every node of the request; `rootOnly`: of the initiative's
 * figure alone (its burn-up), unless the request already has the full one.
 */
function seriesOf(
  ctx: Context,
  t: TimeTarget,
  times: number[],
  knownAt: number,
  rootOnly: boolean,
) {
  const cache = timeCache(ctx);
  const key = `${t.initiative.id}@${times[0]}@${times.at(-1)}@${times.length}@${knownAt}`;
  // A full series serves the root too: take it when this request already has one.
  let series =
    cache.series.get(`${key}@all`) ?? cache.series.get(`${key}@${rootOnly ? 'root' : 'all'}`);
  if (!series)
    cache.series.set(
      `${key}@${rootOnly ? 'root' : 'all'}`,
      (series = progressSeries(ctx.em, t.initiative.id, times, knownAt, rootOnly)),
    );
  return series;
}

const figureAt = (p: SeriesPoint, t: TimeTarget): Figure | undefined =>
  t.node ? p.figures?.get(t.node.id) : p.exists ? p.root : undefined;

/** The burn-up: the node's figure at each time from `from` to `to`. */
export async function historyOf(
  ctx: Context,
  t: TimeTarget,
  from: Date,
  to: Date | null,
  every: SeriesEvery,
  knownAt: Date | null,
): Promise<ProgressPointType[]> {
  const viewEnd = t.time?.asOf ?? timeCache(ctx).now;
  // Past the view's time a figure is not known yet: a series stops at it (a `to` after it is
  // refused, beyond a client's clock skew), as a change does, and never repeats today's figure
  // as if it were the future's.
  const times = asBadInput(() => {
    const end = to ? earlierTime(to.getTime(), viewEnd, 'to') : viewEnd;
    return seriesTimes(earlierTime(from.getTime(), viewEnd, 'from'), end, every);
  });
  await ctx.deadline?.check();
  const points = await seriesOf(
    ctx,
    t,
    times,
    knownAt?.getTime() ?? knownAtOf(ctx, t),
    t.node === null,
  );
  const name = t.node?.name ?? t.initiative.name;
  return points.map(
    (p) =>
      new ProgressPointType(p.at, {
        // A point is its own figure: cached apart from the live one and from other points.
        nodeId: timedFigureId(
          t.node ? toGlobalId('Workstream', t.node.id) : toGlobalId('Initiative', t.initiative.id),
          knownAt
            ? { asOf: p.at, knownAt: knownAt.getTime() }
            : {
                asOf: p.at,
                knownAt: t.time?.knownAt ?? 0,
                knownAtIsNow: !t.time || t.time.knownAtIsNow,
              },
        ),
        name,
        figure: figureAt(p, t) ?? foldTree([], p.policy).root,
        policy: p.policy,
        labels: t.tree.initiative.statusLabels,
        children: () => [],
      }),
  );
}

/** The forecast of a node at the target's time, shared by every node with the same input. */
export async function forecastFor(
  ctx: Context,
  t: TimeTarget,
  historyWeeks: number,
  trials: number,
  seed: number,
): Promise<{ f: Forecast; end: number }> {
  asBadInput(() => assertForecastOptions(historyWeeks, trials, seed));
  const cache = timeCache(ctx);
  const end = endOf(ctx, t);
  const knownAt = knownAtOf(ctx, t);
  const key = `${t.initiative.id}:${t.node?.id ?? 0}:${historyWeeks}:${trials}:${seed}:${end}:${knownAt}`;
  let kept = cache.forecasts.get(key);
  if (!kept) {
    // Forecasts are asked of many nodes at once: one pass over the weeks serves them all.
    const weeklyKey = `${t.initiative.id}@${end}@${historyWeeks}@${knownAt}`;
    let weekly = cache.weekly.get(weeklyKey);
    if (!weekly) {
      const times = Array.from({ length: historyWeeks + 1 }, (_, i) =>
        Math.max(0, end - (historyWeeks - i) * WEEK_MS),
      );
      cache.weekly.set(
        weeklyKey,
        (weekly = weeklyFigures(ctx.em, t.initiative.id, times, knownAt)),
      );
    }
    kept = weekly.then(async (all) => {
      const points = all.get(t.node?.id ?? null) ?? NO_POINTS(historyWeeks + 1);
      // Each range of trials of each node's simulation checks the deadline right before it
      // runs: a query asking many forecasts lets other requests run every 20 ms or so, and
      // stops at its time limit.
      const before = () => ctx.deadline?.yieldIfDue();
      return { f: await cache.byInput.forecast(points, { trials, seed }, before), end };
    });
    cache.forecasts.set(key, kept);
  }
  return kept;
}

/** A node that did not exist at any of the weeks: no figure at each. */
const NO_POINTS = (n: number): null[] => new Array<null>(n).fill(null);

/** The report date `weeks` after `end`; a request's nodes share a few (end, weeks) pairs. */
export function dateIn(cache: TimeCache, end: number, weeks: number | null): string | null {
  if (weeks === null) return null;
  const at = end + weeks * WEEK_MS;
  let date = cache.dates.get(at);
  if (date === undefined) cache.dates.set(at, (date = reportDateOf(at)));
  return date;
}

export async function forecastOf(
  ctx: Context,
  t: TimeTarget,
  historyWeeks: number,
  trials: number,
  seed: number,
): Promise<ForecastType> {
  const { f, end } = await forecastFor(ctx, t, historyWeeks, trials, seed);
  const cache = timeCache(ctx);
  return new ForecastType(f, new Date(end), {
    p50: dateIn(cache, end, f.p50Weeks),
    p85: dateIn(cache, end, f.p85Weeks),
    p95: dateIn(cache, end, f.p95Weeks),
  });
}
