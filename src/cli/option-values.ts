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
