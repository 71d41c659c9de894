import { escapeMarkdown } from '../domain/markdown.js';
import { isCalendarDate } from '../domain/tree-rules.js';
import { graphqlRequest, ReportError } from './report-client.js';
import { EXIT_CODE } from './usage-errors.js';
import { reportUrlFromEnv } from './report-url.js';
import { terminalSafe } from './terminal-text.js';
import { writeOutput } from './cli-files.js';
import { keysHint, serverKeys } from './known-keys.js';
import { sentTime, sentTimeOrNull } from './option-values.js';

export interface ReportOptions {
  readonly all?: boolean;
  /** With a key: its part of the weekly report document, as --all writes it. */
  readonly section?: boolean;
  /** Absent: JINDU_URL, else http://HOST:PORT/graphql. */
  readonly url?: string;
  readonly format: string;
  readonly lang: string;
  readonly out?: string;
  readonly token?: string;
  readonly date?: string;
  readonly knownAt?: string;
  /** last-week or YYYY-MM-DD: add each figure's change since then. */
  readonly compare?: string;
}

const FORMATS = ['text', 'markdown', 'json'];
const LANGS: Record<string, string> = { 'zh-CN': 'ZH_CN', zh: 'ZH_CN', en: 'EN' };

const ONE = `query Report($key: String!, $locale: Locale!, $asOf: DateTimeISO, $knownAt: DateTimeISO, $compareTo: DateTimeISO) {
  initiative(key: $key, asOf: $asOf, knownAt: $knownAt) { key name objective reportLines(locale: $locale, compareTo: $compareTo)
    known: progress { total } } }`;
const ALL = `query WeeklyReport($locale: Locale!, $date: String, $asOf: DateTimeISO, $knownAt: DateTimeISO, $compareTo: DateTimeISO) {
  initiatives(asOf: $asOf, knownAt: $knownAt) { key name objective reportLines(locale: $locale, compareTo: $compareTo) }
  weeklyReport(locale: $locale, date: $date, knownAt: $knownAt, compareTo: $compareTo) }`;
const PART = `query ReportPart($keys: [String!], $locale: Locale!, $date: String, $knownAt: DateTimeISO, $compareTo: DateTimeISO) {
  weeklyReport(locale: $locale, date: $date, knownAt: $knownAt, compareTo: $compareTo, initiatives: $keys) }`;

/** --compare: a week before the report's time (last-week), or the end of a day (+08:00). */
export function compareTime(compare: string | undefined, date: string | undefined): string | null {
  if (compare === undefined) return null;
  if (compare === 'last-week') {
    const end = date ? Date.parse(sentTime(date)) : Date.now();
    return new Date(end - 7 * 86_400_000).toISOString();
  }
  if (isCalendarDate(compare)) return sentTime(compare);
  throw new ReportError('--compare must be last-week or a date (YYYY-MM-DD)', EXIT_CODE.USAGE);
}

/**
 * `--known-at` leaves out what was recorded later: before the data was loaded (the seed is
 * recorded when it is loaded, whatever day it is effective), the report is empty, and a report
 * that prints nothing without saying why looks like a broken one.
 */
function warnNothingKnown(knownAt: string): void {
  console.error(
    `jindu report: nothing was recorded by --known-at ${terminalSafe(knownAt)}, so the report is empty (--known-at is when the data was recorded, not when it took effect)`,
  );
}

interface InitiativeLines {
  key: string;
  name: string;
  objective: string | null;
  reportLines: string[];
}

/** A numbered report line as a Markdown list item: its number kept, the stored text escaped. */
function markdownLine(line: string): string {
  const numbered = /^(\d+\.)(.*)$/s.exec(line);
  return numbered ? `${numbered[1]}${escapeMarkdown(numbered[2]!)}` : escapeMarkdown(line);
}

function render(format: string, list: InitiativeLines[], markdown: string | null): string {
  if (format === 'json')
    return `${JSON.stringify(markdown === null ? list[0] : { initiatives: list, markdown }, null, 2)}\n`;
  if (format === 'markdown') {
    if (markdown !== null) return markdown;
    const [header, ...lines] = list[0]!.reportLines;
    return `- ${escapeMarkdown(header ?? '')}\n${lines.map((l) => `    ${markdownLine(l)}\n`).join('')}`;
  }
  // --all and --section are the weekly report: the document, whichever format prints it (each
  // initiative's raw lines said `暂无` for one with only metrics, and missed the staged lines).
  if (markdown !== null) return markdown;
  return `${list[0]!.reportLines.join('\n')}\n`;
}

function endpoint(opts: ReportOptions): string {
  if (opts.url) return opts.url;
  const found = reportUrlFromEnv(process.env);
  if ('problem' in found) throw new ReportError(found.problem, EXIT_CODE.USAGE);
  return found.url;
}

/**
 * `jindu report <key> [--section] | --all`: fetches report lines from a running server and
 * prints them. The terminal gets them without control sequences; --out keeps the server's
 * exact text.
 */
export async function reportCommand(key: string | undefined, opts: ReportOptions): Promise<number> {
  try {
    if (!key === !opts.all)
      throw new ReportError(
        key
          ? `give an initiative key (jindu report ${key}) or --all, not both`
          : 'give one initiative key (jindu report hive) or --all',
        EXIT_CODE.USAGE,
      );
    if (opts.section && !key)
      throw new ReportError(
        '--section needs an initiative key (jindu report hive --section)',
        EXIT_CODE.USAGE,
      );
    if (!FORMATS.includes(opts.format))
      throw new ReportError(`--format must be one of ${FORMATS.join(', ')}`, EXIT_CODE.USAGE);
    const locale = LANGS[opts.lang];
    if (!locale) throw new ReportError('--lang must be zh-CN or en', EXIT_CODE.USAGE);
    const compareTo = compareTime(opts.compare, opts.date);
    const url = endpoint(opts);
    let list: InitiativeLines[];
    let markdown: string | null = null;
    if (key) {
      const data = await graphqlRequest<{ initiative: InitiativeLines | null }>(
        url,
        ONE,
        {
          key,
          locale,
          asOf: sentTimeOrNull(opts.date),
          knownAt: sentTimeOrNull(opts.knownAt),
          compareTo,
        },
        opts.token,
      );
      if (!data.initiative)
        throw new ReportError(
          `no initiative with key "${key}" at ${url}${keysHint(await serverKeys(url, opts.token))}`,
          EXIT_CODE.UNKNOWN_KEY,
        );
      const { known, ...lines } = data.initiative as InitiativeLines & { known: { total: number } };
      if (opts.knownAt && known.total === 0) warnNothingKnown(opts.knownAt);
      list = [lines];
      if (opts.section)
        markdown = (
          await graphqlRequest<{ weeklyReport: string }>(
            url,
            PART,
            {
              keys: [key],
              locale,
              date: opts.date ?? null,
              knownAt: sentTimeOrNull(opts.knownAt),
              compareTo,
            },
            opts.token,
          )
        ).weeklyReport;
    } else {
      const data = await graphqlRequest<{ initiatives: InitiativeLines[]; weeklyReport: string }>(
        url,
        ALL,
        {
          locale,
          date: opts.date ?? null,
          asOf: sentTimeOrNull(opts.date),
          knownAt: sentTimeOrNull(opts.knownAt),
          compareTo,
        },
        opts.token,
      );
      list = data.initiatives;
      markdown = data.weeklyReport;
      if (opts.knownAt && list.length === 0) warnNothingKnown(opts.knownAt);
    }
    const text = render(opts.format, list, markdown);
    writeOutput(opts.out ?? '-', text);
    return 0;
  } catch (err) {
    if (!(err instanceof ReportError)) throw err;
    console.error(`jindu report: ${terminalSafe(err.message)}`);
    return err.exitCode;
  }
}
