import { DomainError } from './errors.js';
import { UNITS_PER_ITEM } from './units.js';

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

export interface ForecastOptions {
  readonly trials: number;
  readonly seed: number;
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
  readonly explain: string;
}

export const MIN_HISTORY_WEEKS = 6;
export const MAX_FORECAST_WEEKS = 260;
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

/** A 32-bit hash of (seed, trial, week): the draw, independent of every other draw. */
function draw(seed: number, trial: number, week: number): number {
  let h = (seed ^ Math.imul(trial + 1, 0x9e3779b1) ^ Math.imul(week + 1, 0x85ebca77)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
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

const items = (units: number) => (units / UNITS_PER_ITEM).toFixed(2).replace(/\.?0+$/, '');

/**
 * The draws of one (seed, history length, trials): which past week trial t takes in week w,
 * `index[t * WEEKS + w]`, filled per trial as far as a simulation has gone. Every node of a tree
 * with the same history length draws the same weeks (the draw is a function of seed, trial and
 * week alone), so a forecast of every node hashes each draw once, not once per node.
 */
interface DrawTable {
  readonly index: Uint8Array;
  readonly filled: Uint16Array;
}
const WEEKS = MAX_FORECAST_WEEKS;
/** Tables kept (a few MB each at the default trials); larger trial counts draw directly. */
const MAX_TABLES = 4;
const TABLE_MAX_TRIALS = 20_000;
const tables = new Map<string, DrawTable>();

function drawTable(seed: number, k: number, trials: number): DrawTable | null {
  if (trials > TABLE_MAX_TRIALS || k > 255) return null;
  const key = `${seed}:${k}:${trials}`;
  let table = tables.get(key);
  if (!table) {
    table = { index: new Uint8Array(trials * WEEKS), filled: new Uint16Array(trials) };
    tables.set(key, table);
    if (tables.size > MAX_TABLES) tables.delete(tables.keys().next().value!);
  }
  return table;
}

const pick = (seed: number, t: number, w: number, k: number) =>
  Math.floor((draw(seed, t, w) / 4_294_967_296) * k);

/**
 * How many trials took each number of weeks (index MAX_FORECAST_WEEKS + 1: not done within the
 * horizon): the sorted week counts, without sorting them.
 */
function simulate(
  net: Int32Array | Float64Array,
  remaining: number,
  o: ForecastOptions,
): Int32Array {
  const k = net.length;
  const weeks = new Int32Array(MAX_FORECAST_WEEKS + 2);
  const seed = o.seed | 0;
  const table = drawTable(seed, k, o.trials);
  for (let t = 0; t < o.trials; t++) {
    let left = remaining;
    let w = 0;
    if (table) {
      const { index, filled } = table;
      const base = t * WEEKS;
      let known = filled[t]!;
      while (left > 0 && w < MAX_FORECAST_WEEKS) {
        if (w === known) index[base + known++] = pick(seed, t, w, k);
        left -= net[index[base + w]!]!;
        w++;
      }
      filled[t] = known;
    } else {
      while (left > 0 && w < MAX_FORECAST_WEEKS) {
        left -= net[pick(seed, t, w, k)]!;
        w++;
      }
    }
    weeks[left > 0 ? MAX_FORECAST_WEEKS + 1 : w]!++;
  }
  return weeks;
}

/** The week count of the trial at rank ⌈q × trials⌉ in sorted order. */
function percentile(counts: Int32Array, trials: number, q: number): number | null {
  const rank = Math.max(1, Math.ceil(q * trials));
  let v = 0;
  for (let seen = counts[0]!; seen < rank;) seen += counts[++v]!;
  return v > MAX_FORECAST_WEEKS ? null : v;
}

/** The forecast from weekly figures, oldest first, the last one being now. */
export function forecast(points: readonly (WeeklyFigure | null)[], o: ForecastOptions): Forecast {
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
    return { ...base, status: 'DONE', explain: '已全部完成' };
  if (!last || last.counted === 0)
    return { ...base, status: 'INSUFFICIENT_HISTORY', explain: '没有计入进度的事项，无法预测' };
  if (weeksOfHistory < MIN_HISTORY_WEEKS)
    return {
      ...base,
      status: 'INSUFFICIENT_HISTORY',
      explain: `历史只有 ${weeksOfHistory} 周，至少需要 ${MIN_HISTORY_WEEKS} 周才能预测`,
    };
  const rates = `近 ${weeksOfHistory} 周平均每周完成 ${items(throughput)} 个、范围净增 ${items(growth)} 个，剩余 ${items(remaining)} 个`;
  if (growth >= throughput)
    return {
      ...base,
      status: 'NOT_CONVERGING',
      explain: `${rates}：范围增长不慢于完成速度，按此速度不会完成`,
    };
  const net = new Float64Array(weeksOfHistory);
  for (let i = 0; i < weeksOfHistory; i++) {
    const a = history[i]!;
    const b = history[i + 1]!;
    net[i] = b.credit - a.credit - (b.counted - a.counted);
  }
  const counts = simulate(net, remaining, o);
  const p50 = percentile(counts, o.trials, 0.5);
  const p85 = percentile(counts, o.trials, 0.85);
  const p95 = percentile(counts, o.trials, 0.95);
  const beyond = p95 === null ? `；部分模拟超过 ${MAX_FORECAST_WEEKS} 周仍未完成` : '';
  return {
    ...base,
    status: 'OK',
    p50Weeks: p50,
    p85Weeks: p85,
    p95Weeks: p95,
    explain: `${rates}；按过去每周的完成与范围变化随机抽样模拟 ${o.trials} 次（种子 ${o.seed}）${beyond}`,
  };
}
