import type { ItemStatus } from '../../../src/domain/item-status.js';
import type { RollupNode } from '../../../src/domain/rollup.js';
import { emptyTally, type Tally } from '../../../src/domain/tally.js';

export interface TestItem {
  readonly status: ItemStatus;
  readonly weight?: number;
  readonly percent?: number;
}

/** A tally summed item by item here, independently of the domain's delta helpers. */
export function tallyOf(items: readonly TestItem[]): Tally {
  const tally = emptyTally();
  for (const { status, weight = 1, percent = 0 } of items) {
    const t = tally[status];
    t.items += 1;
    t.weight += weight;
    t.percentWeight += weight * percent;
  }
  return tally;
}

export function times(n: number, status: ItemStatus, percent = 0): TestItem[] {
  return Array.from({ length: n }, () => ({ status, percent }));
}

function inProgress(...percents: number[]): TestItem[] {
  return percents.map((percent) => ({ status: 'IN_PROGRESS' as const, percent }));
}

export const MIGRATION_NAME = 'Hive迁移';
export const OTHER_NAME = 'Hive数仓建设-其他（周报未列明细）';

/** The six categories of the week-20 report (hive-figures.md), with the seed's filled-in percents. */
export function hiveCategories(): { name: string; items: TestItem[] }[] {
  return [
    {
      name: 'Hive迁移-TOB商户账单',
      items: [
        ...times(4, 'DECOMMISSIONABLE'),
        ...times(1, 'DONE', 100),
        ...times(1, 'PAUSED', 90),
        ...inProgress(93, 90, 97, 85, 85, 80),
      ],
    },
    {
      name: 'Hive迁移-风控报表',
      items: [
        ...times(22, 'DONE', 100),
        ...times(4, 'CANCELLED'),
        ...times(1, 'NOT_STARTED'),
        ...inProgress(...Array<number>(8).fill(90), 10),
      ],
    },
    {
      name: 'Hive迁移-产品运营报表',
      items: [...times(15, 'DECOMMISSIONABLE'), ...times(9, 'DONE', 100), ...inProgress(90)],
    },
    {
      name: 'Hive迁移-存管报表',
      items: [
        ...times(14, 'DECOMMISSIONABLE'),
        ...times(15, 'DONE', 100),
        ...inProgress(60, 50, 40),
      ],
    },
    {
      name: 'Hive迁移-资金部报表',
      items: [
        ...times(14, 'DECOMMISSIONABLE'),
        ...times(4, 'DONE', 100),
        ...times(8, 'NOT_STARTED'),
        ...inProgress(95, ...Array<number>(13).fill(90), 80, 80, 80, 80, 75, 75, 75, 75),
        ...inProgress(19, 19, 19, 18, 18, 18, 18, 18),
      ],
    },
    {
      name: 'Hive迁移-业务增长报表',
      items: [...times(1, 'DECOMMISSIONABLE'), ...times(2, 'DONE', 100)],
    },
  ];
}

/** The migration parent with its six categories, plus the manual top-level workstream (20 × 96.4%). */
export function hiveNodes(): RollupNode<string>[] {
  return [
    { id: MIGRATION_NAME, parentId: null, tally: emptyTally(), manual: null },
    ...hiveCategories().map(({ name, items }) => ({
      id: name,
      parentId: MIGRATION_NAME,
      tally: tallyOf(items),
      manual: null,
    })),
    {
      id: OTHER_NAME,
      parentId: null,
      tally: emptyTally(),
      manual: { weightCenti: 2000, percentBp: 9640 },
    },
  ];
}
