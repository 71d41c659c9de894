import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { MetricsSource } from '../../../src/server/process-metrics.js';

const block = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A full collection now (the worker runs without --expose-gc; the flag set late still works). */
const collect = (): void => {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
};

describe('MetricsSource', () => {
  let source: MetricsSource | undefined;
  afterEach(() => source?.stop());

  it('reports a block that starts right after a read, before the loop samples again', async () => {
    source = new MetricsSource();
    await tick(20);
    source.read();
    block(60); // no sample can fall between the read and the block
    await tick(20);
    const after = source.read();
    expect(after.eventLoopDelayMs.max).toBeGreaterThanOrEqual(55);
    expect(after.eventLoopDelayMs.p99).toBeLessThanOrEqual(after.eventLoopDelayMs.max);
  });

  it('counts a block in the read that ends it, and not again in the next', async () => {
    source = new MetricsSource();
    await tick(20);
    source.read();
    block(60);
    const ending = source.read(); // the loop has not sampled since the block began
    expect(ending.eventLoopDelayMs.max).toBeGreaterThanOrEqual(55);
    // Not again: a busy machine may stall any one interval, so reads go on until a calm one,
    // which a read still carrying the 60 ms block could never be.
    await expect.poll(() => source!.read().eventLoopDelayMs.max, { interval: 30 }).toBeLessThan(40);
  });

  it('counts the collector’s pauses since the previous read, and starts over after it', async () => {
    source = new MetricsSource();
    await tick(20);
    source.read();
    collect();
    collect();
    // Node hands the observer its entries after the pauses, so reads add up until both came.
    const seen = { count: 0, totalMs: 0, longestMs: 0 };
    await expect
      .poll(
        () => {
          const { gcPauses } = source!.read();
          seen.count += gcPauses.count;
          seen.totalMs += gcPauses.totalMs;
          seen.longestMs = Math.max(seen.longestMs, gcPauses.longestMs);
          return seen.count;
        },
        { interval: 20 },
      )
      .toBeGreaterThanOrEqual(2);
    expect(seen.longestMs).toBeGreaterThan(0);
    expect(seen.totalMs).toBeGreaterThanOrEqual(seen.longestMs);
    // A read with no collection since the one before reads none (the worker's own allocations
    // may bring a young collection now and then, so reads go on until a quiet one).
    await expect.poll(() => source!.read().gcPauses.count, { interval: 20 }).toBe(0);
  });
});
