import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../../../src/domain/change-events.js';
import { CLOCK_SKEW_MS, effectiveTime } from '../../../src/domain/effective-time.js';
import { deltasOf } from '../../../src/domain/event-deltas.js';
import { ITEM_STATUSES, type ItemStatus } from '../../../src/domain/item-status.js';
import { thrownBy } from './domain-error.helper.js';
import { applyDelta, emptyTally, type Tally } from '../../../src/domain/tally.js';

const at = new Date('2024-05-13T00:00:00Z');
const base = { initiativeId: 1, workstreamId: 2, itemId: 3, version: 1, effectiveAt: at };

/** The tally of some items counted from scratch. */
function tallyOf(items: readonly { status: ItemStatus; percent: number; weight: number }[]): Tally {
  const t = emptyTally();
  for (const i of items) {
    t[i.status].items += 1;
    t[i.status].weight += i.weight;
    t[i.status].percentWeight += i.weight * i.percent;
  }
  return t;
}

describe('counter deltas derived from change events', () => {
  it('leave a workstream’s tally equal to a count of its items after any sequence', () => {
    const state = fc.record({
      status: fc.constantFrom(...ITEM_STATUSES),
      percent: fc.integer({ min: 0, max: 100 }),
    });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 5 }), state), { minLength: 1, maxLength: 8 }),
        fc.array(fc.tuple(fc.nat(), fc.oneof(state, fc.constant('delete' as const))), {
          maxLength: 30,
        }),
        (created, changes) => {
          const items = created.map(([weight, s]) => ({ ...s, weight, live: true }));
          const events: ChangeEvent[] = items.map((i, n) => ({
            ...base,
            itemId: n,
            type: 'ItemCreated',
            state: { status: i.status, percent: i.percent, weight: i.weight },
          }));
          for (const [pick, change] of changes) {
            const n = pick % items.length;
            const item = items[n]!;
            const state = { status: item.status, percent: item.percent, weight: item.weight };
            if (change === 'delete') {
              events.push({
                ...base,
                itemId: n,
                type: item.live ? 'ItemDeleted' : 'ItemRestored',
                state,
              });
              item.live = !item.live;
            } else if (item.live) {
              events.push({
                ...base,
                itemId: n,
                type: 'ItemStatusChanged',
                weight: item.weight,
                from: { status: item.status, percent: item.percent },
                to: change,
              });
              Object.assign(item, change);
            }
          }
          const tally = emptyTally();
          for (const d of deltasOf(events)) applyDelta(tally, d.delta);
          expect(tally).toEqual(tallyOf(items.filter((i) => i.live)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('move no counter for workstream and initiative events', () => {
    const events: ChangeEvent[] = [
      { ...base, type: 'WorkstreamReweighted', from: 100, to: 200 },
      { ...base, type: 'WorkstreamDeleted', subtree: [2] },
      { initiativeId: 1, effectiveAt: at, type: 'InitiativePolicyChanged', from: null, to: {} },
    ];
    expect(deltasOf(events)).toEqual([]);
  });
});

describe('effectiveTime', () => {
  const now = new Date('2024-05-13T12:00:00Z');
  const born = new Date('2024-05-01T00:00:00Z');
  const field = ['updates', '3', 'effectiveAt'];

  it('defaults to now and accepts any time from the object’s birth to a minute ahead', () => {
    expect(effectiveTime(undefined, now, born, field)).toBe(now);
    expect(effectiveTime(null, now, born, field)).toBe(now);
    for (const t of [born, now, new Date('2024-05-10')])
      expect(effectiveTime(t, now, born, field)).toBe(t);
  });

  it('takes a time ahead within the skew as now (a fast client clock), never after the clock', () => {
    for (const ahead of [1, CLOCK_SKEW_MS])
      expect(effectiveTime(new Date(now.getTime() + ahead), now, born, field)).toBe(now);
  });

  it('refuses the future beyond the skew and times before the object existed, on the field', () => {
    for (const t of [
      new Date(now.getTime() + CLOCK_SKEW_MS + 1),
      new Date(born.getTime() - 1),
      new Date(Number.NaN),
    ])
      expect(thrownBy(() => effectiveTime(t, now, born, field))).toEqual({
        code: 'INVALID_INPUT',
        field,
      });
  });
});
