import { parseDecimal } from '../domain/decimal.js';
import type { Locale } from '../domain/item-status.js';
import { escapeMarkdown } from '../domain/markdown.js';
import { metricLines, type MetricFacts } from '../domain/metric-lines.js';
import {
  burnDownProgress,
  meetsTarget,
  type MetricDirection,
  type TargetComparison,
} from '../domain/metric-rules.js';
import { milestonePhrase, type DuePrecision } from '../domain/milestone-rules.js';
import type { MetricRow } from '../db/queries/report-model.queries.js';
import type { MilestoneRow, ReadingRow } from '../db/queries/report-records.queries.js';

/** A metric's facts as of `until` (ms): its readings up to then, checked against its target. */
export function metricFacts(
  m: MetricRow,
  readings: readonly ReadingRow[],
  until: number,
): MetricFacts {
  const own = readings
    .filter((r) => r.metricId === m.id && r.effectiveAt.getTime() <= until)
    .map((r) => ({
      value: parseDecimal(r.value, 15, ['value']),
      lowerBound: r.lowerBound,
      period: r.period,
      at: r.effectiveAt.getTime(),
    }));
  const latest = own[own.length - 1] ?? null;
  const previous = own[own.length - 2] ?? null;
  const rule = {
    direction: m.direction as MetricDirection,
    target: m.target === null ? null : parseDecimal(m.target, 15, ['target']),
    comparison: m.comparison as TargetComparison | null,
  };
  return {
    name: m.name,
    unit: m.unit,
    group: m.groupName,
    direction: rule.direction,
    burnDown: m.burnDown,
    latest,
    previous,
    met: latest && !m.burnDown ? meetsTarget(rule, latest) : null,
    progress: m.burnDown ? burnDownProgress(own, until) : null,
  };
}

/** Metric lines grouped under their category headings, in first-seen order. */
export function metricSections(
  metrics: readonly MetricRow[],
  readings: readonly ReadingRow[],
  until: number,
  locale: Locale,
): { category: string; lines: string[] }[] {
  const categories: string[] = [];
  for (const m of metrics)
    if (!categories.includes(m.category ?? '')) categories.push(m.category ?? '');
  return categories.map((category) => ({
    category,
    lines: metricLines(
      metrics
        .filter((m) => (m.category ?? '') === category)
        .map((m) => metricFacts(m, readings, until)),
      locale,
      escapeMarkdown,
    ),
  }));
}

/** `测试：预计6/15完成`, the node's name first (or none for an initiative's own milestone). */
export function milestoneLine(
  m: MilestoneRow,
  nodeName: string | null,
  date: string,
  locale: Locale,
): string {
  const phrase = milestonePhrase(
    {
      name: escapeMarkdown(m.name),
      due: { date: m.dueDate, precision: m.duePrecision as DuePrecision },
      doneDate: m.doneDate,
    },
    date,
    locale,
  );
  const sep = locale === 'zh-CN' ? '：' : ': ';
  const note = m.note ? `${escapeMarkdown(m.note)}${locale === 'zh-CN' ? '，' : ', '}` : '';
  return `${nodeName === null ? '' : `${escapeMarkdown(nodeName)}${sep}`}${note}${phrase}`;
}
