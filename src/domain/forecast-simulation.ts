import { MAX_FORECAST_WEEKS, pick, type ForecastOptions } from './forecast-draws.js';
import { weeklyCounts, weeklyWalk, weekTable } from './forecast-weekly-walk.js';

/**
 * The forecast's simulation: how many of its trials finish in each week. See forecast.ts for
 * the method; this file makes it fast without changing a single draw.
 */

/**
 * The draws of one (seed, history length, trials), three weeks to an entry: entry e < BLOCKS of
 * trial t is `(i0 × k + i1) × k + i2` for the past weeks its future weeks 3e, 3e + 1, 3e + 2
 * draw, and `tail` holds the single draws of weeks 258 and 259. Filled per trial as far as a
 * simulation has gone, a chunk at a time, with an end mark (k³) after the last entry filled.
 * Every node of a tree with the same history length draws the same weeks (a draw is a function
 * of seed, trial and week alone), so a forecast of every node hashes each draw once, not once
 * per node; tables are kept between requests.
 */
interface DrawTable {
  readonly k: number;
  readonly combo: Uint16Array;
  readonly tail: Uint8Array;
  /** Entries filled, per trial; BLOCKS + 1 once the tail is. */
  readonly known: Uint8Array;
}
const BLOCK = 3;
const BLOCKS = Math.floor(MAX_FORECAST_WEEKS / BLOCK);
const TAIL = MAX_FORECAST_WEEKS - BLOCKS * BLOCK;
const STRIDE = BLOCKS + 1;
const CHUNK = 8;
/** Block walks need k³ + 1 table entries per node and combos that fit 16 bits. */
const MAX_BLOCK_K = 16;
/**
 * Kept tables (under 2 MB each at the default trials; half as many week tables, 2.6 MB each:
 * forecast-weekly-walk.ts), least recently used out first.
 */
const MAX_TABLES = 8;
/** Larger trial counts walk week by week, drawing directly. */
const TABLE_MAX_TRIALS = 20_000;
const tables = new Map<string, DrawTable>();

function drawTable(seed: number, k: number, trials: number): DrawTable {
  const key = `${seed}:${k}:${trials}`;
  let table = tables.get(key);
  if (table) tables.delete(key);
  else {
    const combo = new Uint16Array(trials * STRIDE);
    for (let t = 0; t < trials; t++) combo[t * STRIDE] = k ** 3;
    table = { k, combo, tail: new Uint8Array(trials * TAIL), known: new Uint8Array(trials) };
    if (tables.size >= MAX_TABLES) tables.delete(tables.keys().next().value!);
  }
  tables.set(key, table);
  return table;
}

/** Fills trial t's next chunk of triples, or its tail once every triple is filled. */
function fill(table: DrawTable, seed: number, t: number): void {
  const { k, combo, known } = table;
  const from = known[t]!;
  if (from === BLOCKS) {
    for (let x = 0; x < TAIL; x++) table.tail[t * TAIL + x] = pick(seed, t, BLOCKS * BLOCK + x, k);
    known[t] = BLOCKS + 1;
    return;
  }
  const to = Math.min(BLOCKS, from + CHUNK);
  const base = t * STRIDE;
  for (let e = from; e < to; e++) {
    const w = e * BLOCK;
    combo[base + e] =
      (pick(seed, t, w, k) * k + pick(seed, t, w + 1, k)) * k + pick(seed, t, w + 2, k);
  }
  combo[base + to] = k ** 3;
  known[t] = to;
}

const gcd = (a: number, b: number): number => {
  while (b) [a, b] = [b, a % b];
  return a;
};

/**
 * Per node, for every ordered triple of past weeks (a, b, c) at `4 × ((a × k + b) × k + c)`: the
 * highest of its three running sums, its sum, and its first two running sums; the end mark's
 * entry (k³) has a highest sum no trial stays above. Whole numbers divided by their greatest
 * common divisor, in 32-bit integers where every running sum of a trial fits (the usual case:
 * integer arithmetic is the faster), otherwise in doubles. Reused between nodes.
 */
const blockSums32 = new Int32Array(4 * (MAX_BLOCK_K ** 3 + 1));
const blockSums64 = new Float64Array(4 * (MAX_BLOCK_K ** 3 + 1));

function fillBlockSums<T extends Int32Array | Float64Array>(
  st: T,
  net: ArrayLike<number>,
  top: number,
): T {
  const k = net.length;
  let i = 0;
  for (let a = 0; a < k; a++) {
    const s1 = net[a]!;
    for (let b = 0; b < k; b++) {
      const s2 = s1 + net[b]!;
      const m2 = s1 > s2 ? s1 : s2;
      for (let c = 0; c < k; c++, i += 4) {
        const s3 = s2 + net[c]!;
        st[i] = m2 > s3 ? m2 : s3;
        st[i + 1] = s3;
        st[i + 2] = s1;
        st[i + 3] = s2;
      }
    }
  }
  st[i] = st[i + 2] = st[i + 3] = top;
  st[i + 1] = 0;
  return st;
}

/**
 * How many trials took each number of weeks (index MAX_FORECAST_WEEKS + 1: not done within the
 * horizon): the sorted week counts, without sorting them. A trial subtracts each drawn week's net
 * change from the remaining work until nothing remains; it walks three weeks at a step with the
 * node's sums of every triple of weeks, and looks inside a triple only where a running sum in it
 * reaches what is left. Every sum is of whole numbers and exact, so the weeks counted are those
 * of the week-by-week walk (`weeklyCounts`), draw for draw. Histories over 16 weeks, and values
 * that are not whole or too large to sum exactly, walk week by week over a table of single
 * draws; more than 20,000 trials draw every week directly. Trials `from` (inclusive) to `to`
 * only, when given: trials are independent, so the counts of consecutive ranges add up to the
 * counts of all of them, and a long simulation can be run a range at a time.
 */
export function weekCounts(
  net: Float64Array,
  remaining: number,
  o: ForecastOptions,
  from = 0,
  to = o.trials,
): Int32Array {
  const k = net.length;
  let whole = Number.isSafeInteger(remaining) && remaining > 0;
  let largest = 0;
  let divisor = remaining;
  for (const v of net) {
    whole &&= Number.isSafeInteger(v);
    largest = Math.max(largest, Math.abs(v));
    if (whole) divisor = gcd(divisor, Math.abs(v));
  }
  const reach = (remaining + (MAX_FORECAST_WEEKS + BLOCK) * largest) / divisor;
  if (o.trials > TABLE_MAX_TRIALS) return weeklyCounts(net, remaining, o, from, to);
  if (!whole || !Number.isSafeInteger(reach * divisor) || k > MAX_BLOCK_K)
    return weeklyWalk(weekTable(o.seed | 0, k, o.trials), net, remaining, o, from, to);
  const table = drawTable(o.seed | 0, k, o.trials);
  const scaled = net.map((v) => v / divisor);
  // The range rides in the options: one more argument held through the walk's loop measured
  // 5% slower (a register short in its hottest loop).
  const range: TrialRange = to === o.trials && from === 0 ? o : { seed: o.seed, trials: to, from };
  return reach < 2 ** 31 - 1
    ? walk(table, range, fillBlockSums(blockSums32, scaled, 2 ** 31 - 1), (remaining / divisor) | 0)
    : walk(table, range, fillBlockSums(blockSums64, scaled, Infinity), remaining / divisor);
}

/** Trials `from` (default 0) to `trials` of a run of more. */
interface TrialRange extends ForecastOptions {
  readonly from?: number;
}

function walk(
  table: DrawTable,
  o: TrialRange,
  st: Int32Array | Float64Array,
  remaining: number,
): Int32Array {
  const { k, combo, tail, known } = table;
  const seed = o.seed | 0;
  const mark = 4 * k ** 3;
  const weeks = new Int32Array(MAX_FORECAST_WEEKS + 2);
  for (let t = o.from ?? 0; t < o.trials; t++) {
    const base = t * STRIDE;
    let e = base;
    let left = remaining;
    let w = MAX_FORECAST_WEEKS + 1;
    for (;;) {
      let c = combo[e]! << 2;
      while (left > st[c]!) {
        left -= st[c + 1]!;
        c = combo[++e]! << 2;
      }
      if (c !== mark) {
        // Done within this triple: at its first running sum that reaches what is left.
        const g1 = +(left > st[c + 2]!);
        w = BLOCK * (e - base) + 1 + g1 + (g1 & +(left > st[c + 3]!));
        break;
      }
      if (e - base < BLOCKS) {
        fill(table, seed, t);
        continue;
      }
      if (known[t]! === BLOCKS) fill(table, seed, t);
      // The last weeks one at a time: a triple (a, a, a) sums three times a's net change.
      for (let x = 0; x < TAIL; x++) {
        const a = tail[t * TAIL + x]!;
        if ((left -= st[4 * (a * k * k + a * k + a) + 2]!) <= 0) {
          w = BLOCKS * BLOCK + x + 1;
          break;
        }
      }
      break;
    }
    weeks[w]!++;
  }
  return weeks;
}
