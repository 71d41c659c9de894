import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Locale } from '../../../src/domain/item-status.js';
import {
  formatWeeklyReport,
  reportWeekNumber,
  type InitiativeReport,
} from '../../../src/domain/weekly-report.js';

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

const REPORTS: InitiativeReport[] = [
  { name: '其他事项', objective: null, lines: ['其他事项总进度：50.00%'] },
  {
    name: 'HIVE标准数仓建设',
    objective: '【O2系统升级】',
    lines: ['H总进度：87.23%', '1.【甲】，进度：P。', '2.【乙】，进度：Q。'],
  },
  {
    name: 'POS收单系统建设',
    objective: '【O1 服务业务】',
    lines: ['POS总进度：75.00%', '1.【联机】'],
  },
  { name: '支付账户2.0升级', objective: '【O2系统升级】', lines: ['账户总进度：60.00%'] },
];

const body = (other: string) => [
  '',
  '## 【O1 服务业务】',
  '',
  '### A. POS收单系统建设',
  '',
  '- POS总进度：75.00%',
  '    1.【联机】',
  '',
  '## 【O2系统升级】',
  '',
  '### A. HIVE标准数仓建设',
  '',
  '- H总进度：87.23%',
  '    1.【甲】，进度：P。',
  '    2.【乙】，进度：Q。',
  '',
  '### B. 支付账户2.0升级',
  '',
  '- 账户总进度：60.00%',
  '',
  `## ${other}`,
  '',
  '### A. 其他事项',
  '',
  '- 其他事项总进度：50.00%',
];

describe('formatWeeklyReport', () => {
  it.each<[Locale, string, string]>([
    ['zh-CN', '# 第20周 2023/05/13', '【其他】'],
    ['en', '# Week 20, 2023-05-13', '[Other]'],
  ])('%s: objectives sorted, 其他 last, lettered, header bulleted, lines indented', (l, t, o) => {
    expect(formatWeeklyReport(REPORTS, '2023-05-13', l)).toBe([t, ...body(o)].join('\n') + '\n');
  });

  it.each<[Locale, string]>([
    ['zh-CN', '# 第1周 2024/01/01\n'],
    ['en', '# Week 1, 2024-01-01\n'],
  ])('%s: no initiatives → the title alone, one trailing newline', (locale, expected) => {
    expect(formatWeeklyReport([], '2024-01-01', locale)).toBe(expected);
  });

  it.each<[Locale, string]>([
    ['zh-CN', '# 第20周 2023/05/13\n\n## 【其他】\n\n### A. 空\n'],
    ['en', '# Week 20, 2023-05-13\n\n## [Other]\n\n### A. 空\n'],
  ])('%s: an initiative without lines is its heading only', (locale, expected) => {
    const report = { name: '空', objective: null, lines: [] };
    expect(formatWeeklyReport([report], '2023-05-13', locale)).toBe(expected);
  });

  it('letters restart at A under each objective and follow input order', () => {
    const reports = ['丙', '甲', '乙'].map((name) => ({ name, objective: '【O1】', lines: [] }));
    const out = formatWeeklyReport(
      [...reports, { name: '丁', objective: '【O2】', lines: [] }],
      '2023-05-13',
      'zh-CN',
    );
    const headings = out.split('\n').filter((line) => line.startsWith('###'));
    expect(headings).toEqual(['### A. 丙', '### B. 甲', '### C. 乙', '### A. 丁']);
  });
});
