import { afterEach, describe, expect, it, vi } from 'vitest';
import { Deadline } from '../../../src/graphql/deadline.js';

/**
 * A query's branches share one slice of the event loop: however many check at once, the work
 * done between two turns of the loop stays about one slice (20 ms), not one slice per branch.
 * The clock is the test's: each unit of work advances it 8 ms.
 */
describe('Deadline', () => {
  afterEach(() => vi.restoreAllMocks());

  it('lets many branches run about one slice between two turns of the loop, not one each', async () => {
    let clock = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => clock);
    const deadline = new Deadline(Date.now() + 60_000, 60_000, new AbortController().signal);
    let turn = 0;
    const unitsPerTurn = new Map<number, number>();
    let ticking = true;
    const ticker = (async () => {
      while (ticking) {
        await new Promise((r) => setImmediate(r));
        turn++;
      }
    })();
    const branch = async () => {
      for (let unit = 0; unit < 6; unit++) {
        for (let wait; (wait = deadline.yieldIfDue());) await wait;
        clock += 8; // the unit of work, run at once after its check
        unitsPerTurn.set(turn, (unitsPerTurn.get(turn) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 20 }, branch));
    ticking = false;
    await ticker;
    const total = [...unitsPerTurn.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(120);
    // 20 ms of slice, 8 ms a unit: three units start within a slice, so at most 3 a turn.
    expect(Math.max(...unitsPerTurn.values())).toBeLessThanOrEqual(3);
  });

  it('throws TIMEOUT at a check past the time, waiting or not', async () => {
    const late = new Deadline(Date.now() - 1, 10_000, new AbortController().signal);
    expect(() => late.yieldIfDue()).toThrow(/10 秒/);
    await expect(late.check()).rejects.toThrow(/10 秒/);
  });
});
