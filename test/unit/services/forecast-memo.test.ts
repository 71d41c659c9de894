import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.js';
import { forecast, TRIALS_PER_SLICE, type WeeklyFigure } from '../../../src/domain/forecast.js';
import { UNITS_PER_ITEM } from '../../../src/domain/units.js';
import { ForecastMemo } from '../../../src/services/forecast-memo.js';

const o = { trials: 200, seed: 1 };

/** Ten weeks of a node's figures, different for each n: `n` items of scope beyond the done. */
function history(n: number): WeeklyFigure[] {
  return Array.from({ length: 10 }, (_, w) => ({
    credit: (w * 3 + (w % 3)) * UNITS_PER_ITEM,
    counted: (40 + n + w) * UNITS_PER_ITEM,
  }));
}

describe('ForecastMemo', () => {
  it('keeps at most its number of entries, the least recently used out first', async () => {
    const memo = new ForecastMemo(Infinity, 20);
    for (let n = 0; n < 100; n++) {
      expect(await memo.forecast(history(n), o)).toEqual(forecast(history(n), o));
      expect(memo.size).toBeLessThanOrEqual(20);
    }
    expect(memo.size).toBe(20);
    // Kept: 80–99, 80 the least recently used. Used again, it outlives 81.
    await memo.forecast(history(80), o);
    await memo.forecast(history(100), o);
    const hits = memo.hits;
    await memo.forecast(history(80), o);
    expect(memo.hits - hits).toBe(1);
    await memo.forecast(history(81), o);
    expect(memo.hits - hits).toBe(1);
  });

  it('keeps at most its bytes', async () => {
    const memo = new ForecastMemo(4_000);
    for (let n = 0; n < 100; n++) {
      await memo.forecast(history(n), { trials: 200 + n, seed: n });
      expect(memo.bytes).toBeLessThanOrEqual(4_000);
    }
    expect(memo.size).toBeGreaterThan(1);
    // An answer larger than the whole budget is answered, not kept, and pushes nothing out.
    const kept = memo.size;
    const long = Array.from({ length: 200 }, (_, w) => history(w % 7)[w % 10]!);
    expect(await memo.forecast(long, o)).toEqual(forecast(long, o));
    expect(memo.size).toBe(kept);
    expect(memo.bytes).toBeLessThanOrEqual(4_000);
  });

  it('answers inputs that differ in one respect each with its own forecast', async () => {
    const base = history(5);
    const withGap = [base[0]!, null, ...base.slice(1)];
    const variants: [(WeeklyFigure | null)[], typeof o][] = [
      [base, o],
      [base, { ...o, seed: 2 }],
      [base, { ...o, trials: 300 }],
      [withGap, o], // the week before the gap is no longer history
      [base.map((p, w) => (w === 4 ? { ...p, credit: p.credit + 1 } : p)), o],
      [base.map((p, w) => (w === 4 ? { ...p, counted: p.counted + 1 } : p)), o],
      [base.slice(1), o],
    ];
    const memo = new ForecastMemo();
    for (const [points, options] of variants)
      expect(await memo.forecast(points, options)).toEqual(forecast(points, options));
    expect(memo.hits).toBe(0);
  });
});

describe('ForecastMemo before each range of trials', () => {
  it('runs before each range of a long simulation, awaited only when it asks, not for a kept one', async () => {
    const memo = new ForecastMemo();
    const long = { trials: 3 * TRIALS_PER_SLICE + 1, seed: 7 };
    let calls = 0;
    let waits = 0;
    // Every other call asks the simulation to wait a turn, and is asked again after it; the
    // others let it go on at once: four ranges, the last three after a wait.
    const before = () =>
      ++calls % 2 === 0 ? new Promise<void>((r) => setImmediate(() => r(void waits++))) : undefined;
    expect(await memo.forecast(history(3), long, before)).toEqual(forecast(history(3), long));
    expect([calls, waits]).toEqual([7, 3]);
    await memo.forecast(history(3), long, before);
    expect(calls).toBe(7);
  });

  it('stops where before throws, keeping nothing', async () => {
    const memo = new ForecastMemo();
    const long = { trials: 2 * TRIALS_PER_SLICE, seed: 7 };
    let calls = 0;
    const stop = () => {
      if (++calls > 1) throw new Error('past the deadline');
      return undefined;
    };
    await expect(memo.forecast(history(4), long, stop)).rejects.toThrow('past the deadline');
    expect(memo.size).toBe(0);
  });
});

describe('JINDU_FORECAST_CACHE', () => {
  it('is on unless set to false', () => {
    expect(loadConfig({}).forecastCache).toBe(true);
    expect(loadConfig({ JINDU_FORECAST_CACHE: 'false' }).forecastCache).toBe(false);
    expect(loadConfig({ JINDU_FORECAST_CACHE: '1' }).forecastCache).toBe(true);
    expect(() => loadConfig({ JINDU_FORECAST_CACHE: 'sometimes' })).toThrow(ConfigError);
  });
});

describe('ForecastMemo with branches that wait their turns', () => {
  it('keeps one entry, counted once, when two branches simulate the same inputs at once', async () => {
    const memo = new ForecastMemo();
    const long = { trials: 2 * TRIALS_PER_SLICE, seed: 9 };
    let calls = 0;
    // Every second ask waits a turn: both branches miss, wait, and finish one after the other.
    const before = () =>
      ++calls % 2 === 0 ? new Promise<void>((r) => setImmediate(r)) : undefined;
    const [a, b] = await Promise.all([
      memo.forecast(history(6), long, before),
      memo.forecast(history(6), long, before),
    ]);
    expect(a).toEqual(b);
    expect(memo.size).toBe(1);
    expect(memo.bytes).toBe(await sizeOfOne(history(6), long));
  });
});

/** The bytes one forecast of these inputs takes in an empty memo. */
async function sizeOfOne(points: WeeklyFigure[], o: { trials: number; seed: number }) {
  const memo = new ForecastMemo();
  await memo.forecast(points, o);
  return memo.bytes;
}
