import type { Locale } from './item-status.js';
import { reportDateOf } from './report-day.js';
import type { ReportFigure } from './report-lines.js';
import { WEEK_MS } from './series-times.js';

/** A node's change between the comparison time and the report's time, as a line states it. */
export interface LineChange {
  readonly before: ReportFigure;
  readonly after: ReportFigure;
  readonly completed: number;
}

/**
 * How the comparison time is named: a week before the report, or a date (YYYY-MM-DD), with its
 * year in Chinese when that is not the report's year (`较2022年5月13日`).
 */
export type CompareLabel =
  { readonly lastWeek: true } | { readonly date: string; readonly withYear?: boolean };

/**
 * How a report read at `reportTime` names a comparison at `since`: 上周 when `since` falls on the
 * day a week before the report's (+08:00), else that date. A day, not an instant: `report
 * --compare last-week` takes its week from the client's clock and the report's time from the
 * server's, and a second between the two (a busy machine, a clock off) named a date instead.
 */
export function compareLabelOf(reportTime: number, since: number): CompareLabel {
  const date = reportDateOf(since);
  if (date === reportDateOf(reportTime - WEEK_MS)) return { lastWeek: true };
  return { date, withYear: date.slice(0, 4) !== reportDateOf(reportTime).slice(0, 4) };
}

/**
 * The percent-point change, exact until here: (c1/n1 − c0/n0) × 100 as one rational, rounded
 * half away from zero to two decimals in BigInt, with its sign ("+1.25", "-0.50", "+0.00").
 */
export function formatPointChange(before: ReportFigure, after: ReportFigure): string {
  const [c0, n0, c1, n1] = [before.credit, before.counted, after.credit, after.counted].map(BigInt);
  const num = (c1! * n0! - c0! * n1!) * 100n * 100n; // hundredths of a point
  const den = n0! * n1!;
  const neg = num < 0n;
  const abs = neg ? -num : num;
  const rounded = (abs * 2n + den) / (den * 2n);
  const text = `${rounded / 100n}.${(rounded % 100n).toString().padStart(2, '0')}`;
  return `${neg && rounded !== 0n ? '-' : '+'}${text}`;
}

/**
 * The change as the team writes it after a figure: `（较上周+1.25个百分点，本周完成3个）`, or
 * `（较5月6日…，此后完成3个）` for another date; English ` (+1.25 pp on last week, 3 done this
 * week)`. A node that had nothing counted before says so instead of a change from nothing.
 */
export function formatLineChange(change: LineChange, label: CompareLabel, locale: Locale): string {
  const lastWeek = 'lastWeek' in label;
  const [y, m, d] = lastWeek ? [] : label.date.split('-').map(Number);
  const day = lastWeek ? '' : `${label.withYear ? `${y}年` : ''}${m}月${d}日`;
  // Nothing counted then, or nothing counted now (its items all deleted or moved out): no change
  // in points either way, and each is said as what it is.
  const noBefore = change.before.counted === 0;
  const noneNow = !noBefore && change.after.counted === 0;
  const points = noBefore || noneNow ? null : formatPointChange(change.before, change.after);
  if (locale === 'en') {
    const since = lastWeek ? 'on last week' : `since ${label.date}`;
    const done = `${change.completed} done ${lastWeek ? 'this week' : 'since'}`;
    if (noneNow) return ` (nothing counted now, ${done})`;
    return points === null
      ? ` (no figure ${lastWeek ? 'last week' : `on ${label.date}`}, ${done})`
      : ` (${points} pp ${since}, ${done})`;
  }
  const than = lastWeek ? '较上周' : `较${day}`;
  const done = `${lastWeek ? '本周' : '此后'}完成${change.completed}个`;
  if (noneNow) return `（现已无计入进度的事项，${done}）`;
  return points === null
    ? `（${lastWeek ? '上周' : day}尚无进度，${done}）`
    : `（${than}${points}个百分点，${done}）`;
}

/** A line with its change: before the closing 。 (or .) when it has one, else at the end. */
export function withChange(line: string, change: string): string {
  const end = line.endsWith('。') || line.endsWith('.') ? line.length - 1 : line.length;
  return line.slice(0, end) + change + line.slice(end);
}
