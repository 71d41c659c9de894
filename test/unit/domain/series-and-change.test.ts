import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../src/domain/errors.js';
import {
  compareLabelOf,
  formatLineChange,
  formatPointChange,
  withChange,
} from '../../../src/domain/report-change.js';
import { earlierTime, MAX_SERIES_POINTS, seriesTimes } from '../../../src/domain/series-times.js';
import { reportDateOf } from '../../../src/domain/report-day.js';
import { slipDays, targetDateChanges } from '../../../src/domain/target-dates.js';
import { UNITS_PER_ITEM as U } from '../../../src/domain/units.js';

const t = (iso: string) => Date.parse(iso);

describe('series times', () => {
  it('steps by day, week and calendar month (+08:00), and ends at to', () => {
    expect(seriesTimes(t('2024-01-01T00:00:00Z'), t('2024-01-15T00:00:00Z'), 'WEEK')).toHaveLength(
      3,
    );
    // A series ends at its end: 3 January 12:00 is a point of its own after the days' steps.
    expect(seriesTimes(t('2024-01-01T00:00:00Z'), t('2024-01-03T12:00:00Z'), 'DAY')).toEqual([
      t('2024-01-01T00:00:00Z'),
      t('2024-01-02T00:00:00Z'),
      t('2024-01-03T00:00:00Z'),
      t('2024-01-03T12:00:00Z'),
    ]);
    // 26 weeks back from a clock a second ahead of the end: the last point is still the end.
    const end = t('2026-12-02T13:30:00Z');
    const weeks = seriesTimes(end - 26 * 7 * 86_400_000 + 1_000, end, 'WEEK');
    expect(weeks).toHaveLength(27);
    expect(weeks.at(-1)).toBe(end);
    // …and from a clock five seconds behind: the last step is the end, not a second point by it.
    const behind = seriesTimes(end - 26 * 7 * 86_400_000 - 5_000, end, 'WEEK');
    expect(behind).toHaveLength(27);
    expect(behind.at(-1)).toBe(end);
    expect(end - behind.at(-2)!).toBe(7 * 86_400_000 + 5_000);
    const months = seriesTimes(
      t('2024-01-31T00:00:00+08:00'),
      t('2024-04-30T00:00:00+08:00'),
      'MONTH',
    );
    expect(months.map((m) => new Date(m + 8 * 3_600_000).toISOString().slice(0, 10))).toEqual([
      '2024-01-31',
      '2024-02-29',
      '2024-03-31',
      '2024-04-30',
    ]);
  });

  it('refuses from after to and more than 1,000 points, before making any', () => {
    expect(() => seriesTimes(2, 1, 'DAY')).toThrow(DomainError);
    const start = performance.now();
    expect(() => seriesTimes(0, 8.64e15, 'DAY')).toThrow(`${MAX_SERIES_POINTS}`);
    expect(() => seriesTimes(0, 8.64e15, 'MONTH')).toThrow(DomainError);
    expect(performance.now() - start).toBeLessThan(50);
    expect(seriesTimes(0, (MAX_SERIES_POINTS - 1) * 86_400_000, 'DAY')).toHaveLength(
      MAX_SERIES_POINTS,
    );
  });
});

describe('the report’s calendar date', () => {
  it.each([
    ['2026-11-30T15:59:59.999Z', '2026-11-30'],
    ['2026-11-30T16:00:00.000Z', '2026-12-01'], // midnight in China
    ['2026-11-30T23:38:00.000Z', '2026-12-01'], // 07:38 on a Monday in China, Sunday in UTC
    ['2023-05-13T15:59:59.999Z', '2023-05-13'],
  ])('%s is %s', (iso, day) => expect(reportDateOf(Date.parse(iso))).toBe(day));
});

describe('weekly change wording', () => {
  const fig = (credit: number, counted: number) => ({ credit: credit * U, counted: counted * U });
  it('states the exact point change, half away from zero', () => {
    expect(formatPointChange(fig(80, 100), fig(81.25, 100))).toBe('+1.25');
    expect(formatPointChange(fig(81, 100), fig(80.5, 100))).toBe('-0.50');
    expect(formatPointChange(fig(1, 3), fig(1, 3))).toBe('+0.00');
    // 2/3 − 1/3 = 33.333… points
    expect(formatPointChange(fig(1, 3), fig(2, 3))).toBe('+33.33');
  });

  it('in the team’s words, Chinese and English', () => {
    const change = { before: fig(80, 100), after: fig(81.25, 100), completed: 3 };
    expect(formatLineChange(change, { lastWeek: true }, 'zh-CN')).toBe(
      '（较上周+1.25个百分点，本周完成3个）',
    );
    expect(formatLineChange(change, { date: '2023-05-06' }, 'zh-CN')).toBe(
      '（较5月6日+1.25个百分点，此后完成3个）',
    );
    expect(formatLineChange(change, { lastWeek: true }, 'en')).toBe(
      ' (+1.25 pp on last week, 3 done this week)',
    );
    expect(formatLineChange({ ...change, before: fig(0, 0) }, { lastWeek: true }, 'zh-CN')).toBe(
      '（上周尚无进度，本周完成3个）',
    );
    // Progress last week and nothing counted now (its items deleted): not "no progress last week".
    const gone = { before: fig(1, 4), after: fig(0, 0), completed: 0 };
    expect(formatLineChange(gone, { lastWeek: true }, 'zh-CN')).toBe(
      '（现已无计入进度的事项，本周完成0个）',
    );
    expect(formatLineChange(gone, { lastWeek: true }, 'en')).toBe(
      ' (nothing counted now, 0 done this week)',
    );
    expect(withChange('1.【A】，进度：x。', '（…）')).toBe('1.【A】，进度：x（…）。');
    expect(formatLineChange(change, { date: '2022-05-06', withYear: true }, 'zh-CN')).toBe(
      '（较2022年5月6日+1.25个百分点，此后完成3个）',
    );
    expect(
      formatLineChange(
        { ...change, before: fig(0, 0) },
        { date: '2022-05-06', withYear: true },
        'zh-CN',
      ),
    ).toBe('（2022年5月6日尚无进度，此后完成3个）');
  });

  // `report --compare last-week` takes its week from the client's clock, the report's time from
  // the server's: on a busy machine the two were seconds apart and the lines named a date.
  it('names a comparison on the day a week before the report 上周, whatever its hour', () => {
    const report = t('2026-12-06T09:00:00+08:00');
    for (const since of [
      report - 7 * 86_400_000,
      report - 7 * 86_400_000 - 5_000,
      report - 7 * 86_400_000 + 30_000,
      t('2026-11-29T00:00:00+08:00'),
      t('2026-11-29T23:59:59.999+08:00'),
    ])
      expect(compareLabelOf(report, since)).toEqual({ lastWeek: true });
    expect(compareLabelOf(report, t('2026-11-28T23:59:59.999+08:00'))).toEqual({
      date: '2026-11-28',
      withYear: false,
    });
    expect(compareLabelOf(report, t('2026-11-30T00:00:00+08:00'))).toEqual({
      date: '2026-11-30',
      withYear: false,
    });
    // The day is the report's (+08:00), not UTC's: 2026-11-28T20:00Z is the 29th there.
    expect(compareLabelOf(report, t('2026-11-28T20:00:00Z'))).toEqual({ lastWeek: true });
    expect(compareLabelOf(t('2027-01-03T10:00:00+08:00'), t('2026-12-20T10:00:00+08:00'))).toEqual({
      date: '2026-12-20',
      withYear: true,
    });
  });

  it('reads a change from an earlier time only: a minute of clock skew is no change', () => {
    const end = t('2024-01-10T00:00:00Z');
    expect(earlierTime(end - 1, end, 'since')).toBe(end - 1);
    expect(earlierTime(end + 30_000, end, 'since')).toBe(end);
    expect(() => earlierTime(end + 61_000, end, 'since')).toThrow(DomainError);
    expect(() => earlierTime(Number.NaN, end, 'since')).toThrow(DomainError);
  });
});

describe('target-date history', () => {
  const row = (kind: string, data: object, at: number) => ({
    kind,
    data: JSON.stringify(data),
    actor: 'a',
    effectiveAt: at,
    recordedAt: at,
  });
  it('lists the changes and the slip from the first target to the current one', () => {
    const changes = targetDateChanges([
      row('WorkstreamCreated', { state: { targetDate: '2024-03-01' } }, 1),
      row('WorkstreamTargetDateSet', { from: '2024-03-01', to: '2024-03-15' }, 2),
      row('WorkstreamTargetDateSet', { from: '2024-03-15', to: '2024-04-01' }, 3),
    ]);
    expect(changes.map((c) => c.to)).toEqual(['2024-03-01', '2024-03-15', '2024-04-01']);
    expect(slipDays(changes, '2024-04-01')).toBe(31);
    expect(slipDays([], '2024-04-01')).toBe(0);
    expect(slipDays(changes, null)).toBeNull();
  });
});
