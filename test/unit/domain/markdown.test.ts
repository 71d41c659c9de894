import { describe, expect, it } from 'vitest';
import { escapeMarkdown } from '../../../src/domain/markdown.js';
import { formatReportLine, type ReportLineFacts } from '../../../src/domain/report-lines.js';
import { formatProgressReport } from '../../../src/domain/progress-report.js';
import { GOLDEN_HIVE } from '../../helpers/golden-report.js';

/** Quality bar R10: stored text printed into the Markdown report cannot forge its structure. */
describe('escapeMarkdown', () => {
  it.each([
    ['emphasis', '*x* _y_', '\\*x\\* \\_y\\_'],
    ['a link', '[a](b)', '\\[a\\](b)'],
    ['an image', '![i](http://x/y.png)', '!\\[i\\](http://x/y.png)'],
    ['code', '`rm -rf`', '\\`rm -rf\\`'],
    ['a table cell', 'a | b', 'a \\| b'],
    ['HTML', '<b>x</b>', '\\<b\\>x\\</b\\>'],
    ['an autolink', '<http://evil>', '\\<http://evil\\>'],
    ['an entity', '&lt;b&gt;', '\\&lt;b\\&gt;'],
    ['strikethrough', '~~x~~', '\\~\\~x\\~\\~'],
    ['a backslash', 'a\\b', 'a\\\\b'],
    ['a leading heading mark', '# 伪造', '\\# 伪造'],
    ['a leading quote', '> 引用', '\\> 引用'],
    ['a leading list mark', '- x', '\\- x'],
    ['a leading ordered-list mark', '12. x', '12\\. x'],
    ['a leading setext underline', '===', '\\==='],
  ])('escapes %s', (_what, raw, escaped) => {
    expect(escapeMarkdown(raw)).toBe(escaped);
  });

  it.each([
    ['Hive迁移-风控报表'],
    ['Hive数仓建设-其他（周报未列明细）'],
    ['账户2.0升级'],
    ['【O1 服务业务】'],
    ['业务验收投产中'],
    ['迁移 🚀'],
  ])('leaves plain text %s as it is', (text) => {
    expect(escapeMarkdown(text)).toBe(text);
  });

  it('flattens line breaks of names stored before the text rule, and replaces controls', () => {
    expect(escapeMarkdown('X\n## 伪造标题\r\n1.【伪造】')).toBe('X ## 伪造标题  1.【伪造】');
    expect(escapeMarkdown('a\u001b[31mb\u0007\u202Ec\ud800')).toBe(
      'a\uFFFD\\[31mb\uFFFD\uFFFDc\uFFFD',
    );
  });
});

describe('the weekly report prints stored names escaped', () => {
  const facts = (name: string, phase: string | null): ReportLineFacts => ({
    name,
    phase,
    figure: { credit: 0, counted: 1_000_000 },
    total: 1,
    counts: {
      NOT_STARTED: 1,
      IN_PROGRESS: 0,
      PAUSED: 0,
      DONE: 0,
      DECOMMISSIONABLE: 0,
      CANCELLED: 0,
    },
    detail: 'BY_PERCENT',
    doneNames: [],
    inProgress: [],
    inProgressByPercent: new Map(),
  });
  const style = { locale: 'zh-CN' as const, labels: null, lowPercentBucket: null };

  it('a forged name cannot add a heading, a line, a link or HTML', () => {
    const forged = 'X\n## 伪造标题\n1.【伪造】，进度：完成。';
    const line = formatReportLine(facts(`${forged} [a](b) <b>`, '*测试*'), 1, {
      ...style,
      text: escapeMarkdown,
    });
    const md = formatProgressReport(
      {
        date: '2023-05-13',
        initiatives: [
          {
            name: `# ${forged}`,
            objective: '<script>',
            header: '头',
            lines: [line],
            updates: [],
            metrics: [],
            milestones: [],
          },
        ],
        objectiveUpdates: [],
        reflections: [],
        nextWeek: [],
      },
      'zh-CN',
    );
    const lines = md.split('\n');
    expect(lines.filter((l) => l.startsWith('#'))).toEqual([
      '# 第20周 2023/05/13',
      '# 上周进展',
      '## \\<script\\>',
      '### A. \\# X ## 伪造标题 1.【伪造】，进度：完成。',
    ]);
    expect(lines).toContain(
      '    1.【X ## 伪造标题 1.【伪造】，进度：完成。 \\[a\\](b) \\<b\\>】，进度：\\*测试\\*。总计1个，未启动1个。',
    );
    // Titles, objective, initiative, header, one line, five blanks: no forged line or heading.
    expect(lines).toHaveLength(11);
  });

  it('without the escape, plain-text lines keep names as they are', () => {
    expect(formatReportLine(facts('[a](b)', null), 2, style)).toBe(
      '2.【[a](b)】，进度：0.00%。总计1个，未启动1个。',
    );
  });

  it('leaves the week-20 golden lines unchanged', () => {
    for (const golden of GOLDEN_HIVE)
      expect(escapeMarkdown(golden)).toBe(golden.replace(/^(\d+)\./, '$1\\.'));
  });
});
