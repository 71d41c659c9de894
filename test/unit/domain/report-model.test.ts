import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDecimal,
  formatDecimal,
  parseDecimal,
  subDecimal,
} from '../../../src/domain/decimal.js';
import { burnDownProgress, changeSince, meetsTarget } from '../../../src/domain/metric-rules.js';
import { clearedPercent } from '../../../src/domain/metric-lines.js';
import {
  dueEnd,
  dueWords,
  isOverdue,
  milestonePhrase,
  parseDue,
  slipDays,
} from '../../../src/domain/milestone-rules.js';
import { evaluateNamedFigures } from '../../../src/domain/named-figures.js';
import { DEFAULT_POLICY, resolvePolicy } from '../../../src/domain/rollup-policy.js';
import {
  evenStagePercent,
  findStage,
  resolveStages,
  stageCredit,
} from '../../../src/domain/stages.js';
import { formatStagedLine, inReportWeek } from '../../../src/domain/stage-lines.js';
import { emptyTally, itemDelta, applyDelta } from '../../../src/domain/tally.js';
import { UNITS_PER_ITEM, UNITS_PER_PERCENT_WEIGHT } from '../../../src/domain/units.js';
import { ITEM_STATUSES, type ItemStatus } from '../../../src/domain/item-status.js';
import { codeOf } from './domain-error.helper.js';

const d = (s: string) => parseDecimal(s, 6, ['v']);
const FIVE = resolveStages(['启动', '设计', '开发', '上线', '投产'].map((name) => ({ name })));

describe('stages', () => {
  it('spaces credits evenly by default and ends at 100', () => {
    expect(FIVE.map((s) => s.percent)).toEqual([20, 40, 60, 80, 100]);
    expect([0, 1, 2].map((i) => evenStagePercent(i, 3))).toEqual([33, 66, 100]);
  });
  it('gives a staged item the credit of its stage, exactly as a status and whole percent', () => {
    expect(stageCredit(FIVE, FIVE[4]!)).toEqual({ status: 'DONE', percent: 100 });
    expect(stageCredit(FIVE, FIVE[3]!)).toEqual({ status: 'IN_PROGRESS', percent: 80 });
    const custom = resolveStages([
      { name: 'a', percent: 0 },
      { name: 'b', percent: 100 },
    ]);
    expect(stageCredit(custom, custom[0]!)).toEqual({ status: 'NOT_STARTED', percent: 0 });
  });
  it('property: any workflow gives whole, non-decreasing credits ending in DONE', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), (n) => {
        const stages = resolveStages(Array.from({ length: n }, (_, i) => ({ name: `s${i}` })));
        const credits = stages.map((s) => stageCredit(stages, s));
        credits.forEach((c, i) => {
          expect(Number.isInteger(c.percent)).toBe(true);
          if (i > 0) expect(c.percent).toBeGreaterThanOrEqual(credits[i - 1]!.percent);
        });
        expect(credits[n - 1]).toEqual({ status: 'DONE', percent: 100 });
      }),
    );
  });
  it('refuses unknown stages and bad workflows', () => {
    expect(codeOf(() => findStage(FIVE, '验收', ['stage']))).toBe('INVALID_INPUT');
    expect(codeOf(() => resolveStages([]))).toBe('INVALID_INPUT');
    expect(codeOf(() => resolveStages([{ name: 'a' }, { name: 'a' }]))).toBe('INVALID_INPUT');
    expect(
      codeOf(() =>
        resolveStages([
          { name: 'a', percent: 50 },
          { name: 'b', percent: 40 },
        ]),
      ),
    ).toBe('INVALID_PERCENT');
    expect(codeOf(() => resolveStages([{ name: 'a', percent: 90 }]))).toBe('INVALID_PERCENT');
  });
  it('writes the team’s line: 已{stage}, 本周, 待{next}', () => {
    const line = (stage: string, note: string | null, week = false) =>
      formatStagedLine({ name: 'X', stage, note, enteredThisWeek: week }, FIVE, 3, 'zh-CN');
    expect(line('投产', null)).toBe('3. X：已投产');
    expect(line('上线', null)).toBe('3. X：已上线，待投产');
    expect(line('启动', '待评审', true)).toBe('3. X：本周已启动，待评审');
    expect(inReportWeek(Date.parse('2023-05-08T00:00:00+08:00'), '2023-05-13')).toBe(true);
    expect(inReportWeek(Date.parse('2023-05-07T23:59:00+08:00'), '2023-05-13')).toBe(false);
  });
});

describe('exact decimals', () => {
  it('parses as written and refuses what is not a decimal or has too many places', () => {
    expect(formatDecimal(d('99.90'))).toBe('99.90');
    expect(formatDecimal(d('1409444.598'), true)).toBe('1,409,444.598');
    for (const bad of ['abc', '1e5', '1,000', '', '0x10', 'NaN', '1.2.3'])
      expect(
        codeOf(() => parseDecimal(bad, 4, ['v'])),
        bad,
      ).toBe('INVALID_INPUT');
    expect(codeOf(() => parseDecimal('1.23', 1, ['v']))).toBe('INVALID_INPUT');
    // A decimal past the limits is told which limit, not that it is no decimal.
    expect(() => parseDecimal('9'.repeat(16), 6, ['v'])).toThrow('整数部分最多 15 位');
    expect(() => parseDecimal('1.1234567', 6, ['v'])).toThrow('最多 6 位小数');
    expect(formatDecimal(d('-999999999999999.5'))).toBe('-999999999999999.5');
  });
  it('the cost line: April and its decrease give March exactly, and back', () => {
    const march = addDecimal(d('1409444.598'), d('212528.2195'));
    expect(formatDecimal(march)).toBe('1621972.8175');
    expect(formatDecimal(subDecimal(d('1409444.598'), march), true)).toBe('-212,528.2195');
  });
  it('property: sums of decimals equal the integer sums of their scaled units', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
            fc.integer({ min: 0, max: 6 }),
          ),
          { maxLength: 20 },
        ),
        (xs) => {
          const values = xs.map(([units, scale]) => ({ units, scale }));
          const sum = values.reduce(addDecimal, { units: 0n, scale: 0 });
          const expected = values.reduce(
            (acc, v) => acc + v.units * 10n ** BigInt(6 - v.scale),
            0n,
          );
          expect(sum.units * 10n ** BigInt(6 - sum.scale)).toBe(expected);
        },
      ),
    );
  });
});

describe('metric targets and burn-downs', () => {
  const r = (v: string, lowerBound = false, at = 0) => ({ value: d(v), lowerBound, at });
  it('checks both directions', () => {
    const up = { direction: 'UP' as const, target: d('1000'), comparison: null };
    const down = { direction: 'DOWN' as const, target: d('0'), comparison: null };
    expect(meetsTarget(up, r('1047'))).toBe(true);
    expect(meetsTarget(up, r('72'))).toBe(false);
    expect(meetsTarget(up, r('1000'))).toBe(true);
    expect(meetsTarget(down, r('0'))).toBe(true);
    expect(meetsTarget(down, r('1'))).toBe(false);
    expect(meetsTarget(down, r('200', true))).toBe(false);
    expect(meetsTarget({ ...up, target: null }, r('1'))).toBe(null);
  });
  it('change since a time and burn-down progress from the first reading', () => {
    const series = [r('200', true, 1), r('150', false, 2), r('50', false, 3)];
    expect(formatDecimal(changeSince(series, 1, 3)!)).toBe('-150');
    expect(burnDownProgress(series, 3)).toBe(0.75);
    expect(burnDownProgress(series, 1)).toBe(0);
    expect(burnDownProgress([], 3)).toBe(null);
  });
  // 100 → 43 printed 已消化56%: 0.57 × 100 is 56.99999999999999 in binary.
  it('prints the whole percent gone exactly, for every first and latest reading', () => {
    expect(clearedPercent(burnDownProgress([r('100', false, 1), r('43', false, 2)], 2)!)).toBe(57);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.nat(), (first, left) => {
        const latest = left % (first + 1);
        const series = [r(String(first), false, 1), r(String(latest), false, 2)];
        const exact = Number((BigInt(first - latest) * 100n) / BigInt(first));
        expect(clearedPercent(burnDownProgress(series, 2)!)).toBe(exact);
      }),
    );
  });
});

describe('milestones', () => {
  it('parses days, weeks and months, and refuses what does not parse', () => {
    expect(parseDue('2023-06-15', null, ['due'])).toEqual({ date: '2023-06-15', precision: 'DAY' });
    expect(dueEnd(parseDue('2023-05', null, ['due']))).toBe('2023-05-31');
    expect(dueEnd(parseDue('2023-05-15', 'WEEK', ['due']))).toBe('2023-05-21');
    for (const bad of ['6/15', '2023-02-30', '2023-13', 'soon'])
      expect(
        codeOf(() => parseDue(bad, null, ['due'])),
        bad,
      ).toBe('INVALID_INPUT');
  });
  // 2099-12-31 printed 预计12/31下线, read as this year's.
  it('gives a day or month of another year than the report’s its year', () => {
    const due = (text: string, precision: 'WEEK' | null = null) => parseDue(text, precision, ['d']);
    expect(dueWords(due('2099-12-31'), '2026-12-04', 'zh-CN')).toBe('2099/12/31');
    expect(dueWords(due('2099-12-31'), '2026-12-04', 'en')).toBe('Dec 31, 2099');
    expect(dueWords(due('2027-01'), '2026-12-04', 'zh-CN')).toBe('2027年1月份');
    expect(dueWords(due('2027-03-03', 'WEEK'), '2026-12-04', 'zh-CN')).toBe('2027/3/1当周');
    expect(dueWords(due('2026-12-31'), '2026-12-04', 'zh-CN')).toBe('12/31');
    const done = { name: '评审', due: due('2025-12-01'), doneDate: '2025-11-28' };
    expect(milestonePhrase(done, '2026-12-04', 'zh-CN')).toBe('已于2025/11/28评审');
  });
  it('says when in the team’s words, overdue and slip', () => {
    expect(dueWords(parseDue('2023-05-15', 'WEEK', ['d']), '2023-05-13', 'zh-CN')).toBe('下周');
    expect(dueWords(parseDue('2023-05', null, ['d']), '2023-05-13', 'zh-CN')).toBe('5月份');
    // English says dates as English readers read them: never 5/16, nor 2023-05 beside it.
    expect(dueWords(parseDue('2023-05-16', null, ['d']), '2023-05-13', 'en')).toBe('May 16');
    expect(dueWords(parseDue('2023-05', null, ['d']), '2023-05-13', 'en')).toBe('in May 2023');
    expect(dueWords(parseDue('2023-05-29', 'WEEK', ['d']), '2023-05-13', 'en')).toBe(
      'the week of May 29',
    );
    expect(
      milestonePhrase(
        { name: 'go-live', due: parseDue('2023-06-15', null, ['d']), doneDate: '2023-05-09' },
        '2023-05-13',
        'en',
      ),
    ).toBe('go-live done May 9');
    expect(isOverdue(parseDue('2023-05-16', null, ['d']), null, '2023-05-17')).toBe(true);
    expect(isOverdue(parseDue('2023-05-16', null, ['d']), '2023-05-16', '2023-05-17')).toBe(false);
    expect(slipDays(parseDue('2023-06-15', null, ['d']), parseDue('2023-06-20', null, ['d']))).toBe(
      5,
    );
  });
});

describe('named figures equal a brute-force computation', () => {
  const statusArb = fc.constantFrom(...ITEM_STATUSES);
  it('property: every figure on every node, over random trees, policies and scopes', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            parent: fc.nat(),
            items: fc.array(
              fc.tuple(statusArb, fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 5 })),
              { maxLength: 6 },
            ),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        fc.array(
          fc.record({
            scope: fc.option(fc.nat()),
            rules: fc.dictionary(statusArb, fc.constantFrom('FULL', 'PERCENT', 'ZERO', 'EXCLUDED')),
          }),
          { minLength: 1, maxLength: 3 },
        ),
        (shape, figs) => {
          const nodes = shape.map((n, i) => {
            const tally = emptyTally();
            for (const [s, p, w] of n.items) applyDelta(tally, itemDelta(s, w, p, 1));
            return {
              id: i,
              parentId: i === 0 ? null : n.parent % i,
              tally,
              manual: null,
              items: n.items,
            };
          });
          const defs = figs.map((f, k) => ({
            name: `f${k}`,
            scopeId: f.scope === null ? null : f.scope % nodes.length,
            policy: resolvePolicy(f.rules),
          }));
          const got = evaluateNamedFigures(nodes, defs, new Map());
          const under = (id: number, anc: number) => {
            for (let at: number | null = id; at !== null; at = nodes[at]!.parentId)
              if (at === anc) return true;
            return false;
          };
          const brute = (nodeId: number | null, def: (typeof defs)[number]) => {
            let credit = 0;
            let counted = 0;
            for (const n of nodes) {
              if (nodeId !== null && !under(n.id, nodeId)) continue;
              if (def.scopeId !== null && !under(n.id, def.scopeId)) continue;
              for (const [s, p, w] of n.items) {
                const rule = def.policy[s as ItemStatus];
                if (rule === 'EXCLUDED') continue;
                counted += w * UNITS_PER_ITEM;
                if (rule === 'FULL') credit += w * UNITS_PER_ITEM;
                if (rule === 'PERCENT') credit += w * p * UNITS_PER_PERCENT_WEIGHT;
              }
            }
            return { credit, counted };
          };
          defs.forEach((def, k) => {
            for (const n of nodes) {
              const v = got.byNode.get(n.id)![k]!;
              expect({ credit: v.credit, counted: v.counted }).toEqual(brute(n.id, def));
            }
            const root = got.root[k]!;
            expect({ credit: root.credit, counted: root.counted }).toEqual(brute(null, def));
          });
        },
      ),
      { numRuns: 200 },
    );
    expect(DEFAULT_POLICY.DONE).toBe('FULL');
  });
});
