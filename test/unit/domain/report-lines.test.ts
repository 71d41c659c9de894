import { describe, expect, it } from 'vitest';
import {
  ITEM_STATUSES,
  type ItemStatus,
  type StatusLabelOverrides,
} from '../../../src/domain/item-status.js';
import {
  formatReportHeader,
  formatReportLine,
  percentGroups,
  type ReportHeaderPart,
  type ReportLineFacts,
  type ReportStyle,
} from '../../../src/domain/report-lines.js';
import { GOLDEN_HIVE } from '../../helpers/golden-report.js';

const M = 1_000_000;
const HIVE_LABELS: StatusLabelOverrides = {
  'zh-CN': { CANCELLED: '取消迁移' },
  en: { CANCELLED: 'migration cancelled' },
};
const ZH: ReportStyle = { locale: 'zh-CN', labels: null, lowPercentBucket: null };
const EN: ReportStyle = { locale: 'en', labels: null, lowPercentBucket: null };
const HIVE_ZH: ReportStyle = { locale: 'zh-CN', labels: HIVE_LABELS, lowPercentBucket: 20 };
const HIVE_EN: ReportStyle = { locale: 'en', labels: HIVE_LABELS, lowPercentBucket: 20 };

type Counts = Partial<Record<ItemStatus, number>>;
type Named = { name: string; percent: number }[];
type Pairs = [number, number][];
type More = {
  credit?: number;
  counted?: number;
  done?: string[];
  named?: Named;
  byPercent?: Pairs;
};
const ZERO = Object.fromEntries(ITEM_STATUSES.map((s) => [s, 0])) as Record<ItemStatus, number>;

/** Facts by hand; total is the sum of the counts; BY_NAME when named items are given. */
function facts(
  name: string,
  phase: string | null,
  counts: Counts,
  more: More = {},
): ReportLineFacts {
  const all = { ...ZERO, ...counts };
  const total = Object.values(all).reduce((a, b) => a + b, 0);
  return {
    name,
    phase,
    figure: { credit: more.credit ?? 0, counted: more.counted ?? total * M },
    total,
    counts: all,
    detail: more.named ? 'BY_NAME' : 'BY_PERCENT',
    doneNames: more.done ?? [],
    inProgress: more.named ?? [],
    inProgressByPercent: new Map(more.byPercent ?? []),
  };
}

const at = (...pairs: Pairs) => pairs;
const TOB_NAMED: Named = [
  { name: '交易对账单', percent: 93 },
  { name: '账户对账单', percent: 90 },
  { name: '安心退业务对账单', percent: 97 },
  { name: '自如寓对账单', percent: 85 },
  { name: '二合一对账单', percent: 85 },
  { name: '天津共享对账单', percent: 80 },
];
const FUNDS = at([95, 1], [90, 13], [80, 4], [75, 4], [19, 3], [18, 5]);

/** The six categories of hive-figures.md; credit uses the seed's percents (paused TOB 90%). */
// prettier-ignore
const HIVE: ReportLineFacts[] = [
  facts('Hive迁移-TOB商户账单', '测试验证投产中', { DECOMMISSIONABLE: 4, PAUSED: 1, DONE: 1, IN_PROGRESS: 6 }, { credit: 11_200_000, done: ['手续费对账单'], named: TOB_NAMED }),
  facts('Hive迁移-风控报表', '业务验收投产中', { CANCELLED: 4, DONE: 22, IN_PROGRESS: 9, NOT_STARTED: 1 }, { credit: 33_300_000, byPercent: at([90, 8], [10, 1]) }),
  facts('Hive迁移-产品运营报表', '业务验收投产中', { DECOMMISSIONABLE: 15, DONE: 9, IN_PROGRESS: 1 }, { credit: 24_900_000, byPercent: at([90, 1]) }),
  facts('Hive迁移-存管报表', '业务验证投产中', { DECOMMISSIONABLE: 14, DONE: 15, IN_PROGRESS: 3 }, { credit: 30_500_000, byPercent: at([60, 1], [50, 1], [40, 1]) }),
  facts('Hive迁移-资金部报表', '业务验证投产中', { DECOMMISSIONABLE: 14, DONE: 4, IN_PROGRESS: 30, NOT_STARTED: 8 }, { credit: 38_320_000, byPercent: FUNDS }),
  facts('Hive迁移-业务增长报表', '已完成', { DECOMMISSIONABLE: 1, DONE: 2 }, { credit: 3 * M }),
];

const GOLDEN = GOLDEN_HIVE;

const MIGRATION: ReportHeaderPart = {
  name: '迁移',
  total: 164,
  figure: { credit: 141_220_000, counted: 164 * M },
};
const MANUAL: ReportHeaderPart = {
  name: '其他',
  total: 0,
  figure: { credit: 19_280_000, counted: 20 * M },
};
const EMPTY: ReportHeaderPart = { name: '空', total: 0, figure: { credit: 0, counted: 0 } };
const HIVE_FIG = { credit: 160_500_000, counted: 184 * M };

describe('golden: the HIVE section of the week-20 report', () => {
  it.each(GOLDEN.map((line, i) => [i + 1, line] as const))('line %i', (n, line) => {
    expect(formatReportLine(HIVE[n - 1]!, n, HIVE_ZH)).toBe(line);
  });

  it('the header from the six categories plus the manual part', () => {
    const sum = (f: (x: ReportLineFacts) => number) => HIVE.reduce((a, x) => a + f(x), 0);
    const migration: ReportHeaderPart = {
      name: '迁移',
      total: sum((x) => x.total),
      figure: { credit: sum((x) => x.figure.credit), counted: sum((x) => x.figure.counted) },
    };
    expect(migration).toEqual(MIGRATION);
    const header = { initiative: 'Hive数仓建设', figure: HIVE_FIG, parts: [migration] };
    expect(formatReportHeader(header, HIVE_ZH)).toBe(
      'Hive数仓建设总进度：87.23%，迁移进度（总数164个）：86.11%',
    );
  });
});

describe('formatReportHeader', () => {
  it.each([
    [ZH, [MIGRATION, MANUAL], 'H总进度：87.23%，迁移进度（总数164个）：86.11%，其他进度：96.40%'],
    [ZH, [EMPTY, MIGRATION, EMPTY], 'H总进度：87.23%，迁移进度（总数164个）：86.11%'],
    [ZH, [], 'H总进度：87.23%'],
    [EN, [MIGRATION], 'H overall progress: 87.23%; 迁移 progress (164 items): 86.11%'],
    [EN, [MANUAL, EMPTY], 'H overall progress: 87.23%; 其他 progress: 96.40%'],
    [
      EN,
      [{ ...MIGRATION, total: 1 }],
      'H overall progress: 87.23%; 迁移 progress (1 item): 86.11%',
    ],
  ])('%#: parts with items, manual parts, empty ones left out', (style, parts, expected) => {
    expect(formatReportHeader({ initiative: 'H', figure: HIVE_FIG, parts }, style)).toBe(expected);
  });

  it('says so in words when nothing is counted, never a bare —%', () => {
    const none = { credit: 0, counted: 0 };
    // A top-level workstream whose items all are excluded (取消 under an EXCLUDED policy).
    const excluded: ReportHeaderPart = { name: 'B', total: 2, figure: none };
    expect(
      formatReportHeader({ initiative: 'H', figure: HIVE_FIG, parts: [MIGRATION, excluded] }, ZH),
    ).toBe('H总进度：87.23%，迁移进度（总数164个）：86.11%，B进度（总数2个）：暂无');
    expect(formatReportHeader({ initiative: 'H', figure: none, parts: [] }, ZH)).toBe(
      'H总进度：暂无',
    );
    expect(formatReportHeader({ initiative: 'H', figure: none, parts: [] }, EN)).toBe(
      'H overall progress: none yet',
    );
  });

  it.each([
    [86_105_000, 100 * M, '86.11'], // exactly 86.105: half-up, never 86.10
    [1, 20_000, '0.01'], // exactly 0.005
    [1, 20_001, '0.00'],
    [M, 3 * M, '33.33'],
    [2 * M, 3 * M, '66.67'],
    [999_949, M, '99.99'],
    [999_950, M, '99.99'], // 99.995 with work left: never 100.00
    [0, 5 * M, '0.00'],
    [5 * M, 5 * M, '100.00'],
  ])('%i / %i → %s%% (two decimals, half-up on the exact ratio)', (credit, counted, p) => {
    const header = { initiative: 'H', figure: { credit, counted }, parts: [] };
    expect(formatReportHeader(header, ZH)).toBe(`H总进度：${p}%`);
    expect(formatReportHeader(header, EN)).toBe(`H overall progress: ${p}%`);
  });
});

const EVERY: Counts = {
  NOT_STARTED: 1,
  IN_PROGRESS: 2,
  PAUSED: 3,
  DONE: 4,
  DECOMMISSIONABLE: 5,
  CANCELLED: 6,
};
const ZH_ONLY: StatusLabelOverrides = { 'zh-CN': { CANCELLED: '取消迁移' } };

describe('formatReportLine', () => {
  // prettier-ignore
  it.each<[string, ReportLineFacts, number | null, ReportStyle, string]>([
    ['order, default labels', facts('W', 'P', EVERY, { byPercent: at([50, 2]) }), 1, ZH, '1.【W】，进度：P。总计21个，可下线5个，取消6个，暂停3个，完成4个，处理中2个（进度50%的2个），未启动1个。'],
    ['zero counts left out', facts('W', 'P', { DONE: 2, NOT_STARTED: 1 }), 3, ZH, '3.【W】，进度：P。总计3个，完成2个，未启动1个。'],
    ['label override', facts('W', 'P', { CANCELLED: 1 }), 2, HIVE_ZH, '2.【W】，进度：P。总计1个，取消迁移1个。'],
    ['no number', facts('W', 'P', { DONE: 1 }), null, ZH, '【W】，进度：P。总计1个，完成1个。'],
    ['no phase: percent', facts('W', null, { DONE: 1, NOT_STARTED: 2 }, { credit: M }), 1, ZH, '1.【W】，进度：33.33%。总计3个，完成1个，未启动2个。'],
    ['total 0: no 总计', facts('联机dubbo改造开发', null, {}, { credit: 5 * M, counted: 5 * M }), 1, ZH, '1.【联机dubbo改造开发】，进度：100.00%。'],
    ['total 0 with a phase', facts('W', '设计中', {}, { counted: M }), null, ZH, '【W】，进度：设计中。'],
    ['BY_NAME in given order', facts('W', 'P', { DONE: 2, IN_PROGRESS: 2 }, { done: ['乙', '甲'], named: [{ name: 'y', percent: 5 }, { name: 'x', percent: 93 }] }), 1, ZH, '1.【W】，进度：P。总计4个，完成2个（乙，甲），处理中2个（y进度5%，x进度93%）。'],
    ['BY_NAME: others no bracket', facts('W', 'P', { PAUSED: 1, NOT_STARTED: 1, DECOMMISSIONABLE: 1, CANCELLED: 1 }, { named: [] }), 1, ZH, '1.【W】，进度：P。总计4个，可下线1个，取消1个，暂停1个，未启动1个。'],
    ['BY_PERCENT: done unnamed', facts('W', 'P', { DONE: 1, IN_PROGRESS: 1 }, { done: ['甲'], byPercent: at([40, 1]) }), 1, ZH, '1.【W】，进度：P。总计2个，完成1个，处理中1个（进度40%的1个）。'],
    ['BY_PERCENT: bucket', facts('W', 'P', { IN_PROGRESS: 4 }, { byPercent: at([20, 1], [19, 2], [3, 1]) }), 1, HIVE_ZH, '1.【W】，进度：P。总计4个，处理中4个（进度20%的1个，进度20%以下的3个）。'],
    ['en: Hive 风控', HIVE[1]!, 2, HIVE_EN, '2.[Hive迁移-风控报表] Phase: 业务验收投产中. 36 in total: 4 migration cancelled, 22 done, 9 in progress (8 at 90%, 1 at 10%), 1 not started.'],
    ['en: BY_NAME', HIVE[0]!, 1, HIVE_EN, '1.[Hive迁移-TOB商户账单] Phase: 测试验证投产中. 12 in total: 4 can be retired, 1 paused, 1 done (手续费对账单), 6 in progress (交易对账单 at 93%, 账户对账单 at 90%, 安心退业务对账单 at 97%, 自如寓对账单 at 85%, 二合一对账单 at 85%, 天津共享对账单 at 80%).'],
    ['en: bucket', HIVE[4]!, 5, HIVE_EN, '5.[Hive迁移-资金部报表] Phase: 业务验证投产中. 56 in total: 14 can be retired, 4 done, 30 in progress (1 at 95%, 13 at 90%, 4 at 80%, 4 at 75%, 8 below 20%), 8 not started.'],
    ['en: no bucket', HIVE[4]!, 5, { ...HIVE_EN, lowPercentBucket: null }, '5.[Hive迁移-资金部报表] Phase: 业务验证投产中. 56 in total: 14 can be retired, 4 done, 30 in progress (1 at 95%, 13 at 90%, 4 at 80%, 4 at 75%, 3 at 19%, 5 at 18%), 8 not started.'],
    ['en: order, default labels', facts('W', 'P', EVERY, { byPercent: at([50, 2]) }), 1, EN, '1.[W] Phase: P. 21 in total: 5 can be retired, 6 cancelled, 3 paused, 4 done, 2 in progress (2 at 50%), 1 not started.'],
    ['en: zh override does not leak', facts('W', 'P', { CANCELLED: 1 }), 1, { ...EN, labels: ZH_ONLY }, '1.[W] Phase: P. 1 in total: 1 cancelled.'],
    ['en: no number, no phase, total 0', facts('W', null, {}, { credit: 1, counted: 20_000 }), null, EN, '[W] Progress: 0.01%.'],
  ])('%s', (_, f, n, style, expected) => {
    expect(formatReportLine(f, n, style)).toBe(expected);
  });
});

describe('percentGroups', () => {
  // prettier-ignore
  it.each<[Pairs, number | null, string[], string[]]>([
    [at([10, 1], [90, 8]), 20, ['进度90%的8个', '进度10%的1个'], ['8 at 90%', '1 at 10%']],
    [FUNDS, 20, ['进度95%的1个', '进度90%的13个', '进度80%的4个', '进度75%的4个', '进度20%以下的8个'], ['1 at 95%', '13 at 90%', '4 at 80%', '4 at 75%', '8 below 20%']],
    [at([19, 3], [18, 5]), null, ['进度19%的3个', '进度18%的5个'], ['3 at 19%', '5 at 18%']],
    [at([20, 2], [19, 1]), 20, ['进度20%的2个', '进度19%的1个'], ['2 at 20%', '1 at 19%']],
    [at([20, 2], [19, 1], [5, 1]), 20, ['进度20%的2个', '进度20%以下的2个'], ['2 at 20%', '2 below 20%']],
    [at([5, 1], [10, 2]), 20, ['进度20%以下的3个'], ['3 below 20%']],
    [at([90, 1], [15, 0], [10, 2]), 20, ['进度90%的1个', '进度10%的2个'], ['1 at 90%', '2 at 10%']],
    [at([10, 1], [90, 2], [50, 3], [70, 0]), null, ['进度90%的2个', '进度50%的3个', '进度10%的1个'], ['2 at 90%', '3 at 50%', '1 at 10%']],
    [at([50, 0]), 20, [], []],
    [[], 20, [], []],
  ])('%j, bucket %s', (pairs, bucket, zh, en) => {
    expect(percentGroups(new Map(pairs), bucket, 'zh-CN')).toEqual(zh);
    expect(percentGroups(new Map(pairs), bucket, 'en')).toEqual(en);
  });
});
