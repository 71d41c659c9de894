import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextPercent } from '../../../src/domain/item-rules.js';
import {
  ITEM_STATUSES,
  isItemStatus,
  isLocale,
  statusLabel,
  type ItemStatus,
} from '../../../src/domain/item-status.js';
import {
  DEFAULT_POLICY,
  excludedStatuses,
  isDefaultPolicy,
  resolvePolicy,
} from '../../../src/domain/rollup-policy.js';
import { itemDelta, mergeDeltas, type TallyDelta } from '../../../src/domain/tally.js';
import { thrownBy } from './domain-error.helper.js';

const HIVE_LABELS = { 'zh-CN': { CANCELLED: '取消迁移' } };

describe('statuses and labels', () => {
  it('keeps the fixed status order every byStatus list uses', () => {
    expect(ITEM_STATUSES).toEqual([
      'NOT_STARTED',
      'IN_PROGRESS',
      'PAUSED',
      'DONE',
      'DECOMMISSIONABLE',
      'CANCELLED',
    ]);
  });

  it.each([
    ['NOT_STARTED', '未启动', 'not started'],
    ['IN_PROGRESS', '处理中', 'in progress'],
    ['PAUSED', '暂停', 'paused'],
    ['DONE', '完成', 'done'],
    ['DECOMMISSIONABLE', '可下线', 'can be retired'],
    ['CANCELLED', '取消', 'cancelled'],
  ] as const)('labels %s as %s / %s', (status, zh, en) => {
    expect(statusLabel(status)).toBe(zh);
    expect(statusLabel(status, 'zh-CN', null)).toBe(zh);
    expect(statusLabel(status, 'en')).toBe(en);
  });

  it('applies an initiative override only to its locale and status (Hive says 取消迁移)', () => {
    expect(statusLabel('CANCELLED', 'zh-CN', HIVE_LABELS)).toBe('取消迁移');
    expect(statusLabel('CANCELLED', 'en', HIVE_LABELS)).toBe('cancelled');
    expect(statusLabel('DONE', 'zh-CN', HIVE_LABELS)).toBe('完成');
    expect(statusLabel('DONE', 'en', { en: { DONE: 'shipped' } })).toBe('shipped');
  });

  it.each([
    ['DONE', true],
    ['CANCELLED', true],
    ['done', false],
    ['', false],
    [null, false],
    [3, false],
  ])('isItemStatus(%j) = %s', (v, ok) => expect(isItemStatus(v)).toBe(ok));

  it.each([
    ['zh-CN', true],
    ['en', true],
    ['zh', false],
    ['EN', false],
  ])('isLocale(%j) = %s', (v, ok) => expect(isLocale(v)).toBe(ok));
});

describe('resolvePolicy', () => {
  const REPORT_RULE = {
    NOT_STARTED: 'ZERO',
    IN_PROGRESS: 'PERCENT',
    PAUSED: 'PERCENT',
    DONE: 'FULL',
    DECOMMISSIONABLE: 'FULL',
    CANCELLED: 'FULL',
  };

  it.each([undefined, null, {}])('with no overrides (%j) is the report rule', (overrides) => {
    const policy = resolvePolicy(overrides);
    expect(policy).toEqual(REPORT_RULE);
    expect(DEFAULT_POLICY).toEqual(REPORT_RULE);
    expect(isDefaultPolicy(policy)).toBe(true);
    expect(excludedStatuses(policy)).toEqual([]);
  });

  it('applies overrides, freezes the result and leaves the default untouched', () => {
    const policy = resolvePolicy({
      CANCELLED: 'EXCLUDED',
      PAUSED: 'ZERO',
      NOT_STARTED: 'EXCLUDED',
    });
    expect(policy).toEqual({
      ...REPORT_RULE,
      CANCELLED: 'EXCLUDED',
      PAUSED: 'ZERO',
      NOT_STARTED: 'EXCLUDED',
    });
    expect(excludedStatuses(policy)).toEqual(['NOT_STARTED', 'CANCELLED']);
    expect(isDefaultPolicy(policy)).toBe(false);
    expect(Object.isFrozen(policy)).toBe(true);
    expect(DEFAULT_POLICY).toEqual(REPORT_RULE);
    expect(isDefaultPolicy(resolvePolicy({ DONE: 'FULL' }))).toBe(true);
  });

  it.each([
    { FINISHED: 'FULL' },
    { DONE: 'HALF' },
    { done: 'FULL' },
    { DONE: 'full' },
    { DONE: null },
    { DONE: 1 },
    { IN_PROGRESS: 'PERCENT', toString: 'ZERO' },
    JSON.parse('{"__proto__": "FULL"}') as Record<string, unknown>,
  ])('rejects %j with INVALID_INPUT on rollupPolicy', (overrides) => {
    expect(thrownBy(() => resolvePolicy(overrides))).toEqual({
      code: 'INVALID_INPUT',
      field: ['rollupPolicy'],
    });
  });
});

describe('nextPercent', () => {
  it.each([
    ['DONE', 40, 100],
    ['NOT_STARTED', 40, 0],
    ['IN_PROGRESS', 40, 40],
    ['PAUSED', 90, 90],
    ['DECOMMISSIONABLE', 35, 35],
    ['CANCELLED', 12, 12],
  ] as const)('%s from %s with no given percent → %s', (status, current, next) => {
    expect(nextPercent(status, current, null)).toBe(next);
    expect(nextPercent(status, current, undefined)).toBe(next);
  });

  it.each(['IN_PROGRESS', 'PAUSED', 'DECOMMISSIONABLE', 'CANCELLED'] as const)(
    'a given percent wins for %s (0 and 100 included)',
    (status) => {
      expect(nextPercent(status, 40, 75)).toBe(75);
      expect(nextPercent(status, 40, 0)).toBe(0);
      expect(nextPercent(status, 40, 100)).toBe(100);
    },
  );

  it.each([
    ['DONE', 100, [0, 5, 99]],
    ['NOT_STARTED', 0, [1, 80, 100]],
  ] as const)('%s takes only %s as a given percent', (status, fixed, wrong) => {
    expect(nextPercent(status, 40, fixed)).toBe(fixed);
    for (const given of wrong) {
      expect(thrownBy(() => nextPercent(status, 40, given, ['items', '0', 'percent']))).toEqual({
        code: 'INVALID_PERCENT',
        field: ['items', '0', 'percent'],
      });
    }
  });

  it.each([-1, 101, 50.5, NaN])(
    'an invalid given percent %s → INVALID_PERCENT on the field',
    (given) => {
      expect(
        thrownBy(() => nextPercent('IN_PROGRESS', 40, given, ['items', '0', 'percent'])),
      ).toEqual({ code: 'INVALID_PERCENT', field: ['items', '0', 'percent'] });
    },
  );
});

describe('mergeDeltas', () => {
  const d = (workstreamId: number, delta: TallyDelta) => ({ workstreamId, delta });

  it('sums per (workstream, status), drops zero deltas and sorts by workstream then status order', () => {
    const merged = mergeDeltas([
      d(2, itemDelta('DONE', 3, 100, 1)),
      d(1, itemDelta('CANCELLED', 1, 0, 1)),
      d(2, itemDelta('IN_PROGRESS', 3, 40, -1)),
      d(1, itemDelta('IN_PROGRESS', 2, 50, 1)),
      d(2, itemDelta('DONE', 1, 100, 1)),
      d(1, itemDelta('IN_PROGRESS', 2, 50, -1)), // cancels the +1 above
      d(1, itemDelta('NOT_STARTED', 1, 0, 1)),
    ]);
    expect(merged).toEqual([
      d(1, { status: 'NOT_STARTED', items: 1, weight: 1, percentWeight: 0 }),
      d(1, { status: 'CANCELLED', items: 1, weight: 1, percentWeight: 0 }),
      d(2, { status: 'IN_PROGRESS', items: -1, weight: -3, percentWeight: -120 }),
      d(2, { status: 'DONE', items: 2, weight: 4, percentWeight: 400 }),
    ]);
  });

  it('keeps a delta whose items cancel but whose percent moved (a percent edit)', () => {
    const merged = mergeDeltas([
      d(5, itemDelta('IN_PROGRESS', 2, 40, -1)),
      d(5, itemDelta('IN_PROGRESS', 2, 70, 1)),
    ]);
    expect(merged).toEqual([
      d(5, { status: 'IN_PROGRESS', items: 0, weight: 0, percentWeight: 60 }),
    ]);
    expect(mergeDeltas([])).toEqual([]);
  });

  it('equals per-key sums, unique keys in sorted order (property)', () => {
    const entry = fc.record({
      ws: fc.integer({ min: 1, max: 5 }),
      status: fc.constantFrom(...ITEM_STATUSES),
      weight: fc.integer({ min: 1, max: 5 }),
      percent: fc.integer({ min: 0, max: 100 }),
      sign: fc.constantFrom(1 as const, -1 as const),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 40, size: 'max' }), (entries) => {
        // x + 0 turns a -0 (itemDelta of a 0% item with sign -1) into 0; the sums are the same
        const merged = mergeDeltas(
          entries.map((e) => d(e.ws, itemDelta(e.status, e.weight, e.percent, e.sign))),
        ).map(({ workstreamId, delta }) =>
          d(workstreamId, { ...delta, percentWeight: delta.percentWeight + 0 }),
        );
        const sums = new Map<string, [number, number, number]>();
        for (const e of entries) {
          const s = sums.get(`${e.ws}:${e.status}`) ?? [0, 0, 0];
          sums.set(`${e.ws}:${e.status}`, [
            s[0] + e.sign,
            s[1] + e.sign * e.weight,
            s[2] + e.sign * e.weight * e.percent,
          ]);
        }
        const expected = [...sums]
          .filter(([, s]) => s.some((x) => x !== 0))
          .map(([key, [items, weight, percentWeight]]) => {
            const [ws, status] = key.split(':') as [string, ItemStatus];
            return d(Number(ws), { status, items, weight, percentWeight });
          })
          .sort(
            (a, b) =>
              a.workstreamId - b.workstreamId ||
              ITEM_STATUSES.indexOf(a.delta.status) - ITEM_STATUSES.indexOf(b.delta.status),
          );
        expect(merged).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
