import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { week20Seed } from '../../seeds/week-20.seed.js';
import { reportDateOf } from '../../src/domain/report-day.js';
import { loadSeed } from '../../src/services/load-seed.js';
import { verifyCounters } from '../../src/services/verify-counters.js';
import { verifyReplay } from '../../src/services/verify-replay.js';
import { DIALECTS } from '../helpers/databases.js';
import { GOLDEN_HIVE } from '../helpers/golden-report.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/** The week-20 report's own lines (week-20-report.md), which the generated report must contain. */
const GOLDEN = [
  '入金有效成功率：99.81%',
  '出金有效成功率：99.90%',
  '支付系统年度可用性：100%',
  '事故数AB级0次，CD级0次',
  '1. 银商支付宝APP花呗：已投产',
  '2. 拉卡拉开发平台3.0支付宝APP花呗：已投产',
  '3. 银联在线收银台：已上线，待投产',
  '4. 银联代收：已上线，已完成限额验证，待业务接入',
  '5. 网联代收：本周已启动，技术设计文档编写完成，待评审。预计接入8个接口，需要3人日开发。',
  '4月份实收成本：1,409,444.598，较上月降低212,528.2195元',
  'Hive数仓建设总进度：87.23%，迁移进度（总数164个）：86.11%',
  ...GOLDEN_HIVE,
];

const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

describe.each(DIALECTS)('the whole week-20 report from data (%s)', (dialect) => {
  let app: TestApp;
  let zh: string;
  let en: string;

  beforeAll(async () => {
    app = await createTestApp(dialect);
    await loadSeed({ em: app.em(), initiatives: week20Seed });
    const data = await app.ok(
      `{ zh: weeklyReport(date: "2023-05-13") en: weeklyReport(date: "2023-05-13", locale: EN) }`,
    );
    zh = data.zh;
    en = data.en;
  }, 120_000);
  afterAll(() => app?.close());

  it('contains every golden line of the real report, exactly', () => {
    const lines = zh.split('\n').map(norm);
    for (const golden of GOLDEN)
      expect(
        lines.some((l) => l === norm(golden) || l.endsWith(` ${norm(golden)}`)),
        golden,
      ).toBe(true);
  });

  it('follows the report’s order: sections, then reflections and next week', () => {
    const order = [
      '# 上周进展',
      '## 【系统运行数据】',
      '成功率：',
      '可用性：',
      '## 【O1 服务业务】',
      '## 【O2系统升级】',
      '### A. 支付账户2.0升级',
      '### B. POS收单系统建设',
      '### C. Hive数仓建设',
      '## 【O3 安全稳定、降本提效】',
      '## 【其他】',
      '# 本周收获与反思',
      '# 下周工作及目标',
    ];
    const at = order.map((h) => zh.split('\n').indexOf(h));
    expect(
      at.every((i) => i >= 0),
      JSON.stringify(at),
    ).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('prints the written parts verbatim and the metrics against their targets', () => {
    expect(zh).toContain('增长是解决问题的唯一方法');
    expect(zh).toContain('1. 账户2.0热点账户性能压测以及大流量灰度验证结果评估。');
    expect(zh).toContain('账户2.0性能-普通记账TPS（120并发线程）：1047，已达标');
    expect(zh).toContain('账户2.0性能-热点账户记账TPS（80并发线程）：72，未达标');
    expect(zh).toContain('金融收款宝（充值+退款）存量单：200+单');
    expect(zh).toContain('测试：预计6/15完成');
    expect(zh).toContain('理房通自建POS需求收集：预计下周评审');
    expect(zh).toContain('个人金融信息保护能力认证：进度正常，预计5月份进场检查');
  });

  it('has an English report with the same numbers', () => {
    expect(en.startsWith('# Week 20, 2023-05-13\n\n# Last week\n')).toBe(true);
    for (const s of [
      '99.81%',
      '1,409,444.598',
      '212,528.2195',
      '87.23%',
      '86.11%',
      '3. 银联在线收银台: 上线 reached; next: 投产',
    ])
      expect(en).toContain(s);
  });

  it('keeps the counters exact after the stage changes, and the log replays them', async () => {
    expect((await verifyCounters(app.em())).differences).toEqual([]);
    const replay = await verifyReplay(app.em());
    expect(replay.differences).toEqual([]);
    expect(replay.entries).toBeGreaterThan(0);
  });

  it('replays stage changes as of a past time: each channel’s credit follows its stage then', async () => {
    const at = async (asOf: string) =>
      (
        await app.ok(
          `query($t: DateTimeISO) { initiative(key: "payment-channels", asOf: $t) {
          progress { credit counted } } }`,
          { t: asOf },
        )
      ).initiative.progress;
    // Before any stage: five items not started. After 5/5: 100+100+80+80. After 5/10: +20 (启动).
    expect(await at('2023-05-01T00:00:00+08:00')).toEqual({ credit: 0, counted: 5 });
    expect(await at('2023-05-06T00:00:00+08:00')).toEqual({ credit: 3.6, counted: 5 });
    expect(await at('2023-05-11T00:00:00+08:00')).toEqual({ credit: 3.8, counted: 5 });
  });

  it('without a date, is titled with today in China (+08:00), not UTC’s date', async () => {
    const before = Date.now();
    const data = await app.ok(`{ zh: weeklyReport en: weeklyReport(locale: EN) }`);
    // The China date at the request, whichever side of midnight (UTC or China) the test runs.
    const days = new Set([reportDateOf(before), reportDateOf(Date.now())]);
    const zhDay = /^# 第\d+周 (\d{4})\/(\d\d)\/(\d\d)$/.exec(data.zh.split('\n')[0])!;
    expect(days).toContain(`${zhDay[1]}-${zhDay[2]}-${zhDay[3]}`);
    expect(days).toContain(/^# Week \d+, (\S+)$/.exec(data.en.split('\n')[0])![1]);
  });

  it('reports items that follow no stage workflow beside staged ones, instead of dropping them', async () => {
    const { initiative } = await app.ok(`{ initiative(key: "payment-channels") {
      items(first: 1) { nodes { workstream { id name } } } } }`);
    const leaf = initiative.items.nodes[0].workstream;
    const made = await app.ok(
      `mutation($input: CreateItemsInput!) { createItems(input: $input) { userErrors { code } } }`,
      {
        input: {
          workstreamId: leaf.id,
          items: [
            { name: '普通事项甲', status: 'DONE' },
            { name: '普通事项乙', status: 'IN_PROGRESS', percent: 10 },
          ],
        },
      },
    );
    expect(made.createItems.userErrors).toEqual([]);
    const report: string = (await app.ok('{ weeklyReport }')).weeklyReport;
    const section = report.slice(report.indexOf('新支付能力建设'));
    // The node's own line, over all its items, then its staged lines as before.
    expect(section).toMatch(new RegExp(`1\\.【${leaf.name}】.*总计7个`));
    expect(section).toContain('2. 银商支付宝APP花呗：已投产');
  });

  it('leaves a deleted staged item out of its stage lines until it is restored', async () => {
    const { initiative } = await app.ok(`{ initiative(key: "payment-channels") {
      items(first: 100) { nodes { id name stage } } } }`);
    const item = initiative.items.nodes.find((i: any) => i.name === '银商支付宝APP花呗');
    expect(item.stage).toBe('投产');
    const line = /\d+\. 银商支付宝APP花呗：已投产/;
    const report = async () => (await app.ok('{ weeklyReport }')).weeklyReport;
    expect(await report()).toMatch(line);
    const deleted = await app.ok(
      `mutation($id: ID!) { deleteItem(input: { id: $id }) { userErrors { code } } }`,
      { id: item.id },
    );
    expect(deleted.deleteItem.userErrors).toEqual([]);
    const without = await report();
    expect(without).not.toMatch(line);
    expect(without).toMatch(/\d+\. 拉卡拉开发平台3\.0支付宝APP花呗：已投产/);
    const restored = await app.ok(
      `mutation($id: ID!) { restoreItem(input: { id: $id }) { userErrors { code } } }`,
      { id: item.id },
    );
    expect(restored.restoreItem.userErrors).toEqual([]);
    expect(await report()).toMatch(line);
  });
});
