import { graphqlRequest, ReportError } from './report-client.js';
import { keysHint, serverKeys } from './known-keys.js';
import { EXIT_CODE } from './usage-errors.js';
import { reportUrlFromEnv } from './report-url.js';
import { terminalSafe } from './terminal-text.js';
import { writeOutput } from './cli-files.js';
import { reportTimeText } from '../domain/report-day.js';
import { sentTime, sentTimeOrNull } from './option-values.js';

export interface HistoryOptions {
  /** Absent: DEFAULT_STEPS steps before `to` (defaultFrom). */
  readonly from?: string;
  readonly to?: string;
  readonly every: string;
  /** Settled by the option parser (csv or json; see output-format.ts). */
  readonly format: 'csv' | 'json';
  readonly knownAt?: string;
  readonly url?: string;
  readonly token?: string;
  readonly out?: string;
}

interface Point {
  at: string;
  percent: number | null;
  credit: number;
  counted: number;
  total: number;
  byStatus: { status: string; count: number }[];
}

const QUERY = `query History($key: String!, $from: DateTimeISO!, $to: DateTimeISO, $every: SeriesEvery!, $knownAt: DateTimeISO) {
  initiative(key: $key) { progressHistory(from: $from, to: $to, every: $every, knownAt: $knownAt) {
    at percent credit counted total byStatus { status count } } } }`;

/** Points before the last one when --from is not given: a quarter of weeks, a year of months. */
export const DEFAULT_STEPS = 12;

/**
 * The first point when --from is not given: DEFAULT_STEPS steps (days, weeks or calendar
 * months) before the last point, in the team's time zone, so the series has 13 points.
 */
export function defaultFrom(toMs: number, every: 'DAY' | 'WEEK' | 'MONTH'): string {
  if (every !== 'MONTH')
    return reportTimeText(toMs - DEFAULT_STEPS * (every === 'DAY' ? 1 : 7) * 86_400_000);
  // A month back is the same day and time of that month in +08:00, or its last day if shorter.
  const [date, time] = reportTimeText(toMs).split('T') as [string, string];
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const months = y * 12 + (m - 1) - DEFAULT_STEPS;
  const year = Math.floor(months / 12);
  const month = (months % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = Math.min(d, last);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T${time}`;
}

/** Times as the team reads them (+08:00): a day's row is labelled with that day. */
export const inReportZone = (points: readonly Point[]): Point[] =>
  points.map((p) => ({ ...p, at: reportTimeText(Date.parse(p.at)) }));

/** CSV: one row per point, percent with its full precision, a column per status. */
export function historyCsv(points: readonly Point[]): string {
  const statuses = points[0]?.byStatus.map((s) => s.status) ?? [];
  const head = ['at', 'percent', 'credit', 'counted', 'total', ...statuses].join(',');
  const rows = points.map((p) =>
    [p.at, p.percent ?? '', p.credit, p.counted, p.total, ...p.byStatus.map((s) => s.count)].join(
      ',',
    ),
  );
  return `${[head, ...rows].join('\n')}\n`;
}

/** `jindu history KEY [--from] [--to] --every week --format csv|json`: the burn-up series. */
export async function historyCommand(key: string, opts: HistoryOptions): Promise<number> {
  try {
    // Commander has checked it against its choices (a usage error otherwise).
    const every = opts.every.toUpperCase() as 'DAY' | 'WEEK' | 'MONTH';
    // Without --from the series is DEFAULT_STEPS steps to --to, or to now: sent, so the points
    // fall on its steps (the server's now comes a moment later and would add a point).
    const to = opts.to ? sentTime(opts.to) : opts.from ? null : reportTimeText(Date.now());
    const from = opts.from ? sentTime(opts.from) : defaultFrom(Date.parse(to!), every);
    const found = opts.url ? { url: opts.url } : reportUrlFromEnv(process.env);
    if ('problem' in found) throw new ReportError(found.problem, EXIT_CODE.USAGE);
    const data = await graphqlRequest<{ initiative: { progressHistory: Point[] } | null }>(
      found.url,
      QUERY,
      {
        key,
        from,
        to,
        every,
        knownAt: sentTimeOrNull(opts.knownAt),
      },
      opts.token,
    );
    if (!data.initiative)
      throw new ReportError(
        `no initiative with key "${key}" at ${found.url}${keysHint(await serverKeys(found.url, opts.token))}`,
        EXIT_CODE.UNKNOWN_KEY,
      );
    const points = inReportZone(data.initiative.progressHistory);
    const text =
      opts.format === 'json' ? `${JSON.stringify(points, null, 2)}\n` : historyCsv(points);
    writeOutput(opts.out ?? '-', text);
    return 0;
  } catch (err) {
    if (!(err instanceof ReportError)) throw err;
    console.error(`jindu history: ${terminalSafe(err.message)}`);
    return err.exitCode;
  }
}
