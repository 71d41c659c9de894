import { afterEach, describe, expect, it } from 'vitest';
import { MetricsSource } from '../../../src/server/process-metrics.js';

const block = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
});
