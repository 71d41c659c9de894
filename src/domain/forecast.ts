import { DomainError } from './errors.js';
import type { ForecastWhy } from './forecast-words.js';
import { MAX_FORECAST_WEEKS, type ForecastOptions } from './forecast-draws.js';
import { weekCounts } from './forecast-simulation.js';

export { MAX_FORECAST_WEEKS, type ForecastOptions } from './forecast-draws.js';

/**
 * When will it be done: a Monte-Carlo forecast over a node's own weekly history (the method of
 * Vacanti's "When Will It Be Done?" and Magennis' forecasters). Each trial replays future weeks
 * by drawing, uniformly, one past week at a time and taking both its credit gained and its net
 * scope growth, until nothing remains; the percentiles of the trials' week counts are the
 * forecast. Pure and deterministic: draw (trial t, week w) is a hash of (seed, t, w), so a trial
 * draws the same weeks whatever the remaining work, which makes more work or more growth never
 * finish earlier, trial by trial.
 */

export type ForecastStatus = 'OK' | 'INSUFFICIENT_HISTORY' | 'NOT_CONVERGING' | 'DONE';

/** A node's figure at the end of one week (micro-items); null: the node did not exist then. */
export interface WeeklyFigure {
  readonly credit: number;
  readonly counted: number;
}

export interface Forecast {
  readonly status: ForecastStatus;
  /** Weeks from the last point until done, per percentile; null beyond the horizon or not OK. */
  readonly p50Weeks: number | null;
  readonly p85Weeks: number | null;
  readonly p95Weeks: number | null;
  /** counted − credit at the last point, in micro-items. */
  readonly remaining: number;
  readonly weeksOfHistory: number;
  /** Mean credit gained per week, in micro-items (a rational: total ÷ weeks). */
  readonly throughputPerWeek: number;
  readonly scopeGrowthPerWeek: number;
  /** Why, in numbers; `explainForecast` words it, in the locale asked, only when asked. */
  readonly why: ForecastWhy;
}

export const MIN_HISTORY_WEEKS = 6;
export const MAX_TRIALS = 100_000;
export const DEFAULT_TRIALS = 10_000;
export const DEFAULT_HISTORY_WEEKS = 12;
export const DEFAULT_SEED = 1;

export function assertForecastOptions(historyWeeks: number, trials: number, seed: number): void {
  if (!Number.isInteger(trials) || trials < 1 || trials > MAX_TRIALS)
    throw new DomainError(
      'INVALID_INPUT',
      `trials 必须在 1 到 ${MAX_TRIALS} 之间，收到 ${trials}`,
      ['trials'],
    );
  if (!Number.isInteger(historyWeeks) || historyWeeks < 1 || historyWeeks > MAX_FORECAST_WEEKS)
    throw new DomainError(
      'INVALID_INPUT',
      `historyWeeks 必须在 1 到 ${MAX_FORECAST_WEEKS} 之间，收到 ${historyWeeks}`,
      ['historyWeeks'],
    );
  if (!Number.isSafeInteger(seed))
    throw new DomainError('INVALID_INPUT', `seed 必须是整数，收到 ${seed}`, ['seed']);
}

/**
 * The history the forecast may use: the trailing weeks the node existed in, from the first one
 * where anything counted (loading the first items into a new node is not scope growth).
 */
function trailing(points: readonly (WeeklyFigure | null)[]): WeeklyFigure[] {
  let start = points.length;
  while (start > 0 && points[start - 1]) start--;
  while (start < points.length && points[start]!.counted === 0) start++;
  return points.slice(start) as WeeklyFigure[];
}

/** The week count of the trial at rank ⌈q × trials⌉ in sorted order. */
function percentile(counts: Int32Array, trials: number, q: number): number | null {
  const rank = Math.max(1, Math.ceil(q * trials));
  let v = 0;
  for (let seen = counts[0]!; seen < rank;) seen += counts[++v]!;
  return v > MAX_FORECAST_WEEKS ? null : v;
}

/**
 * Trials simulated in one go: a caller driving `forecastInSlices` may let other work run between
 * two ranges of this many. At the default trials a forecast is one range; 100,000 trials are
 * ten, each at most 2.6 million trial-weeks (every trial to the horizon), so a server that asks
 * for many forecasts need not hold its event loop for all of them at once.
 */
export const TRIALS_PER_SLICE = 10_000;

/** The forecast from weekly figures, oldest first, the last one being now. */
export function forecast(points: readonly (WeeklyFigure | null)[], o: ForecastOptions): Forecast {
  const slices = forecastInSlices(points, o);
  for (;;) {
    const step = slices.next();
    if (step.done) return step.value;
  }
}

/**
 * The same forecast, made a range of trials at a time: the generator pauses (yields) between
 * two ranges, and returns the forecast `forecast` gives, draw for draw (the week counts of
 * ranges of trials add up to those of all of them).
 */
export function* forecastInSlices(
  points: readonly (WeeklyFigure | null)[],
  o: ForecastOptions,
): Generator<void, Forecast, void> {
  const history = trailing(points);
  const last = history[history.length - 1];
  const remaining = last ? last.counted - last.credit : 0;
  const weeksOfHistory = Math.max(0, history.length - 1);
  const first = history[0];
  const throughput = weeksOfHistory > 0 ? (last!.credit - first!.credit) / weeksOfHistory : 0;
  const growth = weeksOfHistory > 0 ? (last!.counted - first!.counted) / weeksOfHistory : 0;
  const base = {
    p50Weeks: null,
    p85Weeks: null,
    p95Weeks: null,
    remaining,
    weeksOfHistory,
    throughputPerWeek: throughput,
    scopeGrowthPerWeek: growth,
  };
  if (last && last.counted > 0 && remaining <= 0)
    return { ...base, status: 'DONE', why: { kind: 'DONE' } };
  if (!last || last.counted === 0)
    return { ...base, status: 'INSUFFICIENT_HISTORY', why: { kind: 'NOTHING_COUNTED' } };
  if (weeksOfHistory < MIN_HISTORY_WEEKS)
    return {
      ...base,
      status: 'INSUFFICIENT_HISTORY',
      why: { kind: 'SHORT_HISTORY', weeks: weeksOfHistory, min: MIN_HISTORY_WEEKS },
    };
  const rates = { weeks: weeksOfHistory, throughput, growth, remaining };
  if (growth >= throughput)
    return { ...base, status: 'NOT_CONVERGING', why: { kind: 'NOT_CONVERGING', ...rates } };
  const net = new Float64Array(weeksOfHistory);
  for (let i = 0; i < weeksOfHistory; i++) {
    const a = history[i]!;
    const b = history[i + 1]!;
    net[i] = b.credit - a.credit - (b.counted - a.counted);
  }
  const counts = new Int32Array(MAX_FORECAST_WEEKS + 2);
  for (let from = 0; from < o.trials; from += TRIALS_PER_SLICE) {
    if (from > 0) yield;
    const range = weekCounts(net, remaining, o, from, Math.min(o.trials, from + TRIALS_PER_SLICE));
    for (let w = 0; w < counts.length; w++) counts[w]! += range[w]!;
  }
  const p50 = percentile(counts, o.trials, 0.5);
  const p85 = percentile(counts, o.trials, 0.85);
  const p95 = percentile(counts, o.trials, 0.95);
  return {
    ...base,
    status: 'OK',
    p50Weeks: p50,
    p85Weeks: p85,
    p95Weeks: p95,
    why: {
      kind: 'SIMULATED',
      ...rates,
      trials: o.trials,
      seed: o.seed,
      beyond: p95 === null ? MAX_FORECAST_WEEKS : null,
    },
  };
}
