import { reportTimeText } from './report-day.js';
import { DomainError } from './errors.js';

/**
 * The earliest time Jindu records or reads: nothing it tracks happened before 1900, and both
 * databases store every time from then on (PostgreSQL refuses year 0, which JavaScript makes).
 */
export const EARLIEST_TIME_MS = Date.UTC(1900, 0, 1);

/** How far ahead of the server's clock a caller's clock may run. */
export const CLOCK_SKEW_MS = 60_000;

/**
 * When a change took effect: the caller's back-dated time, or `now`. A time more than a minute
 * ahead of the server, or before the object it changes existed (`existedSince`), is refused with
 * INVALID_INPUT on `field`, so nothing is written. A time ahead within the skew is the caller's
 * clock running fast and means `now`: no row may take effect after it was recorded, or a later
 * write at its own `now` would replay before it.
 */
export function effectiveTime(
  requested: Date | null | undefined,
  now: Date,
  existedSince: Date | null,
  field: readonly string[],
): Date {
  if (requested === null || requested === undefined) return now;
  if (Number.isNaN(requested.getTime()))
    throw new DomainError('INVALID_INPUT', '生效时间无效', field);
  if (requested.getTime() < EARLIEST_TIME_MS)
    throw new DomainError('INVALID_INPUT', '生效时间不能早于 1900 年', field);
  if (requested.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    throw new DomainError('INVALID_INPUT', '生效时间不能晚于现在', field);
  }
  if (requested.getTime() > now.getTime()) return now;
  if (existedSince !== null && requested.getTime() < existedSince.getTime()) {
    throw new DomainError(
      'INVALID_INPUT',
      `生效时间早于对象的创建时间（${reportTimeText(existedSince.getTime())}）`,
      field,
    );
  }
  return requested;
}
