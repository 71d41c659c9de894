import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { week20Seed } from '../../seeds/week-20.seed.js';
import { loadSeed } from '../../src/services/load-seed.js';
import { DIALECTS } from '../helpers/databases.js';
import { SET_ITEM_STATUS } from '../helpers/operations.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { GOLDEN_HEADER_START, GOLDEN_HIVE } from '../helpers/golden-report.js';

const LINES = `query($locale: Locale!) { initiative(key: "hive") { reportLines(locale: $locale)
  workstreams { children { id name reportLine(locale: $locale) items(first: 100) { nodes { id status percent } } } } } }`;

describe.each(DIALECTS)('report lines of the week-20 seed (%s)', (dialect) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp(dialect);
    await loadSeed({ em: app.em(), initiatives: week20Seed });
  });
  afterAll(() => app?.close());

  it('writes the header and the six category lines of the report', async () => {
    const [header, ...lines] = (await app.ok(LINES, { locale: 'ZH_CN' })).initiative.reportLines;
    expect(header).toBe(GOLDEN_HEADER_START); // the reference's header, exactly
    expect(lines).toEqual(GOLDEN_HIVE);
  });

  it('gives each workstream its own line, without the number', async () => {
    const children = (await app.ok(LINES, { locale: 'ZH_CN' })).initiative.workstreams[0].children;
    expect(children.map((c: any) => c.reportLine)).toEqual(
      GOLDEN_HIVE.map((l) => l.replace(/^\d+\./, '')),
    );
  });

  it('writes the same facts in English', async () => {
    const [header, , second] = (await app.ok(LINES, { locale: 'EN' })).initiative.reportLines;
    // The header is the initiative's named figures, in the team's own words, as in the weekly
    // report in either language.
    expect(header).toBe('Hive数仓建设 总进度: 87.23%; 迁移进度 (164 items): 86.11%');
    expect(second).toBe(
      '2.[Hive迁移-风控报表] Phase: 业务验收投产中. 36 in total: 4 migration cancelled, 22 done, 9 in progress (8 at 90%, 1 at 10%), 1 not started.',
    );
  });

  it('follows a status change into the next report', async () => {
    const before = await app.ok(LINES, { locale: 'ZH_CN' });
    const risk = before.initiative.workstreams[0].children[1];
    const notStarted = risk.items.nodes.find((i: any) => i.status === 'NOT_STARTED');
    const res = await app.ok(SET_ITEM_STATUS, {
      input: { itemId: notStarted.id, status: 'IN_PROGRESS', percent: 30 },
    });
    expect(res.setItemStatus.userErrors).toEqual([]);
    const after = (await app.ok(LINES, { locale: 'ZH_CN' })).initiative.reportLines;
    expect(after[2]).toBe(
      '2.【Hive迁移-风控报表】，进度：业务验收投产中。总计36个，取消迁移4个，完成22个，处理中10个（进度90%的8个，进度30%的1个，进度10%的1个）。',
    );
    expect(after[0].startsWith('Hive数仓建设总进度：87.39%，迁移进度（总数164个）：86.29%')).toBe(
      true,
    );
  });

  it('writes the weekly report document grouped by objective', async () => {
    const md = (await app.ok(`{ weeklyReport(date: "2023-05-13") }`)).weeklyReport as string;
    expect(md.startsWith('# 第20周 2023/05/13\n\n# 上周进展\n\n## 【系统运行数据】\n')).toBe(true);
    expect(md.indexOf('## 【O2系统升级】')).toBeGreaterThan(md.indexOf('## 【O1 服务业务】'));
    expect(md).toContain(
      '### C. Hive数仓建设\n\n- Hive数仓建设总进度：87.23%，迁移进度（总数164个）：86.11%\n',
    );
    expect(md).toContain(`    ${GOLDEN_HIVE[4]}\n`);
    const bad = await app.gql(`{ weeklyReport(date: "2023-13-40") }`);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
