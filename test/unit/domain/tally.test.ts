import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addCreditOf, creditOfTally } from '../../../src/domain/credit.js';
import { ITEM_STATUSES } from '../../../src/domain/item-status.js';
import { CREDIT_RULES, type RollupPolicy } from '../../../src/domain/rollup-policy.js';
import {
  addTally,
  emptyTally,
  sumsOf,
  tallyItems,
  zeroTally,
  type Tally,
} from '../../../src/domain/tally.js';

/*
 * The tally functions name each status (tally.ts says why). Each is held here to the loop
 * over ITEM_STATUSES it replaces, so a status added to the list and not to them fails.
 */

const sums = fc.record({
  items: fc.integer({ min: -1_000, max: 1_000_000 }),
  weight: fc.integer({ min: -100_000, max: 100_000_000 }),
  percentWeight: fc.integer({ min: -10_000_000, max: 10_000_000_000 }),
});
const tally = fc
  .tuple(...ITEM_STATUSES.map(() => sums))
  .map((list) => Object.fromEntries(ITEM_STATUSES.map((s, i) => [s, list[i]])) as Tally);
const policy = fc
  .tuple(...ITEM_STATUSES.map(() => fc.constantFrom(...CREDIT_RULES)))
  .map((rules) => Object.fromEntries(ITEM_STATUSES.map((s, i) => [s, rules[i]])) as RollupPolicy);

const copy = (t: Tally): Tally => structuredClone(t);

describe('tally functions written status by status', () => {
  it('emptyTally has every status, in ITEM_STATUSES order, each at zero', () => {
    const t = emptyTally();
    expect(Object.keys(t)).toEqual([...ITEM_STATUSES]);
    for (const status of ITEM_STATUSES)
      expect(t[status]).toEqual({ items: 0, weight: 0, percentWeight: 0 });
    // Fresh objects every time: a fold adds into them.
    expect(emptyTally().DONE).not.toBe(emptyTally().DONE);
  });

  it('addTally adds every status as the loop does, and leaves `from` as it was', () => {
    fc.assert(
      fc.property(tally, tally, (into, from) => {
        const expected = copy(into);
        for (const status of ITEM_STATUSES) {
          expected[status].items += from[status].items;
          expected[status].weight += from[status].weight;
          expected[status].percentWeight += from[status].percentWeight;
        }
        const before = copy(from);
        addTally(into, from);
        expect(into).toEqual(expected);
        expect(from).toEqual(before);
      }),
      { numRuns: 200 },
    );
  });

  it('tallyItems counts the items of every status', () => {
    fc.assert(
      fc.property(tally, (t) => {
        let total = 0;
        for (const status of ITEM_STATUSES) total += t[status].items;
        expect(tallyItems(t)).toBe(total);
      }),
      { numRuns: 200 },
    );
  });

  it('creditOfTally gives what each status’s rule gives, summed in ITEM_STATUSES order', () => {
    fc.assert(
      fc.property(tally, policy, (t, p) => {
        const expected = { credit: 0, counted: 0 };
        for (const status of ITEM_STATUSES) addCreditOf(expected, p[status], t[status]);
        expect(creditOfTally(t, p)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});

describe('tally accessors written status by status', () => {
  it('sumsOf is the status’s own sums object, for every status', () => {
    const t = emptyTally();
    for (const status of ITEM_STATUSES) expect(sumsOf(t, status)).toBe(t[status]);
  });

  it('zeroTally sets every sum of every status to zero, in place', () => {
    fc.assert(
      fc.property(tally, (t) => {
        const objects = ITEM_STATUSES.map((s) => t[s]);
        zeroTally(t);
        expect(t).toEqual(emptyTally());
        expect(ITEM_STATUSES.map((s) => t[s])).toEqual(objects);
        ITEM_STATUSES.forEach((s, i) => expect(t[s]).toBe(objects[i]));
      }),
      { numRuns: 100 },
    );
  });
});
