/** How a report line details a workstream's items: done and in-progress by name, or grouped by percent. */
export const REPORT_DETAILS = ['BY_NAME', 'BY_PERCENT'] as const;
export type ReportDetail = (typeof REPORT_DETAILS)[number];
