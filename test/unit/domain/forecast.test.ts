import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  forecast,
  forecastInSlices,
  MAX_FORECAST_WEEKS,
  MIN_HISTORY_WEEKS,
  TRIALS_PER_SLICE,
  type WeeklyFigure,
} from '../../../src/domain/forecast.js';
import { weekCounts } from '../../../src/domain/forecast-simulation.js';
import { weeklyCounts } from '../../../src/domain/forecast-weekly-walk.js';
import { UNITS_PER_ITEM } from '../../../src/domain/units.js';
import { explainForecast } from '../../../src/domain/forecast-words.js';

const U = UNITS_PER_ITEM;
const opts = { trials: 2_000, seed: 7 };

/** Weekly figures from weekly credit gains and scope growths (items), ending at `remaining`. */
function history(
  gains: readonly number[],
  growth: readonly number[],
  remaining: number,
): WeeklyFigure[] {
  const total = gains.reduce((a, b) => a + b, 0);
  const grown = growth.reduce((a, b) => a + b, 0);
  let credit = 1_000 * U;
  let counted = credit + (remaining + total - grown) * U;
  const points = [{ credit, counted }];
  gains.forEach((g, i) => {
    credit += g * U;
    counted += (growth[i] ?? 0) * U;
    points.push({ credit, counted });
  });
  return points;
}

describe('forecast', () => {
  it('5 items a week with 50 left: P50 = P85 = P95 = 10 weeks', () => {
    const f = forecast(history(Array(12).fill(5), Array(12).fill(0), 50), opts);
    expect(f.status).toBe('OK');
    expect(f.remaining).toBe(50 * U);
    expect([f.p50Weeks, f.p85Weeks, f.p95Weeks]).toEqual([10, 10, 10]);
    expect(f.throughputPerWeek).toBe(5 * U);
    expect(f.scopeGrowthPerWeek).toBe(0);
    expect(f.weeksOfHistory).toBe(12);
  });

  it('needs six weeks of history, and says how much it had', () => {
    const short = forecast(history(Array(MIN_HISTORY_WEEKS - 1).fill(5), [], 50), opts);
    expect(short.status).toBe('INSUFFICIENT_HISTORY');
    expect(explainForecast(short.why, 'zh-CN')).toContain(`${MIN_HISTORY_WEEKS - 1} 周`);
    const enough = forecast(history(Array(MIN_HISTORY_WEEKS).fill(5), [], 50), opts);
    expect(enough.status).toBe('OK');
    // Weeks before the node existed do not count as history.
    const young = forecast([null, null, ...history(Array(3).fill(5), [], 50)], opts);
    expect(young).toMatchObject({ status: 'INSUFFICIENT_HISTORY', weeksOfHistory: 3 });
  });

  it('starts the history where anything counted: loading a new node is not scope growth', () => {
    const empty = { credit: 0, counted: 0 };
    const loaded = history(Array(8).fill(5), [], 50);
    const f = forecast([empty, empty, ...loaded], opts);
    expect(f).toMatchObject({ status: 'OK', weeksOfHistory: 8, scopeGrowthPerWeek: 0 });
    expect(f.p85Weeks).toBe(10);
  });

  it('does not converge when scope grows as fast as work is done', () => {
    const f = forecast(history(Array(8).fill(3), Array(8).fill(3), 20), opts);
    expect(f.status).toBe('NOT_CONVERGING');
    expect([f.p50Weeks, f.p85Weeks, f.p95Weeks]).toEqual([null, null, null]);
    expect(forecast(history(Array(8).fill(0), Array(8).fill(0), 20), opts).status).toBe(
      'NOT_CONVERGING',
    );
  });

  it('is DONE when nothing remains, and cannot forecast nothing', () => {
    expect(forecast(history(Array(8).fill(2), [], 0), opts).status).toBe('DONE');
    expect(forecast([{ credit: 0, counted: 0 }], opts).status).toBe('INSUFFICIENT_HISTORY');
  });

  it('says why in Chinese and in English, from the same numbers', () => {
    const cases = [
      forecast(history(Array(12).fill(5), Array(12).fill(0), 50), opts),
      forecast(history(Array(MIN_HISTORY_WEEKS - 1).fill(5), [], 50), opts),
      forecast(history(Array(8).fill(3), Array(8).fill(3), 20), opts),
      forecast(history(Array(8).fill(2), [], 0), opts),
      forecast([{ credit: 0, counted: 0 }], opts),
      forecast(history([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [], 100), opts),
    ];
    expect(new Set(cases.map((f) => f.why.kind))).toEqual(
      new Set(['SIMULATED', 'SHORT_HISTORY', 'NOT_CONVERGING', 'DONE', 'NOTHING_COUNTED']),
    );
    expect(explainForecast(cases[5]!.why, 'en')).toContain('still not done after 260 weeks');
    for (const f of cases) {
      expect(explainForecast(f.why, 'zh-CN')).toMatch(/[\u4e00-\u9fff]/);
      expect(explainForecast(f.why, 'en')).toMatch(/^[\x20-\x7e]+$/);
    }
    expect(explainForecast(cases[0]!.why, 'zh-CN')).toBe(
      '近 12 周平均每周完成 5 个、范围净增 0 个，剩余 50 个；按过去每周的完成与范围变化随机抽样模拟 2000 次（种子 7）',
    );
    expect(explainForecast(cases[0]!.why, 'en')).toBe(
      "Over the last 12 weeks, 5 items done and a net scope change of 0 items a week on average, 50 items left; simulated 2000 times by drawing past weeks' work done and scope change at random (seed 7)",
    );
  });

  it('calls a standstill a standstill, and counts one item as one', () => {
    const still = forecast(history(Array(8).fill(0), [], 10), opts);
    expect(still.status).toBe('NOT_CONVERGING');
    expect(explainForecast(still.why, 'zh-CN')).toContain('这段时间没有任何进展');
    expect(explainForecast(still.why, 'zh-CN')).not.toContain('范围增长');
    expect(explainForecast(still.why, 'en')).toContain('no work got done');
    const one = forecast(history(Array(8).fill(1), [], 1), opts);
    expect(explainForecast(one.why, 'en')).toContain('1 item done');
    expect(explainForecast(one.why, 'en')).toContain('1 item left');
  });

  it('leaves a percentile beyond the five-year horizon empty', () => {
    const gains = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const f = forecast(history(gains, [], 100), opts);
    expect(f.status).toBe('OK');
    expect(f.p95Weeks).toBeNull();
    expect(explainForecast(f.why, 'zh-CN')).toContain(`${MAX_FORECAST_WEEKS} 周`);
  });

  const weeks = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 6, maxLength: 14 });
  const run = { numRuns: 60 };

  it('same seed, same answer; another seed may differ but keeps the order', () => {
    fc.assert(
      fc.property(weeks, fc.integer({ min: 1, max: 200 }), fc.integer(), (g, left, seed) => {
        const h = history(g, [], left);
        const a = forecast(h, { trials: 500, seed });
        expect(forecast(h, { trials: 500, seed })).toEqual(a);
      }),
      run,
    );
  });

  it('P50 ≤ P85 ≤ P95 always', () => {
    fc.assert(
      fc.property(weeks, weeks, fc.integer({ min: 1, max: 300 }), (g, growth, left) => {
        const f = forecast(
          history(
            g,
            growth.map((x) => x % 3),
            left,
          ),
          { trials: 400, seed: 3 },
        );
        const order = [f.p50Weeks, f.p85Weeks, f.p95Weeks].map((w) => w ?? Infinity);
        if (f.status === 'OK') expect(order).toEqual([...order].sort((a, b) => a - b));
      }),
      run,
    );
  });

  it('more remaining work never gives an earlier date; scope growth moves dates later', () => {
    const later = (a: number | null, b: number | null) => (b ?? Infinity) >= (a ?? Infinity);
    fc.assert(
      fc.property(
        weeks,
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 50 }),
        (g, left, more) => {
          fc.pre(g.some((x) => x > 0));
          const base = forecast(history(g, [], left), { trials: 400, seed: 11 });
          const bigger = forecast(history(g, [], left + more), { trials: 400, seed: 11 });
          const growing = forecast(
            history(
              g,
              g.map((x, i) => (i % 2 === 0 ? Math.min(1, x) : 0)),
              left,
            ),
            { trials: 400, seed: 11 },
          );
          for (const other of [bigger, growing]) {
            if (other.status !== 'OK') continue;
            expect(later(base.p50Weeks, other.p50Weeks)).toBe(true);
            expect(later(base.p85Weeks, other.p85Weeks)).toBe(true);
            expect(later(base.p95Weeks, other.p95Weeks)).toBe(true);
          }
        },
      ),
      run,
    );
  });
});

describe('the block walk counts the weeks of the week-by-week walk, draw for draw', () => {
  const counts = (net: number[], remaining: number, trials: number, seed: number) => [
    Array.from(weekCounts(Float64Array.from(net), remaining, { trials, seed })),
    Array.from(weeklyCounts(Float64Array.from(net), remaining, { trials, seed })),
  ];

  it('on random histories: gains, losses, zero weeks, every history length it walks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -40, max: 90 }), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 1, max: 2_000 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer(),
        fc.constantFrom(1, 10_000, U, 7_919),
        (net, left, trials, seed, unit) => {
          const [blocks, weekly] = counts(
            net.map((x) => x * unit),
            left * unit,
            trials,
            seed,
          );
          expect(blocks).toEqual(weekly);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('on histories longer than 16 weeks, walked over single draws', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -40, max: 90 }), { minLength: 17, maxLength: 60 }),
        fc.integer({ min: 1, max: 2_000 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer(),
        (net, left, trials, seed) => {
          const [blocks, weekly] = counts(net, left, trials, seed);
          expect(blocks).toEqual(weekly);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('at the horizon, past the 32-bit range, and with fractions', () => {
    // Barely converging: most trials reach the last two single weeks or pass the horizon.
    const slow = [3, -2, 0, 1, -1, 0];
    expect(counts(slow, 80, 3_000, 4)[0]).toEqual(counts(slow, 80, 3_000, 4)[1]);
    // Sums beyond 2³¹ after dividing out the common factor: the walk takes doubles.
    const big = [2 ** 40 + 1, 3, -(2 ** 39), 7];
    const [b, w] = counts(big, 2 ** 45 + 11, 2_000, 9);
    expect(b).toEqual(w);
    const [f1, f2] = counts([0.5, 1.25, -0.1], 40.3, 500, 2);
    expect(f1).toEqual(f2);
    // The draws are kept between calls: a second node with the same history length draws them.
    for (const seed of [4, 5, 4])
      expect(counts([5, 1, 9, -3, 2, 2], 60, 1_000, seed)[0]).toEqual(
        counts([5, 1, 9, -3, 2, 2], 60, 1_000, seed)[1],
      );
  });

  it('the week-by-week walk is what the forecast promises: 5 a week, 50 left, 10 weeks', () => {
    const weeks = weeklyCounts(Float64Array.from([5, 5, 5]), 50, { trials: 100, seed: 1 });
    expect(weeks[10]).toBe(100);
  });
});

describe('a simulation run a range of trials at a time', () => {
  const add = (a: Int32Array, b: Int32Array) => Array.from(a, (x, w) => x + b[w]!);

  it('counts, over consecutive ranges, the weeks of all the trials at once, on every walk', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -40, max: 90 }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 2_000 }),
        fc.integer({ min: 2, max: 300 }),
        fc.integer(),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom(1, 0.5),
        (net, left, trials, seed, at, unit) => {
          const split = Math.floor(at * trials);
          const o = { trials, seed };
          const values = Float64Array.from(net, (x) => x * unit);
          const whole = Array.from(weekCounts(values, left, o));
          const parts = add(
            weekCounts(values, left, o, 0, split),
            weekCounts(values, left, o, split, trials),
          );
          expect(parts).toEqual(whole);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('pauses between ranges and answers what one pass over every trial answers', () => {
    const points = history([2, 3, 0, 1, 4, 2, 1, 3], [1, 0, 0, 1, 0, 2, 0, 0], 60);
    // 15,000 trials walk the kept draw tables; 25,000 draw each week directly.
    for (const trials of [TRIALS_PER_SLICE + 5_000, 2 * TRIALS_PER_SLICE + 5_000]) {
      const o = { trials, seed: 3 };
      const slices = forecastInSlices(points, o);
      let pauses = 0;
      let step = slices.next();
      for (; !step.done; step = slices.next()) pauses++;
      expect(pauses).toBe(Math.ceil(trials / TRIALS_PER_SLICE) - 1);
      expect(step.value).toEqual(forecast(points, o));
      // The same percentiles from the week counts of every trial in one walk.
      const f = step.value;
      const net = Float64Array.from({ length: points.length - 1 }, (_, i) => {
        const [a, b] = [points[i]!, points[i + 1]!];
        return b.credit - a.credit - (b.counted - a.counted);
      });
      const counts = weekCounts(net, f.remaining, o);
      const at = (q: number) => {
        let seen = 0;
        for (let w = 0; ; w++) if ((seen += counts[w]!) >= Math.ceil(q * trials)) return w;
      };
      expect([f.p50Weeks, f.p85Weeks, f.p95Weeks]).toEqual([at(0.5), at(0.85), at(0.95)]);
    }
  });
});
