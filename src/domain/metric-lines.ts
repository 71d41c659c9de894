import { englishMonth } from './milestone-rules.js';
import { absDecimal, formatDecimal, subDecimal, type Decimal } from './decimal.js';
import type { Locale } from './item-status.js';
import type { MetricDirection } from './metric-rules.js';

/** A reading as a report line needs it. `period`: YYYY-MM for a monthly figure (4月份). */
export interface ReadingFacts {
  readonly value: Decimal;
  readonly lowerBound: boolean;
  readonly period: string | null;
}

/** Everything one metric's line says. Text fields are printed through the caller's `text`. */
export interface MetricFacts {
  readonly name: string;
  readonly unit: string;
  /** Metrics of one group share a line: 事故数AB级0次，CD级0次. */
  readonly group: string | null;
  readonly direction: MetricDirection;
  readonly burnDown: boolean;
  readonly latest: ReadingFacts | null;
  /** The reading before the latest (a monthly figure compares with it). */
  readonly previous: ReadingFacts | null;
  /** Latest against the target: 已达标 / 未达标; null without a target. */
  readonly met: boolean | null;
  /** A burn-down's share gone since its first reading, 0–1. */
  readonly progress: number | null;
}

type Text = (stored: string) => string;

/**
 * A burn-down's whole percent gone, rounded down, exactly. The progress is a count of millionths
 * (ratioOf): 100 → 43 is 0.57, and 0.57 × 100 is 56.99999999999999 in binary, which printed 56.
 * Back to its millionths first, then a whole-number division.
 */
export const clearedPercent = (progress: number): number =>
  Math.floor(Math.round(progress * 1_000_000) / 10_000);
const month = (period: string) => Number(period.slice(5, 7));

function previousMonth(period: string): string {
  const [y, m] = [Number(period.slice(0, 4)), month(period)];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

function valueText(r: ReadingFacts, grouped: boolean): string {
  return `${formatDecimal(r.value, grouped)}${r.lowerBound ? '+' : ''}`;
}

/** 较上月降低212,528.2195元 (the change printed at the shortest exact scale). */
function periodChange(f: MetricFacts, text: Text, locale: Locale): string {
  const latest = f.latest!;
  const prev = f.previous!;
  const diff = subDecimal(latest.value, prev.value);
  const amount = `${formatDecimal(absDecimal(diff), true)}${text(f.unit)}`;
  const zh = locale === 'zh-CN';
  // The month before: 较上月. Another month: named, with its year when the year differs (较12月份
  // beside 12月份 read as the same month). A reading without a month, or a second reading of the
  // same month (4月份…较4月份 read as nothing changed): the previous reading.
  const sameYear = prev.period?.slice(0, 4) === latest.period!.slice(0, 4);
  const than =
    prev.period === null || prev.period === latest.period
      ? zh
        ? '较上次读数'
        : 'on the previous reading'
      : prev.period === previousMonth(latest.period!)
        ? zh
          ? '较上月'
          : 'on the previous month'
        : zh
          ? `较${sameYear ? '' : `${prev.period.slice(0, 4)}年`}${month(prev.period)}月份`
          : `on ${englishMonth(prev.period)}`;
  if (diff.units === 0n) return zh ? `，${than}持平` : `, unchanged ${than}`;
  const down = diff.units < 0n;
  return zh
    ? `，${than}${down ? '降低' : '增加'}${amount}`
    : `, ${down ? 'down' : 'up'} ${amount} ${than}`;
}

/**
 * One metric's line: `入金有效成功率：99.81%`, `账户2.0普通记账TPS：1047，已达标`,
 * `4月份实收成本：1,409,444.598，较上月降低212,528.2195元`, `还款宝退款存量单：50+单`.
 */
export function formatMetricLine(f: MetricFacts, locale: Locale, text: Text = (s) => s): string {
  const zh = locale === 'zh-CN';
  const name = text(f.name);
  if (!f.latest) return zh ? `${name}：暂无读数` : `${name}: no reading yet`;
  if (f.latest.period !== null) {
    const head = zh
      ? `${month(f.latest.period)}月份${name}`
      : `${name} (${englishMonth(f.latest.period)})`;
    const value = valueText(f.latest, true);
    return f.previous
      ? `${head}${zh ? '：' : ': '}${value}${periodChange(f, text, locale)}`
      : `${head}${zh ? '：' : ': '}${value}${text(f.unit)}`;
  }
  let line = `${name}${zh ? '：' : ': '}${valueText(f.latest, false)}${text(f.unit)}`;
  if (f.burnDown && f.progress !== null && f.progress > 0)
    line += zh
      ? `（已消化${clearedPercent(f.progress)}%）`
      : ` (${clearedPercent(f.progress)}% cleared)`;
  if (f.met !== null)
    line += zh ? (f.met ? '，已达标' : '，未达标') : f.met ? ', target met' : ', below target';
  return line;
}

/** A group's line: the group's name, then each member's name, value and unit. */
export function formatMetricGroup(
  group: string,
  members: readonly MetricFacts[],
  locale: Locale,
  text: Text = (s) => s,
): string {
  const zh = locale === 'zh-CN';
  const parts = members.map((f) =>
    f.latest
      ? zh
        ? `${text(f.name)}${valueText(f.latest, false)}${text(f.unit)}`
        : `${text(f.name)} ${valueText(f.latest, false)}${text(f.unit)}`
      : `${text(f.name)}${zh ? '暂无读数' : ' no reading'}`,
  );
  return zh ? `${text(group)}${parts.join('，')}` : `${text(group)}: ${parts.join(', ')}`;
}

/** The lines of a list of metrics: ungrouped ones alone, a group's members on one line where its first stands. */
export function metricLines(
  metrics: readonly MetricFacts[],
  locale: Locale,
  text?: Text,
): string[] {
  const out: string[] = [];
  const done = new Set<string>();
  for (const m of metrics) {
    if (m.group === null) out.push(formatMetricLine(m, locale, text));
    else if (!done.has(m.group)) {
      done.add(m.group);
      out.push(
        formatMetricGroup(
          m.group,
          metrics.filter((x) => x.group === m.group),
          locale,
          text,
        ),
      );
    }
  }
  return out;
}
