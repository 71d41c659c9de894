import { describe, expect, it } from 'vitest';
import { formatMetricLine, type MetricFacts } from '../../../src/domain/metric-lines.js';
import type { Decimal } from '../../../src/domain/decimal.js';

const d = (n: number): Decimal => ({ units: BigInt(n), scale: 0 });
const cost = (latest: [number, string | null], previous: [number, string | null]): MetricFacts => ({
  name: '实收成本',
  unit: '元',
  group: null,
  direction: 'DOWN',
  burnDown: false,
  latest: { value: d(latest[0]), lowerBound: false, period: latest[1] },
  previous: { value: d(previous[0]), lowerBound: false, period: previous[1] },
  met: null,
  progress: null,
});

describe('a monthly figure compared with its previous reading', () => {
  it('names the month before as 上月, another month by name, and its year when it differs', () => {
    const lines = (f: MetricFacts) => [formatMetricLine(f, 'zh-CN'), formatMetricLine(f, 'en')];
    expect(lines(cost([90, '2026-12'], [100, '2026-11']))).toEqual([
      '12月份实收成本：90，较上月降低10元',
      '实收成本 (Dec 2026): 90, down 10元 on the previous month',
    ]);
    expect(lines(cost([90, '2026-12'], [100, '2026-09']))[0]).toBe(
      '12月份实收成本：90，较9月份降低10元',
    );
    // 较12月份 beside 12月份 read as the same month.
    expect(lines(cost([90, '2026-12'], [100, '2025-12']))).toEqual([
      '12月份实收成本：90，较2025年12月份降低10元',
      '实收成本 (Dec 2026): 90, down 10元 on Dec 2025',
    ]);
    // A reading without a month printed 较11月份 (the latest's own) and, in English, "on ?".
    expect(lines(cost([90, '2026-11'], [100, null]))).toEqual([
      '11月份实收成本：90，较上次读数降低10元',
      '实收成本 (Nov 2026): 90, down 10元 on the previous reading',
    ]);
    // A month read twice (a correction) printed 4月份实收成本：90，较4月份降低10元.
    expect(lines(cost([90, '2026-04'], [100, '2026-04']))).toEqual([
      '4月份实收成本：90，较上次读数降低10元',
      '实收成本 (Apr 2026): 90, down 10元 on the previous reading',
    ]);
  });
});
