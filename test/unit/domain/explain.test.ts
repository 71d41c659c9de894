import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explainFigure, type ExplainInput } from '../../../src/domain/explain.js';
import { formatRatioPercent } from '../../../src/domain/format-number.js';
import { ITEM_STATUSES, type Locale } from '../../../src/domain/item-status.js';
import {
  CREDIT_RULES,
  DEFAULT_POLICY,
  resolvePolicy,
  type RollupPolicy,
} from '../../../src/domain/rollup-policy.js';
import { foldTree } from '../../../src/domain/rollup.js';
import {
  MIGRATION_NAME,
  OTHER_NAME,
  hiveCategories,
  hiveNodes,
  tallyOf,
  times,
  type TestItem,
} from './hive-week20.fixture.js';

const HIVE_LABELS = { 'zh-CN': { CANCELLED: '取消迁移' } };

/** The explanation of the Hive migration node, its six categories named as children. */
function explainMigration(
  locale: Locale,
  policy: RollupPolicy = DEFAULT_POLICY,
  labels: ExplainInput['labels'] = HIVE_LABELS,
): string {
  const { figures } = foldTree(hiveNodes(), policy);
  const children = hiveCategories().map(({ name }) => ({ name, figure: figures.get(name)! }));
  return explainFigure({
    name: MIGRATION_NAME,
    figure: figures.get(MIGRATION_NAME)!,
    policy,
    labels,
    children,
    locale,
  });
}

/** A one-node figure with the given items (and no children). */
function explainItems(
  items: TestItem[],
  locale: Locale,
  policy: RollupPolicy = DEFAULT_POLICY,
): string {
  const { figures } = foldTree(
    [{ id: 'n', parentId: null, tally: tallyOf(items), manual: null }],
    policy,
  );
  return explainFigure({
    name: '空工作流',
    figure: figures.get('n')!,
    policy,
    children: [],
    locale,
  });
}

describe('explainFigure for the week-20 Hive migration node', () => {
  it('zh-CN: says 86.11% = 141.22 ÷ 164 first, then rule, statuses and each child with its figure', () => {
    const text = explainMigration('zh-CN');
    const lines = text.split('\n');
    expect(lines[0]).toBe('Hive迁移：进度 86.11% = 得分 141.22 ÷ 计入 164（单位：事项，按权重）');
    expect(lines[1]).toBe(
      '规则：未启动 计 0；处理中、暂停 按各自进度；完成、可下线、取消迁移 计满分',
    );
    expect(text).toContain('处理中 49 项（权重 49）→ 35.32');
    expect(text).toContain('暂停 1 项（权重 1）→ 0.9');
    expect(text).toContain('取消迁移 4 项（权重 4）→ 4');
    expect(text).not.toMatch(/取消 4 项/);
    for (const child of [
      'Hive迁移-TOB商户账单 11.2 / 12 = 93.33%',
      'Hive迁移-风控报表 33.3 / 36 = 92.50%',
      'Hive迁移-产品运营报表 24.9 / 25 = 99.60%',
      'Hive迁移-存管报表 30.5 / 32 = 95.31%',
      'Hive迁移-资金部报表 38.32 / 56 = 68.43%',
      'Hive迁移-业务增长报表 3 / 3 = 100.00%',
    ]) {
      expect(text).toContain(child);
    }
    expect(text).not.toContain('排除');
    expect(text).not.toContain('人工填报');
    expect(text).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('zh-CN without the override uses the default label 取消', () => {
    const text = explainMigration('zh-CN', DEFAULT_POLICY, null);
    expect(text).toContain('取消 4 项（权重 4）→ 4');
    expect(text).not.toContain('取消迁移');
  });

  it('names an excluded status that has items, and leaves it out of both sides', () => {
    const text = explainMigration('zh-CN', resolvePolicy({ NOT_STARTED: 'EXCLUDED' }));
    const lines = text.split('\n');
    expect(lines[0]).toBe('Hive迁移：进度 91.11% = 得分 141.22 ÷ 计入 155（单位：事项，按权重）');
    expect(lines[1]).toContain('未启动 不计入（分子分母均排除）');
    expect(lines.at(-1)).toBe('排除：未启动 9 项');
    expect(text).not.toContain('未启动 9 项（权重');
    expect(text).toContain('Hive迁移-风控报表 33.3 / 35 = 95.14%');
    expect(text).toContain('Hive迁移-资金部报表 38.32 / 48 = 79.83%');
  });

  it('has no excluded line when the excluded status has no items', () => {
    const text = explainItems(
      [{ status: 'DONE' }, { status: 'IN_PROGRESS', percent: 50 }],
      'zh-CN',
      resolvePolicy({ CANCELLED: 'EXCLUDED' }),
    );
    expect(text.split('\n')[0]).toBe(
      '空工作流：进度 75.00% = 得分 1.5 ÷ 计入 2（单位：事项，按权重）',
    );
    expect(text.split('\n').filter((l) => l.startsWith('排除：'))).toEqual([]);
  });

  it("en: says 'credit' and 'counted' with the same numbers", () => {
    const text = explainMigration('en');
    expect(text.split('\n')[0]).toBe(
      'Hive迁移: 86.11% = credit 141.22 / counted 164 (in weighted items)',
    );
    expect(text).toContain('cancelled 4 (weight 4) → 4');
    expect(text).toContain('count in full');
    expect(text).toContain('Hive迁移-资金部报表 38.32 / 56 = 68.43%; ');
  });

  it('the initiative figure adds the manual workstream: 87.23% = 160.5 ÷ 184', () => {
    const { figures, root } = foldTree(hiveNodes(), DEFAULT_POLICY);
    const children = [MIGRATION_NAME, OTHER_NAME].map((name) => ({
      name,
      figure: figures.get(name)!,
    }));
    const text = explainFigure({
      name: 'Hive数仓建设',
      figure: root,
      policy: DEFAULT_POLICY,
      labels: HIVE_LABELS,
      children,
      locale: 'zh-CN',
    });
    expect(text.split('\n')[0]).toBe(
      'Hive数仓建设：进度 87.23% = 得分 160.5 ÷ 计入 184（单位：事项，按权重）',
    );
    expect(text).toContain('人工填报：1 个工作流，权重 20 → 19.28');
    expect(text).toContain(`${MIGRATION_NAME} 141.22 / 164 = 86.11%`);
    expect(text).toContain(`${OTHER_NAME} 19.28 / 20 = 96.40%`);
  });
});

describe('explainFigure when nothing counts', () => {
  it.each([
    ['zh-CN', '空工作流：无可计入的事项，进度为空'],
    ['en', 'nothing counts, so there is no percent'],
  ] as const)('%s: an empty figure says there is no percent, never NaN', (locale, says) => {
    const text = explainItems([], locale);
    expect(text).toContain(says);
    expect(text).not.toMatch(/NaN|Infinity|%/);
  });

  it('all items excluded: no percent, and the exclusion is named', () => {
    const text = explainItems(
      times(3, 'NOT_STARTED'),
      'zh-CN',
      resolvePolicy({ NOT_STARTED: 'EXCLUDED' }),
    );
    expect(text.split('\n')[0]).toBe('空工作流：无可计入的事项，进度为空');
    expect(text.split('\n').at(-1)).toBe('排除：未启动 3 项');
    expect(text).not.toMatch(/NaN|按状态/);
  });

  it('a child with nothing counted is listed without a percent', () => {
    const { figures } = foldTree(
      [
        { id: 'p', parentId: null, tally: tallyOf([{ status: 'DONE' }]), manual: null },
        { id: 'c', parentId: 'p', tally: tallyOf([]), manual: null },
      ],
      DEFAULT_POLICY,
    );
    const text = explainFigure({
      name: 'p',
      figure: figures.get('p')!,
      policy: DEFAULT_POLICY,
      children: [{ name: '空下级', figure: figures.get('c')! }],
      locale: 'zh-CN',
    });
    expect(text.split('\n').at(-1)).toBe('下级：空下级 0 / 0');
    expect(text).not.toContain('NaN');
  });

  it('never prints NaN, and its head percent is formatRatioPercent (property)', () => {
    const item = fc.record({
      status: fc.constantFrom(...ITEM_STATUSES),
      weight: fc.integer({ min: 1, max: 5 }),
      percent: fc.integer({ min: 0, max: 100 }),
    });
    const policy = fc.record(
      Object.fromEntries(ITEM_STATUSES.map((s) => [s, fc.constantFrom(...CREDIT_RULES)])),
    ) as fc.Arbitrary<RollupPolicy>;
    fc.assert(
      fc.property(
        fc.array(item, { maxLength: 12 }),
        policy,
        fc.constantFrom<Locale>('zh-CN', 'en'),
        (items, p, locale) => {
          const { root } = foldTree(
            [{ id: 1, parentId: null, tally: tallyOf(items), manual: null }],
            p,
          );
          const text = explainItems(items, locale, p);
          expect(text).not.toMatch(/NaN|Infinity|undefined/);
          const pct = formatRatioPercent(root.credit, root.counted);
          if (pct === null) expect(text.split('\n')[0]).not.toContain('%');
          else expect(text.split('\n')[0]).toContain(` ${pct}% = `);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('explainFigure in English', () => {
  // Regression: the rule, by-status, children and no-percent lines once used Chinese punctuation
  // in every locale ('Rule：not started count as 0; in progress、paused …').
  it('uses no Chinese punctuation', () => {
    expect(explainMigration('en')).not.toMatch(/[：、；]/);
    expect(explainItems([], 'en')).not.toMatch(/[：、；]/);
  });
});
