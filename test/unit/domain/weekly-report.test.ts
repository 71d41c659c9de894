import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reportWeekNumber } from '../../../src/domain/weekly-report.js';

const isoDay = (year: number, dayOfYear: number) =>
  new Date(Date.UTC(year, 0, 1 + dayOfYear)).toISOString().slice(0, 10);
const daysIn = (year: number) => (new Date(Date.UTC(year, 1, 29)).getUTCDate() === 29 ? 366 : 365);

describe('reportWeekNumber (weeks start Monday, week 1 holds 1 January)', () => {
  it.each([
    ['2023-05-13', 20], // the report's 第20周 (ISO would say 19)
    ['2023-01-01', 1], // a Sunday
    ['2023-01-02', 2], // the first Monday
    ['2023-05-07', 19],
    ['2023-05-08', 20],
    ['2023-12-31', 53],
    ['2024-01-01', 1], // a Monday
    ['2024-01-07', 1],
    ['2024-01-08', 2],
    ['2024-02-29', 9],
    ['2024-12-31', 53],
    ['2012-12-31', 54], // a leap year that starts on a Sunday reaches 54
  ])('%s → %i', (date, week) => {
    expect(reportWeekNumber(date)).toBe(week);
  });

  it('is 1 on 1 January, stays in 1..54 and only steps up, by one, on Mondays', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2199 }), (year) => {
        expect(reportWeekNumber(isoDay(year, 0))).toBe(1);
        for (let d = 1; d < daysIn(year); d += 1) {
          const before = reportWeekNumber(isoDay(year, d - 1));
          const week = reportWeekNumber(isoDay(year, d));
          const monday = new Date(`${isoDay(year, d)}T00:00:00Z`).getUTCDay() === 1;
          expect(week).toBeGreaterThanOrEqual(1);
          expect(week).toBeLessThanOrEqual(54);
          expect(week - before).toBe(monday ? 1 : 0);
        }
      }),
      { numRuns: 60 },
    );
  });
  it('0050-01-01 (a year under 100) is week 1', () => {
    expect(reportWeekNumber('0050-01-01')).toBe(1);
  });
});
