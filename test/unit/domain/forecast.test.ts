import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  forecast,
  MAX_FORECAST_WEEKS,
  MIN_HISTORY_WEEKS,
  type WeeklyFigure,
} from '../../../src/domain/forecast.js';
import { UNITS_PER_ITEM } from '../../../src/domain/units.js';

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
    expect(short.explain).toContain(`${MIN_HISTORY_WEEKS - 1} 周`);
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

  it('leaves a percentile beyond the five-year horizon empty', () => {
    const gains = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const f = forecast(history(gains, [], 100), opts);
    expect(f.status).toBe('OK');
    expect(f.p95Weeks).toBeNull();
    expect(f.explain).toContain(`${MAX_FORECAST_WEEKS} 周`);
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
