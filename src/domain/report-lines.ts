import { formatRatioPercent } from './format-number.js';
import {
  assertNever,
  statusLabel,
  type ItemStatus,
  type Locale,
  type StatusLabelOverrides,
} from './item-status.js';
import type { ReportDetail } from './report-detail.js';

/** A figure as the report needs it: exact numerator and denominator (micro-items). */
export interface ReportFigure {
  readonly credit: number;
  readonly counted: number;
}

export interface ReportHeaderPart {
  readonly name: string;
  /** Items in the workstream's subtree; 0 for work that is only a manual percent. */
  readonly total: number;
  readonly figure: ReportFigure;
}

export interface ReportHeader {
  readonly initiative: string;
  readonly figure: ReportFigure;
  readonly parts: readonly ReportHeaderPart[];
}

/** Everything one numbered line says about a workstream. */
export interface ReportLineFacts {
  readonly name: string;
  readonly phase: string | null;
  readonly figure: ReportFigure;
  readonly total: number;
  readonly counts: Readonly<Record<ItemStatus, number>>;
  readonly detail: ReportDetail;
  /** BY_NAME: done items' names, in item order. */
  readonly doneNames: readonly string[];
  /** BY_NAME: in-progress items with their percent, in item order. */
  readonly inProgress: readonly { readonly name: string; readonly percent: number }[];
  /** BY_PERCENT: how many in-progress items sit at each percent. */
  readonly inProgressByPercent: ReadonlyMap<number, number>;
}

export interface ReportStyle {
  readonly locale: Locale;
  readonly labels: StatusLabelOverrides | null;
  /** In-progress items under this percent collapse into one bucket (Hive: 20). */
  readonly lowPercentBucket: number | null;
  /**
   * How stored text (names, phases, labels) is printed: as is for plain text, escaped for
   * Markdown (the weekly report). The line's own words and numbers are never passed through it.
   */
  readonly text?: (stored: string) => string;
}

const asIs = (stored: string) => stored;

/** The order of parts in a line, as the team writes it. */
export const REPORT_STATUS_ORDER: readonly ItemStatus[] = [
  'DECOMMISSIONABLE',
  'CANCELLED',
  'PAUSED',
  'DONE',
  'IN_PROGRESS',
  'NOT_STARTED',
];

/**
 * A figure as a report writes it: `87.23%`, or the locale's words for one with nothing counted
 * (`暂无`), where a bare `—%` read as a broken number.
 */
export function reportPercent(f: { credit: number; counted: number }, locale: Locale): string {
  const p = formatRatioPercent(f.credit, f.counted);
  return p === null ? words(locale).none : `${p}%`;
}

const ZH = {
  none: '暂无',
  header: (name: string, p: string) => `${name}总进度：${p}`,
  headerPart: (name: string, n: number, p: string) => `，${name}进度（总数${n}个）：${p}`,
  headerManual: (name: string, p: string) => `，${name}进度：${p}`,
  line: (
    n: string,
    name: string,
    phase: string,
    _isPercent: boolean,
    total: number,
    parts: string,
  ) =>
    `${n}【${name}】，进度：${phase}。${total > 0 ? `总计${total}个${parts ? `，${parts}` : ''}。` : ''}`,
  part: (label: string, count: number, details: string) =>
    `${label}${count}个${details ? `（${details}）` : ''}`,
  named: (name: string, p: number) => `${name}进度${p}%`,
  atPercent: (p: number, k: number) => `进度${p}%的${k}个`,
  below: (p: number, k: number) => `进度${p}%以下的${k}个`,
  join: '，',
};

const EN = {
  none: 'none yet',
  header: (name: string, p: string) => `${name} overall progress: ${p}`,
  headerPart: (name: string, n: number, p: string) =>
    `; ${name} progress (${n} ${n === 1 ? 'item' : 'items'}): ${p}`,
  headerManual: (name: string, p: string) => `; ${name} progress: ${p}`,
  // 进度 says both a phase (测试验证投产中) and a percent; English needs a word for each.
  line: (
    n: string,
    name: string,
    phase: string,
    isPercent: boolean,
    total: number,
    parts: string,
  ) =>
    `${n}[${name}] ${isPercent ? 'Progress' : 'Phase'}: ${phase}.${total > 0 ? ` ${total} in total${parts ? `: ${parts}` : ''}.` : ''}`,
  part: (label: string, count: number, details: string) =>
    `${count} ${label}${details ? ` (${details})` : ''}`,
  named: (name: string, p: number) => `${name} at ${p}%`,
  atPercent: (p: number, k: number) => `${k} at ${p}%`,
  below: (p: number, k: number) => `${k} below ${p}%`,
  join: ', ',
};

function words(locale: Locale) {
  switch (locale) {
    case 'zh-CN':
      return ZH;
    case 'en':
      return EN;
    default:
      return assertNever(locale);
  }
}

/** `Hive数仓建设总进度：87.23%，迁移进度（总数164个）：86.11%`. */
export function formatReportHeader(header: ReportHeader, style: ReportStyle): string {
  const w = words(style.locale);
  const text = style.text ?? asIs;
  // A part with items is named even when none of them counts (all excluded: `暂无`); one with
  // neither items nor a manual percent is an empty workstream and says nothing.
  const parts = header.parts
    .filter((p) => p.figure.counted > 0 || p.total > 0)
    .map((p) =>
      p.total > 0
        ? w.headerPart(text(p.name), p.total, reportPercent(p.figure, style.locale))
        : w.headerManual(text(p.name), reportPercent(p.figure, style.locale)),
    );
  return (
    w.header(text(header.initiative), reportPercent(header.figure, style.locale)) + parts.join('')
  );
}

/**
 * In-progress details grouped by percent, highest first. Items under the low-percent bucket
 * collapse into one group when they sit at several different percents (进度20%以下的8个); when
 * they share one percent there is nothing to summarize and it is shown as is (进度10%的1个).
 */
export function percentGroups(
  byPercent: ReadonlyMap<number, number>,
  lowPercentBucket: number | null,
  locale: Locale,
): string[] {
  const w = words(locale);
  const sorted = [...byPercent].filter(([, k]) => k > 0).sort((a, b) => b[0] - a[0]);
  const low = lowPercentBucket === null ? [] : sorted.filter(([p]) => p < lowPercentBucket);
  if (low.length < 2) return sorted.map(([p, k]) => w.atPercent(p, k));
  const groups = sorted.filter(([p]) => p >= lowPercentBucket!).map(([p, k]) => w.atPercent(p, k));
  groups.push(
    w.below(
      lowPercentBucket!,
      low.reduce((n, [, k]) => n + k, 0),
    ),
  );
  return groups;
}

function detailsOf(status: ItemStatus, facts: ReportLineFacts, style: ReportStyle): string[] {
  const w = words(style.locale);
  const text = style.text ?? asIs;
  if (facts.detail === 'BY_NAME') {
    if (status === 'DONE') return facts.doneNames.map(text);
    if (status === 'IN_PROGRESS')
      return facts.inProgress.map((i) => w.named(text(i.name), i.percent));
    return [];
  }
  return status === 'IN_PROGRESS'
    ? percentGroups(facts.inProgressByPercent, style.lowPercentBucket, style.locale)
    : [];
}

/**
 * One numbered line: `2.【Hive迁移-风控报表】，进度：业务验收投产中。总计36个，取消迁移4个，…。`
 * `number` null leaves the number off (a workstream's own line). Without a phase the line says
 * the percent; a workstream without items (a manual percent) has no 总计 part.
 */
export function formatReportLine(
  facts: ReportLineFacts,
  number: number | null,
  style: ReportStyle,
): string {
  const w = words(style.locale);
  const text = style.text ?? asIs;
  const parts = REPORT_STATUS_ORDER.filter((s) => facts.counts[s] > 0).map((s) =>
    w.part(
      text(statusLabel(s, style.locale, style.labels)),
      facts.counts[s],
      detailsOf(s, facts, style).join(w.join),
    ),
  );
  const phase =
    facts.phase === null ? reportPercent(facts.figure, style.locale) : text(facts.phase);
  return w.line(
    number === null ? '' : `${number}.`,
    text(facts.name),
    phase,
    facts.phase === null,
    facts.total,
    parts.join(w.join),
  );
}
