import { MAX_FORECAST_WEEKS, pick, type ForecastOptions } from './forecast-draws.js';

/*
 * The week-by-week walk: the definition the triple walk (forecast-simulation.ts) follows draw
 * for draw, and what histories over 16 weeks and runs of more than 20,000 trials walk.
 */

/**
 * The draws one week to an entry, for histories too long for triples (k > 16, up to 255 weeks):
 * `index[t × MAX_FORECAST_WEEKS + w]`, filled per trial as far as a simulation has gone.
 */
interface WeekTable {
  readonly index: Uint8Array;
  readonly filled: Uint16Array;
}
/** Kept week tables (2.6 MB each at the default trials), least recently used out first. */
const MAX_WEEK_TABLES = 4;
const weekTables = new Map<string, WeekTable>();

export function weekTable(seed: number, k: number, trials: number): WeekTable | null {
  if (k > 255) return null;
  const key = `${seed}:${k}:${trials}`;
  let table = weekTables.get(key);
  if (table) weekTables.delete(key);
  else {
    table = {
      index: new Uint8Array(trials * MAX_FORECAST_WEEKS),
      filled: new Uint16Array(trials),
    };
    if (weekTables.size >= MAX_WEEK_TABLES) weekTables.delete(weekTables.keys().next().value!);
  }
  weekTables.set(key, table);
  return table;
}

/** The week-by-week walk over a week table (or drawing directly without one). */
export function weeklyWalk(
  table: WeekTable | null,
  net: Float64Array,
  remaining: number,
  o: ForecastOptions,
  from: number,
  to: number,
): Int32Array {
  if (!table) return weeklyCounts(net, remaining, o, from, to);
  const k = net.length;
  const seed = o.seed | 0;
  const { index, filled } = table;
  const weeks = new Int32Array(MAX_FORECAST_WEEKS + 2);
  for (let t = from; t < to; t++) {
    const base = t * MAX_FORECAST_WEEKS;
    let known = filled[t]!;
    let left = remaining;
    let w = 0;
    while (left > 0 && w < MAX_FORECAST_WEEKS) {
      if (w === known) index[base + known++] = pick(seed, t, w, k);
      left -= net[index[base + w]!]!;
      w++;
    }
    filled[t] = known;
    weeks[left > 0 ? MAX_FORECAST_WEEKS + 1 : w]!++;
  }
  return weeks;
}

/** The week-by-week walk: the definition `weekCounts` follows, drawing every week directly. */
export function weeklyCounts(
  net: Float64Array,
  remaining: number,
  o: ForecastOptions,
  from = 0,
  to = o.trials,
): Int32Array {
  const k = net.length;
  const seed = o.seed | 0;
  const weeks = new Int32Array(MAX_FORECAST_WEEKS + 2);
  for (let t = from; t < to; t++) {
    let left = remaining;
    let w = 0;
    while (left > 0 && w < MAX_FORECAST_WEEKS) {
      left -= net[pick(seed, t, w, k)]!;
      w++;
    }
    weeks[left > 0 ? MAX_FORECAST_WEEKS + 1 : w]!++;
  }
  return weeks;
}
