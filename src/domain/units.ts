import { DomainError } from './errors.js';

/**
 * Exact arithmetic. Credit and counted are integers in micro-items (1 item of weight 1 = 1,000,000),
 * so every sum is exact in a double up to 9e15 (a million items of weight 1,000 is 1e15):
 * - an item of weight w counts w × 1e6 and earns w × percent × 1e4 (percent a whole number);
 * - a manual workstream of weight c/100 at b/100 percent counts c × 1e4 and earns c × b.
 * Nothing is rounded until a figure is printed.
 */
export const UNITS_PER_ITEM = 1_000_000;
export const UNITS_PER_PERCENT_WEIGHT = 10_000;
export const MAX_ITEM_WEIGHT = 1_000;
export const MAX_WORKSTREAM_WEIGHT = 1_000_000;

/**
 * Percent of credit over counted, or null when nothing counts (never NaN). Multiplying first
 * keeps one rounding (the division) while the product is exact, so 96.4 comes out as 96.4.
 */
export function percentOf(credit: number, counted: number): number | null {
  if (counted === 0) return null;
  const scaled = credit * 100;
  return Number.isSafeInteger(scaled) ? scaled / counted : (credit / counted) * 100;
}

/** Item-equivalents as a plain number (credit and counted in the API). */
export function unitsToItems(units: number): number {
  return units / UNITS_PER_ITEM;
}

/** A whole-number percent 0–100, or INVALID_PERCENT. */
export function assertItemPercent(percent: number, field: readonly string[] = ['percent']): number {
  if (!Number.isInteger(percent) || percent < 0 || percent > 100) {
    throw new DomainError(
      'INVALID_PERCENT',
      `进度必须是 0 到 100 之间的整数，收到 ${percent}`,
      field,
    );
  }
  return percent;
}

/** A whole-number item weight 1–1000, or INVALID_INPUT. */
export function assertItemWeight(weight: number, field: readonly string[] = ['weight']): number {
  if (!Number.isInteger(weight) || weight < 1 || weight > MAX_ITEM_WEIGHT) {
    throw new DomainError(
      'INVALID_INPUT',
      `事项权重必须是 1 到 ${MAX_ITEM_WEIGHT} 之间的整数，收到 ${weight}`,
      field,
    );
  }
  return weight;
}

/** Hundredths of a number with at most two decimals, or null when it has more. */
function toHundredths(value: number): number | null {
  const scaled = Math.round(value * 100);
  return Math.abs(scaled - value * 100) < 1e-6 ? scaled : null;
}

/** A workstream weight (0 < w ≤ 1e6, two decimals at most) in hundredths. */
export function workstreamWeightToCenti(
  weight: number,
  field: readonly string[] = ['weight'],
): number {
  const centi = Number.isFinite(weight) ? toHundredths(weight) : null;
  if (centi === null || centi <= 0 || weight > MAX_WORKSTREAM_WEIGHT) {
    throw new DomainError(
      'INVALID_INPUT',
      `工作流权重必须大于 0、不超过 ${MAX_WORKSTREAM_WEIGHT}，最多两位小数，收到 ${weight}`,
      field,
    );
  }
  return centi;
}

/** A manual percent (0–100, two decimals at most) in basis points, or INVALID_PERCENT. */
export function manualPercentToBasisPoints(
  percent: number,
  field: readonly string[] = ['manualPercent'],
): number {
  const bp = Number.isFinite(percent) ? toHundredths(percent) : null;
  if (bp === null || bp < 0 || bp > 10_000) {
    throw new DomainError(
      'INVALID_PERCENT',
      `人工进度必须在 0 到 100 之间，最多两位小数，收到 ${percent}`,
      field,
    );
  }
  return bp;
}
