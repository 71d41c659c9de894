import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { isoTimeOncePerMs } from '../../../src/server/logger.js';

describe('isoTimeOncePerMs', () => {
  it('gives the text pino.stdTimeFunctions.isoTime gives, for each millisecond', () => {
    let now = Date.UTC(2023, 4, 13, 23, 59, 59, 998);
    const time = isoTimeOncePerMs(() => now);
    for (let step = 0; step < 4; step++) {
      const realNow = Date.now;
      Date.now = () => now;
      try {
        expect(time()).toBe(pino.stdTimeFunctions.isoTime());
      } finally {
        Date.now = realNow;
      }
      expect(time()).toBe(time()); // asked twice within the millisecond
      now += 1; // across midnight and into a new day
    }
    expect(time()).toBe(',"time":"2023-05-14T00:00:00.002Z"');
  });
});
