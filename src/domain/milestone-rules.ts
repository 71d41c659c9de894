import { DomainError } from './errors.js';
import { assertNever, type Locale } from './item-status.js';

/**
 * A milestone's due date as the team says it: a day (预计6/15完成), the week holding a day
 * (预计下周评审) or a month (预计5月份进场检查). Stored as an ISO date plus a precision.
 */
export const DUE_PRECISIONS = ['DAY', 'WEEK', 'MONTH'] as const;
export type DuePrecision = (typeof DUE_PRECISIONS)[number];

export interface Due {
  /** YYYY-MM-DD: the day, a day in the week, or the first of the month. */
  readonly date: string;
  readonly precision: DuePrecision;
}

/** Milestones an initiative may carry, its workstreams' included (a bound on every list). */
export const MAX_MILESTONES = 100;

const DAY_MS = 86_400_000;
const dayOf = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const isoOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function validDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const ms = dayOf(text);
  return Number.isFinite(ms) && isoOf(ms) === text;
}

/**
 * A due date's precision as given (null: from the date), or INVALID_INPUT. The API takes it as
 * a string: an unknown one was stored, and every later read of the milestone failed on it.
 */
export function duePrecision(given: string | null | undefined): DuePrecision | null {
  if (given === null || given === undefined) return null;
  if ((DUE_PRECISIONS as readonly string[]).includes(given)) return given as DuePrecision;
  throw new DomainError(
    'INVALID_INPUT',
    `duePrecision 只能是 ${DUE_PRECISIONS.join('、')}，收到 ${given}`,
    ['duePrecision'],
  );
}

/**
 * `2023-06-15` (a day, or with WEEK the week holding it) or `2023-05` (a month), or
 * INVALID_INPUT on `field`. A month's precision is always MONTH.
 */
export function parseDue(
  text: string,
  precision: DuePrecision | null,
  field: readonly string[],
): Due {
  const t = typeof text === 'string' ? text.trim() : '';
  if (/^\d{4}-\d{2}$/.test(t) && validDay(`${t}-01`) && (precision ?? 'MONTH') === 'MONTH')
    return { date: `${t}-01`, precision: 'MONTH' };
  if (validDay(t) && precision !== 'MONTH') return { date: t, precision: precision ?? 'DAY' };
  throw new DomainError(
    'INVALID_INPUT',
    `日期无法识别：${String(text)}（YYYY-MM-DD 或 YYYY-MM）`,
    field,
  );
}

/** A plain day (done dates), or INVALID_INPUT. */
export function parseDay(text: string, field: readonly string[]): string {
  if (typeof text !== 'string' || !validDay(text.trim()))
    throw new DomainError('INVALID_INPUT', `日期无法识别：${String(text)}（YYYY-MM-DD）`, field);
  return text.trim();
}

/** Monday of the week holding `iso` (the team's weeks start on Monday). */
export function mondayOf(iso: string): string {
  const ms = dayOf(iso);
  return isoOf(ms - ((new Date(ms).getUTCDay() + 6) % 7) * DAY_MS);
}

/** The last day the milestone is still on time. */
export function dueEnd(due: Due): string {
  switch (due.precision) {
    case 'DAY':
      return due.date;
    case 'WEEK':
      return isoOf(dayOf(mondayOf(due.date)) + 6 * DAY_MS);
    case 'MONTH': {
      const d = new Date(dayOf(due.date));
      return isoOf(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - DAY_MS);
    }
    default:
      return assertNever(due.precision);
  }
}

/** Not done and past its due end on `today`. */
export function isOverdue(due: Due, doneDate: string | null, today: string): boolean {
  return doneDate === null && today > dueEnd(due);
}

/** How many days the due end moved since first set (positive: later). */
export function slipDays(original: Due, current: Due): number {
  return Math.round((dayOf(dueEnd(current)) - dayOf(dueEnd(original))) / DAY_MS);
}

const md = (iso: string) => `${Number(iso.slice(5, 7))}/${Number(iso.slice(8, 10))}`;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** A report's short date in its language: `6/15` in Chinese, `Jun 15` in English (5/16 reads as a fraction, or as 5 June, to many English readers). */
const shortDate = (iso: string, zh: boolean) =>
  zh ? md(iso) : `${MONTHS[Number(iso.slice(5, 7)) - 1]} ${Number(iso.slice(8, 10))}`;
/**
 * A day as the report writes it: `6/15` (`Jun 15`) in the report's own year, and with its year
 * in another (`2024/1/15`, `Jan 15, 2024`): 12/31 for 2099-12-31 read as this year's.
 */
const dayText = (iso: string, reportDate: string, zh: boolean) => {
  const short = shortDate(iso, zh);
  if (iso.slice(0, 4) === reportDate.slice(0, 4)) return short;
  return zh ? `${iso.slice(0, 4)}/${short}` : `${short}, ${iso.slice(0, 4)}`;
};
/** `2023-04` as `Apr 2023`, the English report's month. */
export const englishMonth = (yearMonth: string): string =>
  `${MONTHS[Number(yearMonth.slice(5, 7)) - 1]} ${yearMonth.slice(0, 4)}`;

/** When, in the team's words relative to the report's day: 6/15, 下周, 5月份. */
export function dueWords(due: Due, reportDate: string, locale: Locale): string {
  const zh = locale === 'zh-CN';
  switch (due.precision) {
    case 'DAY':
      return dayText(due.date, reportDate, zh);
    case 'MONTH':
      return zh
        ? `${due.date.slice(0, 4) === reportDate.slice(0, 4) ? '' : `${due.date.slice(0, 4)}年`}${Number(due.date.slice(5, 7))}月份`
        : `in ${englishMonth(due.date)}`;
    case 'WEEK': {
      const weeks = (dayOf(mondayOf(due.date)) - dayOf(mondayOf(reportDate))) / (7 * DAY_MS);
      if (weeks === 0) return zh ? '本周' : 'this week';
      if (weeks === 1) return zh ? '下周' : 'next week';
      return zh
        ? `${dayText(mondayOf(due.date), reportDate, zh)}当周`
        : `the week of ${dayText(mondayOf(due.date), reportDate, zh)}`;
    }
    default:
      return assertNever(due.precision);
  }
}

/** `预计6/15完成`, `已于5/9完成上线`, or with overdue `（已逾期）`. */
export function milestonePhrase(
  m: { readonly name: string; readonly due: Due; readonly doneDate: string | null },
  reportDate: string,
  locale: Locale,
): string {
  const zh = locale === 'zh-CN';
  if (m.doneDate !== null)
    return zh
      ? `已于${dayText(m.doneDate, reportDate, zh)}${m.name}`
      : `${m.name} done ${dayText(m.doneDate, reportDate, zh)}`;
  const when = dueWords(m.due, reportDate, locale);
  const late = isOverdue(m.due, null, reportDate) ? (zh ? '（已逾期）' : ' (overdue)') : '';
  return zh ? `预计${when}${m.name}${late}` : `${m.name} expected ${when}${late}`;
}
