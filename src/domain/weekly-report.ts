import { assertNever, type Locale } from './item-status.js';
import { escapeMarkdown } from './markdown.js';

/** One initiative's part of the weekly report. */
export interface InitiativeReport {
  readonly name: string;
  readonly objective: string | null;
  /** Already Markdown: made with escapeMarkdown as their `text` (see ReportStyle). */
  readonly lines: readonly string[];
}

/**
 * The team's week number: weeks start on Monday and week 1 holds 1 January (Excel's
 * WEEKNUM(date, 2)). 2023-05-13 is 第20周, as in the report; ISO would say 19.
 */
export function reportWeekNumber(isoDate: string): number {
  const date = new Date(`${isoDate}T00:00:00Z`);
  const jan1 = new Date(0);
  jan1.setUTCFullYear(date.getUTCFullYear(), 0, 1); // Date.UTC would read years 0–99 as 19xx
  const dayOfYear = Math.round((date.getTime() - jan1.getTime()) / 86_400_000);
  const jan1Weekday = (jan1.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return Math.floor((dayOfYear + jan1Weekday) / 7) + 1;
}

const OTHER: Record<Locale, string> = { 'zh-CN': '【其他】', en: '[Other]' };

function title(isoDate: string, locale: Locale): string {
  const week = reportWeekNumber(isoDate);
  switch (locale) {
    case 'zh-CN':
      return `# 第${week}周 ${isoDate.replaceAll('-', '/')}`;
    case 'en':
      return `# Week ${week}, ${isoDate}`;
    default:
      return assertNever(locale);
  }
}

/**
 * The progress part of the weekly report in its own section shape: objectives (【O1 服务业务】…)
 * in order, initiatives lettered A, B, C under each, the header as a bullet and the numbered
 * lines indented under it. Stored text (objectives, names) is escaped: a name cannot forge a
 * heading, a line, a link or HTML.
 */
export function formatWeeklyReport(
  reports: readonly InitiativeReport[],
  isoDate: string,
  locale: Locale,
): string {
  const groups = new Map<string, InitiativeReport[]>();
  for (const report of reports) {
    const key = report.objective ?? OTHER[locale];
    groups.set(key, [...(groups.get(key) ?? []), report]);
  }
  const objectives = [...groups.keys()].sort((a, b) =>
    a === OTHER[locale] ? 1 : b === OTHER[locale] ? -1 : a.localeCompare(b),
  );
  const out = [title(isoDate, locale), ''];
  for (const objective of objectives) {
    out.push(`## ${objective === OTHER[locale] ? objective : escapeMarkdown(objective)}`, '');
    groups.get(objective)!.forEach((report, i) => {
      out.push(`### ${String.fromCharCode(65 + (i % 26))}. ${escapeMarkdown(report.name)}`, '');
      const [header, ...lines] = report.lines;
      if (header) out.push(`- ${header}`);
      for (const line of lines) out.push(`    ${line}`);
      out.push('');
    });
  }
  return `${out.join('\n').trimEnd()}\n`;
}
