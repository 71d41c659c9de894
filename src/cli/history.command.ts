import { graphqlRequest, ReportError } from './report-client.js';
import { EXIT_CODE } from './usage-errors.js';
import { reportUrlFromEnv } from './report-url.js';
import { terminalSafe } from './terminal-text.js';
import { writeOutput } from './cli-files.js';
import { reportTimeText } from '../domain/report-day.js';
import { sentTime, sentTimeOrNull } from './option-values.js';

export interface HistoryOptions {
  readonly from: string;
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

/** `jindu history KEY --from --to --every week --format csv|json`: the burn-up series. */
export async function historyCommand(key: string, opts: HistoryOptions): Promise<number> {
  try {
    // Commander has checked it against its choices (a usage error otherwise).
    const every = opts.every.toUpperCase();
    const found = opts.url ? { url: opts.url } : reportUrlFromEnv(process.env);
    if ('problem' in found) throw new ReportError(found.problem, EXIT_CODE.USAGE);
    const data = await graphqlRequest<{ initiative: { progressHistory: Point[] } | null }>(
      found.url,
      QUERY,
      {
        key,
        from: sentTime(opts.from),
        to: opts.to ? sentTime(opts.to) : null,
        every,
        knownAt: sentTimeOrNull(opts.knownAt),
      },
      opts.token,
    );
    if (!data.initiative)
      throw new ReportError(
        `no initiative with key "${key}" at ${found.url}`,
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
