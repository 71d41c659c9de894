import { InvalidArgumentError } from 'commander';
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
/** A time with its clock: a bare date is a day, which the server's times do not take. */
export const isoTime = (value: string): string => {
  if (!isIsoTime(value) || !/^\d{4}-\d{2}-\d{2}T/.test(value))
    throw new InvalidArgumentError('Give an ISO time, e.g. 2023-05-15T09:00:00+08:00.');
  return value;
};
