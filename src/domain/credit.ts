import { assertNever } from './item-status.js';
import type { CreditRule, RollupPolicy } from './rollup-policy.js';
import type { Tally } from './tally.js';
import { UNITS_PER_ITEM, UNITS_PER_PERCENT_WEIGHT } from './units.js';

/*
 * What items and manual workstreams are worth, in micro-items (units.ts): the credit and the
 * count each status's rule gives, summed over a tally. Whole numbers throughout, so the figures
 * built of them (rollup.ts, live-figures.ts, credit-fold.ts) add up the same in any order.
 */

/** Work that is not itemized: a weight in hundredths and a percent in basis points. */
export interface ManualWork {
  readonly weightCenti: number;
  readonly percentBp: number;
}

/** Credit and counted of a tally under a policy, in micro-items. */
export function creditOfTally(
  tally: Readonly<Tally>,
  policy: RollupPolicy,
): { credit: number; counted: number } {
  // Status by status, in ITEM_STATUSES's order, for the reason given in tally.ts.
  const sum = { credit: 0, counted: 0 };
  addCreditOf(sum, policy.NOT_STARTED, tally.NOT_STARTED);
  addCreditOf(sum, policy.IN_PROGRESS, tally.IN_PROGRESS);
  addCreditOf(sum, policy.PAUSED, tally.PAUSED);
  addCreditOf(sum, policy.DONE, tally.DONE);
  addCreditOf(sum, policy.DECOMMISSIONABLE, tally.DECOMMISSIONABLE);
  addCreditOf(sum, policy.CANCELLED, tally.CANCELLED);
  return sum;
}

/**
 * Adds what one status's sums (Σ weight, Σ weight × percent) give under its rule, in
 * micro-items: whole numbers, so sums of parts equal the part of sums whatever the order (the
 * live figures add a write's deltas this way: live-figures.ts).
 */
export function addCreditOf(
  into: { credit: number; counted: number },
  rule: CreditRule,
  sums: { readonly weight: number; readonly percentWeight: number },
): void {
  switch (rule) {
    case 'FULL':
      into.credit += sums.weight * UNITS_PER_ITEM;
      into.counted += sums.weight * UNITS_PER_ITEM;
      break;
    case 'PERCENT':
      into.credit += sums.percentWeight * UNITS_PER_PERCENT_WEIGHT;
      into.counted += sums.weight * UNITS_PER_ITEM;
      break;
    case 'ZERO':
      into.counted += sums.weight * UNITS_PER_ITEM;
      break;
    case 'EXCLUDED':
      break;
    default:
      assertNever(rule);
  }
}

/** What a manual workstream adds to its own figure and every ancestor's, in micro-items. */
export function manualFigure(manual: ManualWork | null): { credit: number; counted: number } {
  if (!manual) return { credit: 0, counted: 0 };
  return {
    credit: manual.weightCenti * manual.percentBp,
    counted: manual.weightCenti * UNITS_PER_PERCENT_WEIGHT,
  };
}
