/**
 * The report's calendar: the team reports in China time (+08:00, as the week-20 report), so a
 * day is a day there. A report for 2023-05-13 shows the figures as of
 * 2023-05-13T23:59:59.999+08:00, and so does every other place a day is given (an as-of
 * export, a history's --from and --to): one meaning of a day everywhere.
 */
export const REPORT_UTC_OFFSET = '+08:00';
export const REPORT_ZONE_MS = 8 * 3_600_000;

/** The last moment of a calendar day (YYYY-MM-DD) in the report's time zone. */
export function endOfReportDay(isoDate: string): number {
  return Date.parse(`${isoDate}T23:59:59.999${REPORT_UTC_OFFSET}`);
}

/** A time as the report's calendar date (YYYY-MM-DD, +08:00). */
export function reportDateOf(ms: number): string {
  return new Date(ms + REPORT_ZONE_MS).toISOString().slice(0, 10);
}

/** A time in ISO 8601 with the report's offset (2023-05-13T23:59:59.999+08:00), as people there read it. */
export function reportTimeText(ms: number): string {
  return `${new Date(ms + REPORT_ZONE_MS).toISOString().slice(0, -1)}${REPORT_UTC_OFFSET}`;
}

/**
 * The time a day is read at: its end, or `now` while the day lasts (its end has not come, and
 * what comes after now is not known yet). A later day stays its end: a reader refuses it.
 */
export function readTimeOfDay(isoDate: string, now: number): number {
  const end = endOfReportDay(isoDate);
  return reportDateOf(now) === isoDate ? Math.min(end, now) : end;
}
