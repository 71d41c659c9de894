import { DomainError } from './errors.js';

/**
 * Exact decimals for metric readings: an integer of units at a scale (1409444.598 is 1409444598
 * at scale 3). BigInt throughout, so sums and differences never pass through a float. A value
 * keeps the decimal places it was written with (99.90 stays 99.90, 100 stays 100): the report
 * prints readings as the team wrote them.
 */
export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

/** Most decimal places a metric may declare. */
export const MAX_DECIMALS = 6;
/** Most integer digits: 15 keep every value and sum exact in a double as well. */
const MAX_INTEGER_DIGITS = 15;
const PATTERN = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * Parses `text` ("99.81", "-3", "1409444.598") with at most `maxScale` decimal places, or
 * INVALID_INPUT on `field` (not a number, exponent, thousands separators, too many places).
 */
export function parseDecimal(text: string, maxScale: number, field: readonly string[]): Decimal {
  const match = typeof text === 'string' ? PATTERN.exec(text.trim()) : null;
  if (!match)
    throw new DomainError('INVALID_INPUT', `读数必须是十进制数字，收到 ${String(text)}`, field);
  if (match[2]!.length > MAX_INTEGER_DIGITS)
    throw new DomainError(
      'INVALID_INPUT',
      `读数的整数部分最多 ${MAX_INTEGER_DIGITS} 位，收到 ${text}`,
      field,
    );
  const frac = match[3] ?? '';
  if (frac.length > maxScale)
    throw new DomainError('INVALID_INPUT', `读数最多 ${maxScale} 位小数，收到 ${text}`, field);
  const units = BigInt(`${match[2]}${frac}`);
  return { units: match[1] === '-' ? -units : units, scale: frac.length };
}

/** `d` at a larger scale (same value). */
export function rescale(d: Decimal, scale: number): Decimal {
  if (scale < d.scale) throw new Error('rescale would lose digits');
  return { units: d.units * 10n ** BigInt(scale - d.scale), scale };
}

function aligned(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [rescale(a, scale).units, rescale(b, scale).units, scale];
}

export function addDecimal(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = aligned(a, b);
  return { units: x + y, scale };
}

export function subDecimal(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = aligned(a, b);
  return { units: x - y, scale };
}

/** -1, 0 or 1, as a sort comparator. */
export function compareDecimal(a: Decimal, b: Decimal): number {
  const [x, y] = aligned(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function absDecimal(d: Decimal): Decimal {
  return d.units < 0n ? { units: -d.units, scale: d.scale } : d;
}

/**
 * The decimal as text at its own scale; `group` puts thousands separators in the whole part
 * (1,409,444.598), as the cost line does.
 */
export function formatDecimal(d: Decimal, group = false): string {
  const sign = d.units < 0n ? '-' : '';
  const digits = (d.units < 0n ? -d.units : d.units).toString().padStart(d.scale + 1, '0');
  let whole = digits.slice(0, digits.length - d.scale);
  const frac = digits.slice(digits.length - d.scale);
  if (group) whole = whole.replace(/\B(?=(\d{3})+$)/g, ',');
  return `${sign}${whole}${frac ? `.${frac}` : ''}`;
}

/** The shortest scale that states the value exactly (212528.21950 → 212528.2195). */
export function trimDecimal(d: Decimal): Decimal {
  let { units, scale } = d;
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale -= 1;
  }
  return { units, scale };
}

/** a / b as a ratio in [0, 1] for progress, exact until this one division. */
export function ratioOf(a: Decimal, b: Decimal): number | null {
  const [x, y] = aligned(a, b);
  if (y === 0n) return null;
  return Number((x * 1_000_000n) / y) / 1_000_000;
}
