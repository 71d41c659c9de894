import { describe, expect, it } from 'vitest';
import type { Locale } from '../../../src/domain/item-status.js';
import {
  formatProgressReport,
  type InitiativeSection,
  type ProgressReport,
} from '../../../src/domain/progress-report.js';

/** A section with only a header and numbered lines (no metrics, milestones or updates). */
const section = (
  name: string,
  objective: string | null,
  header: string | null,
  lines: string[] = [],
): InitiativeSection => ({
  name,
  objective,
  header,
  lines,
  updates: [],
  metrics: [],
  milestones: [],
});

const report = (initiatives: InitiativeSection[], date = '2023-05-13'): ProgressReport => ({
  date,
  initiatives,
  objectiveUpdates: [],
  reflections: [],
  nextWeek: [],
});

const SECTIONS = [
  section('其他事项', null, '其他事项总进度：50.00%'),
  section('POS收单系统建设', '【O1 服务业务】', 'POS总进度：75.00%', ['1.【联机】']),
  section('HIVE标准数仓建设', '【O2系统升级】', 'H总进度：87.23%', [
    '1.【甲】，进度：P。',
    '2.【乙】，进度：Q。',
  ]),
  section('支付账户2.0升级', '【O2系统升级】', '账户总进度：60.00%'),
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

describe('formatProgressReport', () => {
  it.each<[Locale, string, string, string]>([
    ['zh-CN', '# 第20周 2023/05/13', '# 上周进展', '【其他】'],
    ['en', '# Week 20, 2023-05-13', '# Last week', '[Other]'],
  ])(
    '%s: objectives in first-seen order, 其他 last, lettered, header bulleted, lines indented',
    (locale, title, progress, other) => {
      expect(formatProgressReport(report(SECTIONS), locale)).toBe(
        [title, '', progress, ...body(other)].join('\n') + '\n',
      );
    },
  );

  it.each<[Locale, string]>([
    ['zh-CN', '# 第1周 2024/01/01\n\n# 上周进展\n'],
    ['en', '# Week 1, 2024-01-01\n\n# Last week\n'],
  ])('%s: no initiatives → the titles alone, one trailing newline', (locale, expected) => {
    expect(formatProgressReport(report([], '2024-01-01'), locale)).toBe(expected);
  });

  it.each<[Locale, string]>([
    ['zh-CN', '# 第20周 2023/05/13\n\n# 上周进展\n\n## 【其他】\n\n### A. 空\n'],
    ['en', '# Week 20, 2023-05-13\n\n# Last week\n\n## [Other]\n\n### A. 空\n'],
  ])('%s: an initiative without anything to say is its heading only', (locale, expected) => {
    expect(formatProgressReport(report([section('空', null, null)]), locale)).toBe(expected);
  });

  it('letters restart at A under each objective and follow input order', () => {
    const sections = ['丙', '甲', '乙'].map((name) => section(name, '【O1】', null));
    const out = formatProgressReport(report([...sections, section('丁', '【O2】', null)]), 'zh-CN');
    const headings = out.split('\n').filter((line) => line.startsWith('###'));
    expect(headings).toEqual(['### A. 丙', '### B. 甲', '### C. 乙', '### A. 丁']);
  });

  it.each<[Locale, string, string]>([
    ['zh-CN', '## 【其他】', '成功率：'],
    ['en', '## [Other]', '成功率:'],
  ])(
    '%s: an update written under 【其他】 joins the initiatives without an objective; a metric category takes the locale’s colon',
    (locale, other, category) => {
      const misc = {
        ...section('杂项', null, null),
        metrics: [{ category: '成功率', lines: ['入金有效成功率：99.81%'] }],
      };
      const out = formatProgressReport(
        {
          ...report([misc]),
          objectiveUpdates: [{ objective: '【其他】', body: 'Q4 planning' }],
        },
        locale,
      );
      const headings = out.split('\n').filter((line) => line.startsWith('## '));
      expect(headings).toEqual([other]);
      expect(out).toContain(`${other}\n\n- Q4 planning\n`);
      expect(out.split('\n')).toContain(category);
    },
  );
});

describe('an initiative of metrics only', () => {
  const metricsOnly = (name: string, objective: string | null): InitiativeSection => ({
    ...section(name, objective, null),
    metrics: [{ category: '', lines: ['入金成功率：99.81%'] }],
  });
  it('is named by its objective alone, and lettered beside other initiatives', () => {
    const alone = formatProgressReport(
      report([metricsOnly('系统运行', '【系统运行数据】')]),
      'zh-CN',
    );
    expect(alone).toContain('## 【系统运行数据】\n\n- 入金成功率：99.81%');
    expect(alone).not.toContain('### ');
    // Its lines ran on under the initiative before it, as if they were that one's.
    const beside = formatProgressReport(
      report([section('grow项目', null, 'grow总进度：50.00%'), metricsOnly('指标项目', null)]),
      'zh-CN',
    );
    expect(beside).toContain('### A. grow项目');
    expect(beside).toContain('### B. 指标项目\n\n- 入金成功率：99.81%');
  });
});
