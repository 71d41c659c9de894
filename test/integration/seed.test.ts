import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { week20Seed } from '../../seeds/week-20.seed.js';
import { loadSeed } from '../../src/services/load-seed.js';
import { verifyCounters } from '../../src/services/verify-counters.js';
import { DIALECTS } from '../helpers/databases.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/** hive-figures.md, the six categories: total and counts per status. */
const CATEGORIES = [
  {
    name: 'Hive迁移-TOB商户账单',
    phase: '测试验证投产中',
    total: 12,
    DECOMMISSIONABLE: 4,
    DONE: 1,
    CANCELLED: 0,
    PAUSED: 1,
    NOT_STARTED: 0,
    IN_PROGRESS: 6,
  },
  {
    name: 'Hive迁移-风控报表',
    phase: '业务验收投产中',
    total: 36,
    DECOMMISSIONABLE: 0,
    DONE: 22,
    CANCELLED: 4,
    PAUSED: 0,
    NOT_STARTED: 1,
    IN_PROGRESS: 9,
  },
  {
    name: 'Hive迁移-产品运营报表',
    phase: '业务验收投产中',
    total: 25,
    DECOMMISSIONABLE: 15,
    DONE: 9,
    CANCELLED: 0,
    PAUSED: 0,
    NOT_STARTED: 0,
    IN_PROGRESS: 1,
  },
  {
    name: 'Hive迁移-存管报表',
    phase: '业务验证投产中',
    total: 32,
    DECOMMISSIONABLE: 14,
    DONE: 15,
    CANCELLED: 0,
    PAUSED: 0,
    NOT_STARTED: 0,
    IN_PROGRESS: 3,
  },
  {
    name: 'Hive迁移-资金部报表',
    phase: '业务验证投产中',
    total: 56,
    DECOMMISSIONABLE: 14,
    DONE: 4,
    CANCELLED: 0,
    PAUSED: 0,
    NOT_STARTED: 8,
    IN_PROGRESS: 30,
  },
  {
    name: 'Hive迁移-业务增长报表',
    phase: '已完成',
    total: 3,
    DECOMMISSIONABLE: 1,
    DONE: 2,
    CANCELLED: 0,
    PAUSED: 0,
    NOT_STARTED: 0,
    IN_PROGRESS: 0,
  },
] as const;

const HIVE = `{
  initiative(key: "hive") {
    name
    progress { percent credit counted total explain }
    workstreams {
      name
      progress { percent credit counted total byStatus { status label count } }
      children { name phase progress { percent total byStatus { status label count } } }
    }
  }
  initiatives { key name }
}`;

describe.each(DIALECTS)('week-20 seed on %s', (dialect) => {
  let app: TestApp;
  let data: any;
  beforeAll(async () => {
    app = await createTestApp(dialect);
    await loadSeed({ em: app.em(), initiatives: week20Seed });
    data = await app.ok(HIVE);
  });
  afterAll(() => app?.close());

  it('loads the initiatives of the report, in its order', () => {
    expect(data.initiatives.map((i: any) => i.key)).toEqual([
      'system-health',
      'payment-channels',
      'account-2',
      'pos',
      'hive',
      'stability-cost',
    ]);
  });

  it('gives Hive数仓建设 87.23% overall and 迁移 86.11% over 164 items', () => {
    const hive = data.initiative;
    expect(hive.name).toBe('Hive数仓建设');
    expect(hive.progress.percent.toFixed(2)).toBe('87.23');
    expect(hive.progress.credit).toBeCloseTo(160.5, 10);
    expect(hive.progress.counted).toBe(184);
    const migration = hive.workstreams[0];
    expect(migration.name).toBe('迁移');
    expect(migration.progress.percent.toFixed(2)).toBe('86.11');
    expect(migration.progress.credit).toBeCloseTo(141.22, 10);
    expect(migration.progress.total).toBe(164);
    expect(hive.workstreams[1]).toMatchObject({
      name: 'Hive数仓建设-其他（周报未列明细）',
      progress: { percent: 96.4, total: 0 },
    });
    expect(hive.progress.explain).toContain('87.23%');
  });

  it('matches every category of hive-figures.md, with Chinese labels', () => {
    const children = data.initiative.workstreams[0].children;
    expect(children.map((c: any) => c.name)).toEqual(CATEGORIES.map((c) => c.name));
    CATEGORIES.forEach((expected, i) => {
      const got = children[i];
      expect(got.phase).toBe(expected.phase);
      expect(got.progress.total).toBe(expected.total);
      for (const row of got.progress.byStatus)
        expect(row.count).toBe(expected[row.status as keyof typeof expected]);
    });
    const labels = Object.fromEntries(
      children[0].progress.byStatus.map((r: any) => [r.status, r.label]),
    );
    expect(labels).toEqual({
      NOT_STARTED: '未启动',
      IN_PROGRESS: '处理中',
      PAUSED: '暂停',
      DONE: '完成',
      DECOMMISSIONABLE: '可下线',
      CANCELLED: '取消迁移',
    });
  });

  it('leaves counters equal to a recomputation from the items', async () => {
    const report = await verifyCounters(app.em());
    // 164 Hive + 8 account + 1 POS + 5 staged payment channels.
    expect(report.items).toBe(178);
    expect(report.differences).toEqual([]);
  });
});
