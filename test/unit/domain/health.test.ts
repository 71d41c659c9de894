import { describe, expect, it } from 'vitest';
import { healthOf, type HealthFacts } from '../../../src/domain/health.js';
import { healthReason } from '../../../src/domain/health-words.js';

const base: HealthFacts = {
  targetDate: '2024-06-30',
  today: '2024-03-01',
  complete: false,
  forecast: {
    status: 'OK',
    p50: '2024-05-01',
    p85: '2024-06-01',
    horizon: '2029-02-23',
    why: { kind: 'SHORT_HISTORY', weeks: 2, min: 6 },
  },
  manual: null,
};
const ok = (p50: string | null, p85: string | null) => ({
  ...base,
  forecast: { ...base.forecast, p50, p85 },
});

describe('health rule table', () => {
  it.each([
    ['P85 before the target', ok('2024-05-01', '2024-06-01'), 'ON_TRACK'],
    ['P85 on the target', ok('2024-05-01', '2024-06-30'), 'ON_TRACK'],
    ['P50 on the target, P85 after', ok('2024-06-30', '2024-07-01'), 'AT_RISK'],
    ['P50 before, P85 beyond the horizon', ok('2024-06-01', null), 'AT_RISK'],
    ['P50 after the target', ok('2024-07-01', '2024-08-01'), 'OFF_TRACK'],
    ['P50 beyond the horizon, the target before it', ok(null, null), 'OFF_TRACK'],
    [
      'P50 beyond the horizon, the target beyond it too',
      { ...ok(null, null), targetDate: '2036-12-31' },
      'UNKNOWN',
    ],
    ['target passed below 100%', { ...base, today: '2024-07-01' }, 'OFF_TRACK'],
    ['complete', { ...base, complete: true, today: '2024-07-01' }, 'DONE'],
    ['forecast done', { ...base, forecast: { ...base.forecast, status: 'DONE' as const } }, 'DONE'],
    ['no target', { ...base, targetDate: null }, 'NO_TARGET'],
    [
      'too little history',
      { ...base, forecast: { ...base.forecast, status: 'INSUFFICIENT_HISTORY' as const } },
      'UNKNOWN',
    ],
    [
      'not converging',
      { ...base, forecast: { ...base.forecast, status: 'NOT_CONVERGING' as const } },
      'OFF_TRACK',
    ],
  ])('%s → %s', (_case, facts, status) => {
    const h = healthOf(facts);
    expect(h.status).toBe(status);
    expect(h.source).toBe('COMPUTED');
    // One reason, two languages: Chinese, and English without a Chinese word left in it.
    expect(healthReason(h.why, 'zh-CN')).toMatch(/[\u4e00-\u9fff]/);
    expect(healthReason(h.why, 'en')).toMatch(/^[\x20-\x7e]+$/);
    // One sentence: no capital after a colon or semicolon ("Target 2027-06-01; Over the…").
    expect(healthReason(h.why, 'en')).not.toMatch(/[;:] [A-Z][a-z]/);
  });

  it('a hand-set health wins, with its reason and actor, over any computed one', () => {
    const manual = { status: 'AT_RISK' as const, reason: '供应商延期', actor: 'pm-alice', at: 0 };
    for (const facts of [base, { ...base, complete: true }, { ...base, targetDate: null }]) {
      const h = healthOf({ ...facts, manual });
      expect(h).toMatchObject({ status: 'AT_RISK', source: 'MANUAL' });
      expect(healthReason(h.why, 'zh-CN')).toContain('供应商延期');
      expect(healthReason(h.why, 'zh-CN')).toContain('pm-alice');
      expect(healthReason(h.why, 'en')).toBe('供应商延期 (set by hand by pm-alice)');
    }
  });

  it('says beyond the horizon in weeks, and never that a date it cannot see is later', () => {
    const far = healthOf({ ...ok(null, null), targetDate: '2036-12-31' });
    expect(healthReason(far.why, 'zh-CN')).toBe(
      '预计完成日期在 260 周以后（50%），超出预测范围（2029-02-23），无法判断是否晚于目标 2036-12-31',
    );
    const risk = healthOf({ ...ok('2024-06-01', null), targetDate: '2024-06-30' });
    expect(healthReason(risk.why, 'en')).toBe(
      'Expected done by 2024-06-01 (50%), no later than the target 2024-06-30, but the 85% date is more than 260 weeks away',
    );
  });
});
