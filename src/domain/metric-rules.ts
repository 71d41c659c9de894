import { compareDecimal, ratioOf, subDecimal, trimDecimal, type Decimal } from './decimal.js';
import { DomainError } from './errors.js';

/** Metrics an initiative may carry, its workstreams' included (a bound on every list of them). */
export const MAX_METRICS = 100;

/** Which way is better: a success rate goes UP, a cost or a backlog goes DOWN. */
export const METRIC_DIRECTIONS = ['UP', 'DOWN'] as const;
export type MetricDirection = (typeof METRIC_DIRECTIONS)[number];

/** How the latest reading is held against the target; absent: AT_LEAST going up, AT_MOST down. */
export const TARGET_COMPARISONS = ['AT_LEAST', 'AT_MOST', 'EQUAL'] as const;
export type TargetComparison = (typeof TARGET_COMPARISONS)[number];

/** One dated reading. `lowerBound`: the report's "200+" (at least this much). */
export interface Reading {
  readonly value: Decimal;
  readonly lowerBound: boolean;
  /** ms since the epoch (effective time). */
  readonly at: number;
}

export interface MetricRule {
  readonly direction: MetricDirection;
  readonly target: Decimal | null;
  readonly comparison: TargetComparison | null;
}

export function comparisonOf(rule: MetricRule): TargetComparison {
  return rule.comparison ?? (rule.direction === 'UP' ? 'AT_LEAST' : 'AT_MOST');
}

/**
 * Whether a reading meets the target: true, false, or null when there is no target or the
 * reading is only a lower bound that cannot decide (200+ against "at least 300").
 */
export function meetsTarget(rule: MetricRule, reading: Reading): boolean | null {
  if (rule.target === null) return null;
  const c = compareDecimal(reading.value, rule.target);
  switch (comparisonOf(rule)) {
    case 'AT_LEAST':
      return c >= 0 ? true : reading.lowerBound ? null : false;
    case 'AT_MOST':
      return c > 0 ? false : reading.lowerBound ? (c === 0 ? false : null) : true;
    case 'EQUAL':
      return c === 0 && !reading.lowerBound ? true : c > 0 || !reading.lowerBound ? false : null;
  }
}

/** Readings in effective order (ties keep recording order: the sort is stable). */
export function inOrder(readings: readonly Reading[]): Reading[] {
  return [...readings].sort((a, b) => a.at - b.at);
}

/** The last reading at or before `at` (ms), or null. */
export function readingAt(readings: readonly Reading[], at: number): Reading | null {
  let last: Reading | null = null;
  for (const r of inOrder(readings)) if (r.at <= at) last = r;
  return last;
}

/**
 * Latest minus the last reading at or before `since`, exact, at the shortest scale that states
 * it; null when either is missing.
 */
export function changeSince(
  readings: readonly Reading[],
  since: number,
  until: number,
): Decimal | null {
  const before = readingAt(readings, since);
  const latest = readingAt(readings, until);
  if (!before || !latest) return null;
  return trimDecimal(subDecimal(latest.value, before.value));
}

/** Whether a change is for the better under the metric's direction (null: no change). */
export function isImprovement(direction: MetricDirection, change: Decimal): boolean | null {
  if (change.units === 0n) return null;
  return direction === 'UP' ? change.units > 0n : change.units < 0n;
}

/**
 * A burn-down count's progress, 0–1: how much of its first reading is gone (200 → 50 is 0.75).
 * Target zero, direction down; null before two readings or when it started at zero.
 */
export function burnDownProgress(readings: readonly Reading[], until: number): number | null {
  const ordered = inOrder(readings).filter((r) => r.at <= until);
  if (ordered.length === 0) return null;
  const first = ordered[0]!.value;
  const latest = ordered[ordered.length - 1]!.value;
  const gone = ratioOf(subDecimal(first, latest), first);
  return gone === null ? null : Math.min(1, Math.max(0, gone));
}

/** A burn-down's rule: target 0, going down, at most. */
export const BURN_DOWN_RULE: MetricRule = {
  direction: 'DOWN',
  target: { units: 0n, scale: 0 },
  comparison: 'AT_MOST',
};

/** Rejects a metric that calls itself a burn-down but says otherwise. */
export function assertBurnDown(rule: MetricRule, field: readonly string[]): void {
  if (rule.direction !== 'DOWN' || (rule.target !== null && rule.target.units !== 0n))
    throw new DomainError('INVALID_INPUT', '燃尽计数的目标必须是 0，方向必须是 DOWN', field);
}
