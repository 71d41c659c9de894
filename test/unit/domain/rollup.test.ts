import { describe, expect, it } from 'vitest';
import { formatRatioPercent } from '../../../src/domain/format-number.js';
import { ITEM_STATUSES, type ItemStatus } from '../../../src/domain/item-status.js';
import { creditOfTally, type ManualWork } from '../../../src/domain/credit.js';
import { foldTree, type RollupNode } from '../../../src/domain/rollup.js';
import {
  CREDIT_RULES,
  DEFAULT_POLICY,
  resolvePolicy,
  type RollupPolicy,
} from '../../../src/domain/rollup-policy.js';
import { emptyTally } from '../../../src/domain/tally.js';
import { percentOf } from '../../../src/domain/units.js';
import {
  MIGRATION_NAME,
  OTHER_NAME,
  hiveCategories,
  hiveNodes,
  tallyOf,
  type TestItem,
} from './hive-week20.fixture.js';

const node = (
  id: string,
  parentId: string | null,
  items: TestItem[] = [],
  manual: ManualWork | null = null,
): RollupNode<string> => ({ id, parentId, tally: tallyOf(items), manual });
const i = (status: ItemStatus, weight = 1, percent = 0): TestItem => ({ status, weight, percent });

describe('creditOfTally and a one-node foldTree, per credit rule', () => {
  // [case, items, policy overrides, credit, counted, formatted percent]
  const cases: [string, TestItem[], Record<string, string>, number, number, string | null][] = [
    ['FULL earns the whole weight', [i('DONE', 3, 40)], {}, 3_000_000, 3_000_000, '100.00'],
    ['PERCENT earns weight × percent', [i('IN_PROGRESS', 2, 45)], {}, 900_000, 2_000_000, '45.00'],
    ['ZERO earns nothing but counts', [i('NOT_STARTED', 4, 70)], {}, 0, 4_000_000, '0.00'],
    ['no work left is FULL', [i('DECOMMISSIONABLE', 2), i('CANCELLED')], {}, 3e6, 3e6, '100.00'],
    ['PAUSED keeps its percent', [i('PAUSED', 1, 90)], {}, 900_000, 1_000_000, '90.00'],
    [
      'mixed weights',
      [i('DONE'), i('IN_PROGRESS', 3, 50), i('NOT_STARTED', 2)],
      {},
      2.5e6,
      6e6,
      '41.67',
    ],
    [
      'EXCLUDED is out of both sides',
      [i('CANCELLED', 5), i('IN_PROGRESS', 1, 30)],
      { CANCELLED: 'EXCLUDED' },
      300_000,
      1e6,
      '30.00',
    ],
    ['override PAUSED → ZERO', [i('PAUSED', 1, 90)], { PAUSED: 'ZERO' }, 0, 1_000_000, '0.00'],
    [
      'override DONE → PERCENT',
      [i('DONE', 2, 60)],
      { DONE: 'PERCENT' },
      1_200_000,
      2_000_000,
      '60.00',
    ],
    [
      'override IN_PROGRESS → FULL',
      [i('IN_PROGRESS', 2, 10)],
      { IN_PROGRESS: 'FULL' },
      2e6,
      2e6,
      '100.00',
    ],
    ['all excluded: no percent', [i('NOT_STARTED', 3)], { NOT_STARTED: 'EXCLUDED' }, 0, 0, null],
    ['empty tally: no percent', [], {}, 0, 0, null],
  ];

  it.each(cases)('%s', (_name, items, overrides, credit, counted, pct) => {
    const policy = resolvePolicy(overrides);
    expect(creditOfTally(tallyOf(items), policy)).toEqual({ credit, counted });
    const { figures, root } = foldTree([node('a', null, items)], policy);
    expect(figures.get('a')).toMatchObject({ credit, counted, total: items.length });
    expect(root).toMatchObject({ credit, counted, total: items.length });
    expect(formatRatioPercent(credit, counted)).toBe(pct);
    const percent = percentOf(root.credit, root.counted);
    expect(percent === null ? null : Number.isFinite(percent)).toBe(pct === null ? null : true);
  });

  it('an empty tally under every rule earns and counts nothing', () => {
    for (const rule of CREDIT_RULES) {
      const policy = Object.fromEntries(ITEM_STATUSES.map((s) => [s, rule])) as RollupPolicy;
      expect(creditOfTally(emptyTally(), policy)).toEqual({ credit: 0, counted: 0 });
    }
  });
});

describe('foldTree', () => {
  it('folds an empty tree to an empty root, with no percent and never NaN', () => {
    const { figures, root } = foldTree<string>([], DEFAULT_POLICY);
    expect(figures.size).toBe(0);
    expect(root).toMatchObject({ credit: 0, counted: 0, total: 0, manualNodes: 0 });
    expect(formatRatioPercent(root.credit, root.counted)).toBeNull();
    expect(percentOf(root.credit, root.counted)).toBeNull();
  });

  it.each([
    {
      manual: { weightCenti: 2000, percentBp: 9640 },
      credit: 19_280_000,
      counted: 20_000_000,
      pct: '96.40',
    },
    { manual: { weightCenti: 1, percentBp: 0 }, credit: 0, counted: 10_000, pct: '0.00' },
    {
      manual: { weightCenti: 150, percentBp: 10_000 },
      credit: 1_500_000,
      counted: 1_500_000,
      pct: '100.00',
    },
  ])('adds a manual node $manual as weight × percent', ({ manual, credit, counted, pct }) => {
    const { figures, root } = foldTree([node('m', null, [], manual)], DEFAULT_POLICY);
    const want = {
      credit,
      counted,
      manualNodes: 1,
      manualCredit: credit,
      manualCounted: counted,
      total: 0,
    };
    expect(figures.get('m')).toMatchObject(want);
    expect(root).toMatchObject(want);
    expect(formatRatioPercent(credit, counted)).toBe(pct);
  });

  it('manual work is not touched by the policy, even when every status is excluded', () => {
    const policy = resolvePolicy(Object.fromEntries(ITEM_STATUSES.map((s) => [s, 'EXCLUDED'])));
    const { root } = foldTree(
      [node('m', null, [i('DONE', 3)], { weightCenti: 100, percentBp: 2500 })],
      policy,
    );
    expect(root).toMatchObject({ credit: 250_000, counted: 1_000_000, total: 1 });
  });

  it('sums own items and manual work over three levels, in any input order', () => {
    const nodes = [
      node('c', 'b', [i('IN_PROGRESS', 2, 25)]),
      node('b', 'a', [i('DONE')], { weightCenti: 50, percentBp: 5000 }),
      node('a', null, [i('NOT_STARTED')]),
      node('z', null, [i('DONE', 4)]),
    ];
    const { figures, root } = foldTree(nodes, DEFAULT_POLICY);
    expect(figures.get('c')).toMatchObject({ credit: 500_000, counted: 2_000_000, total: 1 });
    expect(figures.get('b')).toMatchObject({
      credit: 1_750_000,
      counted: 3_500_000,
      total: 2,
      manualNodes: 1,
    });
    expect(figures.get('a')).toMatchObject({ credit: 1_750_000, counted: 4_500_000, total: 3 });
    expect(figures.get('z')).toMatchObject({ credit: 4_000_000, counted: 4_000_000, total: 1 });
    expect(root).toMatchObject({ credit: 5_750_000, counted: 8_500_000, total: 4, manualNodes: 1 });
    expect(figures.get('a')!.tally.IN_PROGRESS).toEqual({ items: 1, weight: 2, percentWeight: 50 });
  });

  it('does not change the input tallies', () => {
    const nodes = [node('a', null, [i('DONE', 2)]), node('b', 'a', [i('DONE', 3)])];
    foldTree(nodes, DEFAULT_POLICY);
    expect(nodes.map((n) => n.tally.DONE)).toEqual([
      { items: 1, weight: 2, percentWeight: 0 },
      { items: 1, weight: 3, percentWeight: 0 },
    ]);
  });

  it('leaves out a node whose parent is absent, with its whole subtree', () => {
    const nodes = [
      node('a', null, [i('DONE')]),
      node('orphan', 'deleted', [i('DONE', 7)]),
      node('under-orphan', 'orphan', [i('NOT_STARTED', 9)]),
      node('d', 'a', [i('NOT_STARTED')]),
    ];
    const { figures, root } = foldTree(nodes, DEFAULT_POLICY);
    expect([...figures.keys()].sort()).toEqual(['a', 'd']);
    expect(figures.get('a')).toMatchObject({ credit: 1_000_000, counted: 2_000_000, total: 2 });
    expect(root).toMatchObject({ credit: 1_000_000, counted: 2_000_000, total: 2 });
  });

  it('reproduces the week-20 Hive figures: 86.11% for migration, 87.23% overall', () => {
    const { figures, root } = foldTree(hiveNodes(), DEFAULT_POLICY);
    const migration = figures.get(MIGRATION_NAME)!;
    expect(migration).toMatchObject({ credit: 141_220_000, counted: 164_000_000, total: 164 });
    expect(formatRatioPercent(migration.credit, migration.counted)).toBe('86.11');
    const byStatus = Object.fromEntries(ITEM_STATUSES.map((s) => [s, migration.tally[s].items]));
    expect(byStatus).toEqual({
      DECOMMISSIONABLE: 48,
      DONE: 53,
      CANCELLED: 4,
      PAUSED: 1,
      NOT_STARTED: 9,
      IN_PROGRESS: 49,
    });
    expect(figures.get(OTHER_NAME)).toMatchObject({ credit: 19_280_000, counted: 20_000_000 });
    expect(root).toMatchObject({
      credit: 160_500_000,
      counted: 184_000_000,
      total: 164,
      manualNodes: 1,
    });
    expect(formatRatioPercent(root.credit, root.counted)).toBe('87.23');
    const children = hiveCategories().map(({ name }) => figures.get(name)!);
    expect(children.map((f) => f.credit)).toEqual([11.2e6, 33.3e6, 24.9e6, 30.5e6, 38.32e6, 3e6]);
    expect(children.map((f) => f.counted)).toEqual([12e6, 36e6, 25e6, 32e6, 56e6, 3e6]);
  });
});
