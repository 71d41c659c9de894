import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatRatioPercent, formatUnits } from '../../../src/domain/format-number.js';
import {
  assertItemPercent,
  assertItemWeight,
  manualPercentToBasisPoints,
  percentOf,
  unitsToItems,
  workstreamWeightToCenti,
} from '../../../src/domain/units.js';
import { thrownBy } from './domain-error.helper.js';

describe('item percent and weight', () => {
  it.each([0, 1, 50, 100])('assertItemPercent(%s) passes', (p) =>
    expect(assertItemPercent(p)).toBe(p),
  );
  it.each([-1, 101, 50.5, NaN, Infinity, -0.5])('assertItemPercent(%s) → INVALID_PERCENT', (p) => {
    expect(thrownBy(() => assertItemPercent(p))).toEqual({
      code: 'INVALID_PERCENT',
      field: ['percent'],
    });
  });
  it.each([1, 7, 1000])('assertItemWeight(%s) passes', (w) => expect(assertItemWeight(w)).toBe(w));
  it.each([0, -1, 1001, 1.5, NaN, Infinity])('assertItemWeight(%s) → INVALID_INPUT', (w) => {
    expect(thrownBy(() => assertItemWeight(w, ['items', '3', 'weight']))).toEqual({
      code: 'INVALID_INPUT',
      field: ['items', '3', 'weight'],
    });
  });
});

describe('workstream weight and manual percent', () => {
  it.each([
    [0.01, 1],
    [20, 2000],
    [1e6, 1e8],
    [0.1 + 0.2, 30],
    [12.34, 1234],
  ])('workstreamWeightToCenti(%s) = %s', (w, c) => expect(workstreamWeightToCenti(w)).toBe(c));
  it.each([0, -1, 0.001, 0.004, Infinity, NaN, 1e6 + 0.01, -0.01])(
    'workstreamWeightToCenti(%s) → INVALID_INPUT',
    (w) => {
      expect(thrownBy(() => workstreamWeightToCenti(w))).toEqual({
        code: 'INVALID_INPUT',
        field: ['weight'],
      });
    },
  );
  it.each([
    [96.4, 9640],
    [0, 0],
    [0.01, 1],
    [100, 10_000],
    [87.23, 8723],
  ])('manualPercentToBasisPoints(%s) = %s', (p, bp) =>
    expect(manualPercentToBasisPoints(p)).toBe(bp),
  );
  it.each([100.01, -0.01, 0.001, NaN, Infinity, -Infinity, 150])(
    'manualPercentToBasisPoints(%s) → INVALID_PERCENT',
    (p) => {
      expect(thrownBy(() => manualPercentToBasisPoints(p))).toEqual({
        code: 'INVALID_PERCENT',
        field: ['manualPercent'],
      });
    },
  );
  it('every two-decimal value round-trips exactly (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        (c, bp) => {
          expect(workstreamWeightToCenti(c / 100)).toBe(c);
          expect(manualPercentToBasisPoints(bp / 100)).toBe(bp);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('formatRatioPercent', () => {
  it.each([
    [141_220_000, 164_000_000, '86.11'],
    [160_500_000, 184_000_000, '87.23'],
    [86_105, 100_000, '86.11'], // exactly 86.105: half-up, never 86.10
    [86_104_999, 100_000_000, '86.10'],
    [1, 8, '12.50'],
    [1, 3, '33.33'],
    [2, 3, '66.67'],
    [1, 160, '0.63'], // 0.625
    [1, 1600, '0.06'], // 0.0625
    [1, 20_000, '0.01'], // exactly 0.005
    [1, 20_001, '0.00'], // just under 0.005
    [199_990, 200_000, '99.99'], // 99.995: work is left, so never 100.00
    [199_999_999, 200_000_000, '99.99'],
    [199_980, 200_000, '99.99'], // 99.99 exactly
    [0, 5, '0.00'],
    [5, 5, '100.00'],
    [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, '100.00'],
    [0, 0, null],
    [7, 0, null],
  ])('formatRatioPercent(%s, %s) = %s', (credit, counted, out) => {
    expect(formatRatioPercent(credit, counted)).toBe(out);
  });

  it.each([
    [1, 8, 0, '13'],
    [1, 8, 1, '12.5'],
    [1, 3, 4, '33.3333'],
    [1, 200_000, 3, '0.001'], // exactly 0.0005
  ])('formatRatioPercent(%s, %s, %s decimals) = %s', (credit, counted, d, out) => {
    expect(formatRatioPercent(credit, counted, d)).toBe(out);
  });

  /** Half-up of credit/counted × 100 by quotient and remainder, printed by string slicing. */
  function reference(credit: number, counted: number, decimals: number): string {
    const scaled = BigInt(credit) * 100n * 10n ** BigInt(decimals);
    const d = BigInt(counted);
    const q = scaled / d + (2n * (scaled % d) >= d ? 1n : 0n);
    if (decimals === 0) return q.toString();
    const digits = q.toString().padStart(decimals + 1, '0');
    return `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  }

  it('equals an independent quotient-and-remainder computation (property)', () => {
    const counted = fc.oneof(fc.integer({ min: 1, max: 1_000 }), fc.integer({ min: 1, max: 1e15 }));
    fc.assert(
      fc.property(
        counted,
        fc.double({ min: 0, max: 1.2, noNaN: true }),
        fc.integer({ min: 0, max: 4 }),
        (d, f, decimals) => {
          const credit = Math.floor(d * f);
          const out = formatRatioPercent(credit, d, decimals);
          const rounded = reference(credit, d, decimals);
          // Unfinished work that rounds to 100 reads one step below it.
          const below = (100 - 10 ** -decimals).toFixed(decimals);
          expect(out).toBe(credit < d && Number(rounded) >= 100 ? below : rounded);
          expect(Math.abs(Number(out) - (credit / d) * 100)).toBeLessThanOrEqual(
            10 ** -decimals + 1e-9,
          );
          expect(Number(out) === 100).toBe(credit === d);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('formatUnits, percentOf and unitsToItems', () => {
  it.each([
    [141_220_000, '141.22'],
    [164_000_000, '164'],
    [19_280_000, '19.28'],
    [0, '0'],
    [1, '0.000001'],
    [1_000_000, '1'],
    [10_500_000, '10.5'],
    [-1_500_000, '-1.5'],
  ])('formatUnits(%s) = %s', (units, out) => expect(formatUnits(units)).toBe(out));

  it('formatUnits is exact: the string read as decimal micro-items gives the integer back (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9e15 }), (units) => {
        const [whole, frac = ''] = formatUnits(units).split('.');
        expect(frac).not.toMatch(/0$/);
        expect(BigInt(whole! + frac.padEnd(6, '0'))).toBe(BigInt(units));
      }),
      { numRuns: 500 },
    );
  });

  it('percentOf is null when nothing counts and exact where the product is', () => {
    expect(percentOf(0, 0)).toBeNull();
    expect(percentOf(5, 0)).toBeNull();
    expect(percentOf(0, 5)).toBe(0);
    expect(percentOf(19_280_000, 20_000_000)).toBe(96.4);
    expect(percentOf(3_000_000, 3_000_000)).toBe(100);
    expect(percentOf(141_220_000, 164_000_000)).toBeCloseTo(86.1098, 4);
    expect(percentOf(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)).toBeCloseTo(100, 10);
    expect(unitsToItems(141_220_000)).toBe(141.22);
  });

  it('percentOf is finite and never NaN for any positive counted (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9e15 }), fc.nat({ max: 9e15 }), (counted, c) => {
        const credit = c % (counted + 1);
        const p = percentOf(credit, counted)!;
        expect(Number.isFinite(p)).toBe(true);
        expect(Math.abs(p - (credit / counted) * 100)).toBeLessThan(1e-9);
      }),
      { numRuns: 500 },
    );
  });
});
