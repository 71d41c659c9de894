import { CLOCK_SKEW_MS } from './effective-time.js';
import { DomainError } from './errors.js';

/** How far apart the points of a series are. */
export type SeriesEvery = 'DAY' | 'WEEK' | 'MONTH';
export const SERIES_EVERY: readonly SeriesEvery[] = ['DAY', 'WEEK', 'MONTH'];

/** A series longer than this is refused before anything is read (a burn-up of years by day). */
export const MAX_SERIES_POINTS = 1_000;

const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;
/** Months are stepped on the calendar of the report's time zone (+08:00, as the team reports). */
const ZONE_MS = 8 * 3_600_000;

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

/** Points a series from `from` to `to` would have, without making them (the bound check). */
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
      `${field} 不能晚于所读的时间（asOf，未给时为现在）：${new Date(since).toISOString()} 晚于 ${new Date(end).toISOString()}`,
      [field],
    );
  return Math.min(since, end);
}

/**
 * The times of a series: `from`, then every step after it up to `to` (inclusive). `from` after
 * `to` or more than 1,000 points is INVALID_INPUT, decided by arithmetic before any point is made.
 */
export function seriesTimes(from: number, to: number, every: SeriesEvery): number[] {
  if (!Number.isFinite(from) || !Number.isFinite(to))
    throw new DomainError('INVALID_INPUT', '时间无效', ['from']);
  if (from > to) throw new DomainError('INVALID_INPUT', 'from 不能晚于 to', ['from']);
  const n = seriesLength(from, to, every);
  if (n > MAX_SERIES_POINTS)
    throw new DomainError(
      'INVALID_INPUT',
      `一个序列最多 ${MAX_SERIES_POINTS} 个点，这个范围有 ${n} 个；请缩短范围或加大间隔（every）`,
      ['every'],
    );
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    times.push(
      every === 'MONTH' ? addMonths(from, i) : from + i * (every === 'DAY' ? DAY_MS : WEEK_MS),
    );
  }
  return times;
}

/** A time as the report's calendar date (YYYY-MM-DD, +08:00). */
export function reportDateOf(ms: number): string {
  return new Date(ms + ZONE_MS).toISOString().slice(0, 10);
}
