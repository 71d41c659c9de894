import { CLOCK_SKEW_MS } from './effective-time.js';
import { DomainError } from './errors.js';
import { REPORT_ZONE_MS as ZONE_MS, reportTimeText } from './report-day.js';

/** How far apart the points of a series are. */
export type SeriesEvery = 'DAY' | 'WEEK' | 'MONTH';
export const SERIES_EVERY: readonly SeriesEvery[] = ['DAY', 'WEEK', 'MONTH'];

/** A series longer than this is refused before anything is read (a burn-up of years by day). */
export const MAX_SERIES_POINTS = 1_000;

const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;

function addMonths(ms: number, months: number): number {
  const local = new Date(ms + ZONE_MS);
  const day = local.getUTCDate();
  const shifted = new Date(local);
  shifted.setUTCDate(1);
  shifted.setUTCMonth(shifted.getUTCMonth() + months);
  const last = new Date(
    Date.UTC(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, 0),
  ).getUTCDate();
  shifted.setUTCDate(Math.min(day, last)); // 31 January + 1 month is 28/29 February
  return shifted.getTime() - ZONE_MS;
}

/** Steps a series from `from` to `to` would have, without making them (the bound check). */
export function seriesLength(from: number, to: number, every: SeriesEvery): number {
  if (to < from) return 0;
  switch (every) {
    case 'DAY':
      return Math.floor((to - from) / DAY_MS) + 1;
    case 'WEEK':
      return Math.floor((to - from) / WEEK_MS) + 1;
    case 'MONTH': {
      // An upper bound first (a month is at least 28 days), then exact when it is small.
      const bound = Math.floor((to - from) / (28 * DAY_MS)) + 1;
      if (bound > MAX_SERIES_POINTS) return bound;
      let n = 0;
      while (addMonths(from, n) <= to) n++;
      return n;
    }
    default: {
      const never: never = every;
      throw new Error(`unknown step ${String(never)}`);
    }
  }
}

/**
 * A change is read from an earlier time to the view's (its asOf, or now): an earlier time after
 * it would print a change backwards, with no log entry behind it, so it is INVALID_INPUT on
 * `field`; within the clock skew a write is allowed (a client's clock a minute ahead of the
 * server's) it is the view's time itself, a change of nothing.
 */
export function earlierTime(since: number, end: number, field: string): number {
  if (!Number.isFinite(since)) throw new DomainError('INVALID_INPUT', '时间无效', [field]);
  if (since > end + CLOCK_SKEW_MS)
    throw new DomainError(
      'INVALID_INPUT',
      `${field} 不能晚于所读的时间（asOf，未给时为现在）：${reportTimeText(since)} 晚于 ${reportTimeText(end)}`,
      [field],
    );
  return Math.min(since, end);
}

const stepTime = (from: number, i: number, every: SeriesEvery) =>
  every === 'MONTH' ? addMonths(from, i) : from + i * (every === 'DAY' ? DAY_MS : WEEK_MS);

/**
 * Points a series from `from` to `to` has: its steps, and `to` after them unless the last step
 * falls within a clock skew before it (a client's "26 weeks ago" by its own clock), when `to`
 * takes that step's place instead of making a second point a few milliseconds on.
 */
export function seriesPoints(from: number, to: number, every: SeriesEvery): number {
  const n = seriesLength(from, to, every);
  return n === 0 || n > MAX_SERIES_POINTS || to - stepTime(from, n - 1, every) <= CLOCK_SKEW_MS
    ? n
    : n + 1;
}

/**
 * The times of a series: `from`, then every step after it, and `to` itself: a series ends at its
 * end (the view's time when no `to` is given), so its last point is the figure then, however
 * `from` falls (a burn-up from "26 weeks ago" by a client whose clock runs ahead of the
 * server's ended a week early); a last step within a clock skew of `to` is `to` (one point, not
 * two a few milliseconds apart). `from` after `to` or more than 1,000 points is INVALID_INPUT,
 * decided by arithmetic before any point is made.
 */
export function seriesTimes(from: number, to: number, every: SeriesEvery): number[] {
  if (!Number.isFinite(from) || !Number.isFinite(to))
    throw new DomainError('INVALID_INPUT', '时间无效', ['from']);
  if (from > to) throw new DomainError('INVALID_INPUT', 'from 不能晚于 to', ['from']);
  const n = seriesLength(from, to, every);
  const points = seriesPoints(from, to, every);
  if (points > MAX_SERIES_POINTS)
    throw new DomainError(
      'INVALID_INPUT',
      `一个序列最多 ${MAX_SERIES_POINTS} 个点，这个范围有 ${points} 个；请缩短范围或加大间隔（every）`,
      ['every'],
    );
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push(stepTime(from, i, every));
  if (points > n) times.push(to);
  else times[n - 1] = to;
  return times;
}
