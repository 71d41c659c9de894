import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { week20Seed } from '../../seeds/week-20.seed.js';
import type { Principal } from '../../src/domain/access.js';
import { loadSeed } from '../../src/services/load-seed.js';
import { DIALECTS } from '../helpers/databases.js';
import { POST_UPDATE } from '../helpers/report-model-ops.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const REPORT = `query($only: [String!]) { weeklyReport(date: "2023-05-13", initiatives: $only) }`;

/** The block of `doc` from the line `heading` to the next heading of its level or above. */
function block(doc: string, heading: string): string {
  const lines = doc.split('\n');
  const start = lines.indexOf(heading);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const level = heading.match(/^#+/)![0].length;
  const end = lines.findIndex(
    (l, i) => i > start && /^#+ /.test(l) && l.match(/^#+/)![0].length <= level,
  );
  return lines
    .slice(start, end < 0 ? undefined : end)
    .join('\n')
    .trimEnd();
}

/**
 * `weeklyReport(initiatives:)`: one initiative's part of the weekly report, exactly as the whole
 * report writes it (its objective, its letter there, its staged lines, metrics, milestones and
 * updates), for a PM who checks or sends their own part.
 */
describe.each(DIALECTS)('a part of the weekly report (%s)', (dialect) => {
  let app: TestApp;
  let whole: string;
  const part = async (only: string[]) => (await app.ok(REPORT, { only })).weeklyReport as string;

  beforeAll(async () => {
    app = await createTestApp(dialect);
    await loadSeed({ em: app.em(), initiatives: week20Seed });
    whole = (await app.ok(REPORT, { only: null })).weeklyReport;
  }, 60_000);
  afterAll(() => app?.close());

  it('writes an initiative’s section as the whole report does, its letter kept', async () => {
    const hive = await part(['hive']);
    const section = block(whole, '### C. Hive数仓建设');
    expect(hive).toContain(section);
    expect(hive.split('\n').slice(0, 5)).toEqual([
      '# 第20周 2023/05/13',
      '',
      '# 上周进展',
      '',
      '## 【O2系统升级】',
    ]);
    // Nothing of the other initiatives, objectives, or the team's own sections.
    for (const other of ['支付账户2.0升级', 'POS收单系统建设', '【O1 服务业务】', '【其他】'])
      expect(hive).not.toContain(other);
    expect(hive).not.toContain('# 本周收获与反思');
    expect(hive).not.toContain('# 下周工作及目标');
  });

  it('keeps a staged initiative’s stage lines, and several initiatives in the report’s order', async () => {
    const staged = block(whole, '## 【O1 服务业务】');
    expect(staged).toContain('### A. 新支付能力建设');
    const two = await part(['hive', 'payment-channels']);
    expect(two).toContain(block(whole, '### A. 新支付能力建设'));
    expect(two.indexOf('【O1 服务业务】')).toBeLessThan(two.indexOf('【O2系统升级】'));
    expect(two).toBe(await part(['payment-channels', 'hive', 'hive']));
    // An initiative of metrics alone under its own objective has no heading, there as here.
    const health = block(whole, '## 【系统运行数据】');
    expect(health).not.toContain('###');
    expect(await part(['system-health'])).toContain(health);
  });

  it('keeps the initiative’s own reflections and next steps, not the team’s', async () => {
    const { id } = (await app.ok('{ initiative(key: "hive") { id } }')).initiative;
    const res = await app.ok(POST_UPDATE, {
      input: {
        initiativeId: id,
        section: 'NEXT_WEEK',
        week: '2023-05-13',
        body: 'Hive：收尾风控报表',
      },
    });
    expect(res.postUpdate.userErrors).toEqual([]);
    const hive = await part(['hive']);
    expect(hive).toContain('# 下周工作及目标\n\nHive：收尾风控报表');
    expect(hive).not.toContain('ChatGPT Hackathon');
    const all = (await app.ok(REPORT, { only: null })).weeklyReport;
    expect(all).toContain('Hive：收尾风控报表');
    expect(all).toContain('ChatGPT Hackathon');
  });

  it('refuses a key not in the report in the same words, whether it exists or not', async () => {
    const refused = async (only: string[], principal?: Principal) => {
      const res = await app.gql(REPORT, { only }, principal);
      expect(res.data ?? null).toBeNull();
      expect(res.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        argument: 'initiatives',
      });
      return res.errors![0]!.message;
    };
    expect(await refused(['hive', 'nope'])).toContain('nope');
    expect(await refused([])).toContain('initiatives');
    // A viewer of account-2 alone: hive exists, but not for them.
    const viewer: Principal = {
      kind: 'token',
      tokenId: 99,
      name: 'v',
      role: 'viewer',
      initiativeId: (await app.ok('{ initiative(key: "account-2") { id } }')).initiative.id,
    };
    expect(await refused(['hive'], viewer)).toBe(
      (await refused(['no-such'], viewer)).replace('no-such', 'hive'),
    );
  });
});
