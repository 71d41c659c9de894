import { InvalidArgumentError } from 'commander';
import { readTimeOfDay, reportTimeText } from '../domain/report-day.js';
import { isCalendarDate, isIsoTime } from '../domain/tree-rules.js';
import { graphqlEndpoint, parseHttpUrl } from './report-url.js';

/**
 * Option values checked as they are parsed: a bad one is a usage error (exit 2) that names the
 * option and says what to give.
 */

export const httpUrl = (value: string): string => {
  if (!parseHttpUrl(value)) throw new InvalidArgumentError('Give an http:// or https:// URL.');
  return graphqlEndpoint(value);
};
export const day = (value: string): string => {
  if (!isCalendarDate(value)) throw new InvalidArgumentError('Give a real date as YYYY-MM-DD.');
  return value;
};
export const dayOrTime = (value: string): string => {
  if (!isIsoTime(value))
    throw new InvalidArgumentError('Give a real date (YYYY-MM-DD) or an ISO time.');
  return value;
};

/**
 * The time a day or time option is sent to the server as, the one reading of --date, --compare,
 * --from, --to and --known-at: a day (YYYY-MM-DD) is its end in the team's time zone (+08:00),
 * so 2023-05-13 is that day's report figure, or now while it is today (its end has not come); a
 * later day is sent as it is, and refused as the server refuses any time after now. An ISO time
 * is sent as it is.
 */
export const sentTime = (value: string): string =>
  isCalendarDate(value) ? reportTimeText(readTimeOfDay(value, Date.now())) : value;

/** sentTime of an option that may be absent (null: not given). */
export const sentTimeOrNull = (value: string | undefined): string | null =>
  value === undefined ? null : sentTime(value);
