import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchChromium } from '../helpers/browser.js';
import { httpClient } from '../helpers/http-client.js';
import { CREATE_INITIATIVE, CREATE_ITEMS, CREATE_WORKSTREAM } from '../helpers/operations.js';
import {
  createToken,
  runCli,
  startServer,
  ROOT,
  type ServerProcess,
} from '../helpers/server-process.js';
import { generateHistory, WEEK } from '../helpers/time-history.js';

const ARTIFACTS = join(ROOT, 'test-results');

describe.skipIf(!browserAvailable)('the dashboard in a real browser (Debian chromium)', () => {
  let dir: string;
  let server: ServerProcess;
  let browser: Browser;
  let editor: string;
  let admin: string;
  const external: string[] = [];
  const consoleErrors: string[] = [];

  async function open(path: string, token?: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1' || url.protocol === 'data:' || url.protocol === 'blob:')
        return route.continue();
      external.push(url.href);
      return route.abort();
    });
    page.on('pageerror', (err) => consoleErrors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    if (token) await page.addInitScript((t) => sessionStorage.setItem('jindu.token', t), token);
    await page.goto(`${server.url}${path}`);
    return page;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jindu-dash-'));
    const env = { DATABASE_URL: `sqlite:${join(dir, 'j.sqlite')}` };
    await runCli(['migrate'], env);
    editor = await createToken(env, 'pm', 'editor');
    admin = await createToken(env, 'owner', 'admin');
    server = await startServer(env);
    browser = await launchChromium([
      '--disable-quic',
      '--disable-component-update',
      '--disable-sync',
    ]);
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('home and Hive pages show the week-20 figures with accessible bars', async () => {
    const home = await open('/');
    await home.getByText('87.23%').first().waitFor({ timeout: 20_000 });
    await expect(
      home.getByRole('progressbar', { name: 'Hive数仓建设' }).getAttribute('aria-valuenow'),
    ).resolves.toBe('87.23');
    await home.screenshot({ path: join(ARTIFACTS, 'dashboard-home.png') });
    const hive = await open('/#/i/hive');
    const migration = hive.getByRole('progressbar', { name: '迁移', exact: true });
    await migration.waitFor({ timeout: 20_000 });
    await expect(migration.getAttribute('aria-valuenow')).resolves.toBe('86.11');
    expect(await hive.locator('body').innerText()).toContain('86.11%');
    // The week-20 data has one week: one point, and the forecast says why there are no dates.
    await hive.locator('.burnup canvas').first().waitFor({ timeout: 20_000 });
    const hiveTruth = (
      await httpClient(server.url, admin).ok(
        `{ initiative(key: "hive") { health { reason } forecast { status explain } } }`,
      )
    ).initiative;
    // Nothing moved since 2023-05-13: no throughput to forecast from, and the page says so.
    const why: Record<string, string> = {
      INSUFFICIENT_HISTORY: '历史不足，暂不预测',
      NOT_CONVERGING: '按当前速度不会完成',
    };
    expect(Object.keys(why)).toContain(hiveTruth.forecast.status);
    const hiveText = await hive.locator('main').innerText();
    expect(hiveText).toContain(why[hiveTruth.forecast.status]);
    expect(hiveText).toContain(hiveTruth.forecast.explain);
    expect(hiveText).toContain(hiveTruth.health.reason);
    expect(await hive.locator('table.points tbody tr').count()).toBeGreaterThan(0);
    // Its part of the weekly report, as the server writes it, ready to copy.
    const part = (await httpClient(server.url, admin).ok(`{ weeklyReport(initiatives: ["hive"]) }`))
      .weeklyReport as string;
    expect(part).toContain('### C. Hive数仓建设');
    await hive.getByText('周报中的本项目 Markdown').click();
    const shown = hive.locator('details.report-part pre.report');
    await shown.waitFor({ timeout: 20_000 });
    expect(await shown.textContent()).toBe(part);
    expect(part).not.toContain('支付账户2.0升级');
    await hive.screenshot({ path: join(ARTIFACTS, 'dashboard-hive.png'), fullPage: false });
    expect(external).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('shows the seed’s stages, metrics and milestones, in Chinese and in English', async () => {
    const api = httpClient(server.url, admin);
    const truth = (
      await api.ok(`{ initiative(key: "payment-channels") {
        items(first: 10) { nodes { name stage stageNote } } } }`)
    ).initiative.items.nodes as { name: string; stage: string; stageNote: string | null }[];
    const channels = await open('/#/i/payment-channels');
    const staged = channels.getByRole('table', { name: '按阶段推进的事项' });
    await staged.waitFor({ timeout: 20_000 });
    expect(await channels.locator('main').innerText()).toContain('启动 20% → 设计 40%');
    for (const item of truth) {
      const cells = await staged
        .locator('tr', { hasText: item.name })
        .locator('td')
        .allInnerTexts();
      expect(cells).toEqual([item.name, item.stage, item.stageNote ?? '']);
    }
    expect(truth.find((i) => i.name === '银联在线收银台')?.stage).toBe('上线');

    const account = await open('/#/i/account-2');
    const metrics = account.locator('table.metrics');
    await metrics.waitFor({ timeout: 20_000 });
    const tps = await metrics
      .locator('tr', { hasText: '普通记账TPS' })
      .locator('td')
      .allInnerTexts();
    expect(tps.slice(0, 4)).toEqual([
      '账户2.0性能-普通记账TPS（120并发线程）',
      '1047',
      '1000',
      '已达标',
    ]);
    const hot = await metrics.locator('tr', { hasText: '热点账户' }).innerText();
    expect(hot).toContain('未达标');
    expect(await metrics.locator('tr', { hasText: '存量单' }).first().innerText()).toContain(
      '200+ 单',
    );

    // The seed's POS test milestone was due 2023-06-15 and is not done: overdue today.
    const pos = await open('/#/i/pos');
    const milestone = pos.locator('table.milestones tr', { hasText: '2023-06-15' });
    await milestone.waitFor({ timeout: 20_000 });
    expect(await milestone.getAttribute('class')).toBe('overdue');
    expect(await milestone.innerText()).toMatch(/测试[\s\S]*已逾期[\s\S]*未变/);
    await pos.screenshot({ path: join(ARTIFACTS, 'dashboard-pos.png'), fullPage: true });

    const english = await browser.newPage();
    await english.addInitScript(() => localStorage.setItem('jindu.locale', 'en'));
    await english.goto(`${server.url}/#/i/account-2`);
    const en = english.locator('table.metrics');
    await en.waitFor({ timeout: 20_000 });
    expect(await en.locator('tr', { hasText: '普通记账TPS' }).innerText()).toContain('met');
    expect(await english.locator('main').innerText()).toContain('Milestones');
    await english.close();
    expect(external).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('in English: title, plurals and spacing, 可下线 without a percent of its own, user errors in English', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('pageerror', (err) => consoleErrors.push(err.message));
    await page.addInitScript(() => localStorage.setItem('jindu.locale', 'en'));
    await page.goto(`${server.url}/`);
    const hiveCard = page.locator('.card', { hasText: 'Hive数仓建设' });
    await hiveCard.waitFor({ timeout: 20_000 });
    expect(await page.title()).toBe('Jindu progress');
    expect(await hiveCard.innerText()).toContain('87.23% 164 items');
    expect(await page.locator('.card', { hasText: 'POS收单系统建设' }).innerText()).toContain(
      '66.67% 1 item\n',
    );
    expect(await hiveCard.innerText()).toMatch(/Health: \S/);
    // Health and forecast say why in English too (they were the server's Chinese).
    const why = (
      await httpClient(server.url, admin).ok(
        `{ initiative(key: "hive") { health { reason(locale: EN) } forecast { explain(locale: EN) } } }`,
      )
    ).initiative;
    expect(await hiveCard.innerText()).toContain(why.health.reason);

    // A 可下线 item counts by the policy (in full): its stored 0 is not shown as its progress.
    await page.goto(`${server.url}/#/i/hive`);
    // A workstream that is only a manual percent says so, not "0 items".
    const manual = page.locator('li.node', { hasText: '其他（周报未列明细）' }).first();
    await manual.waitFor({ timeout: 20_000 });
    expect(await manual.locator('.row').innerText()).toContain('percent set by hand (no items)');
    await page.getByRole('button', { name: '迁移', exact: true }).click();
    const tob = page.locator('li.node li.node', { hasText: 'Hive迁移-TOB商户账单' }).first();
    await tob.locator('.toggle').first().click();
    const retired = tob.locator('tr', { hasText: 'TOB商户账单-1' });
    await retired.waitFor({ timeout: 20_000 });
    expect(await retired.locator('td').allInnerTexts()).toContain('—');
    expect(await tob.locator('tr', { hasText: '交易对账单' }).innerText()).toContain('93%');
    await page.locator('.forecast').waitFor({ timeout: 20_000 });
    expect(await page.locator('main').innerText()).toContain(why.forecast.explain);
    await page.close();

    const editing = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    editing.on('pageerror', (err) => consoleErrors.push(err.message));
    await editing.addInitScript((token) => {
      localStorage.setItem('jindu.locale', 'en');
      sessionStorage.setItem('jindu.token', token);
    }, editor);
    await editing.goto(`${server.url}/#/i/hive`);
    await editing.getByRole('button', { name: '迁移', exact: true }).click();
    const leaf = editing.locator('li.node li.node', { hasText: 'Hive迁移-TOB商户账单' }).first();
    await leaf.locator('.toggle').first().click();
    const row = leaf.locator('tr', { hasText: '账户对账单' });
    const percent = row.locator('input.percent');
    await percent.waitFor({ timeout: 20_000 });
    expect(
      await leaf.locator('tr', { hasText: 'TOB商户账单-1' }).locator('input.percent').inputValue(),
    ).toBe('');
    await percent.fill('150');
    await percent.press('Enter');
    const alert = row.getByRole('alert');
    await expect(alert.innerText()).resolves.toContain('whole-number percent from 0 to 100');
    await expect(alert.getAttribute('title')).resolves.toContain('0 到 100');
    await editing.close();
    expect(consoleErrors).toEqual([]);
  });

  it('an editor changes an item in place: user errors beside the field, figures refreshed', async () => {
    const page = await open('/#/i/hive', editor);
    const migration = page.getByRole('progressbar', { name: '迁移', exact: true });
    await migration.waitFor({ timeout: 20_000 });
    const before = await migration.getAttribute('aria-valuenow');
    await page.getByRole('button', { name: '迁移', exact: true }).click();
    const leaf = page
      .locator('li.node li.node')
      .filter({ has: page.locator('.s-IN_PROGRESS') })
      .first();
    await leaf.locator('.toggle').first().click();
    // 交易对账单 is 处理中 at 93% in the week-20 data: 完成 adds credit.
    const row = leaf.locator('tr', { hasText: '交易对账单' });
    const percent = row.locator('input.percent');
    await percent.waitFor();
    await percent.fill('120');
    await percent.press('Enter');
    await expect(row.getByRole('alert').innerText()).resolves.toContain('0 到 100');
    await row.locator('select').selectOption('DONE');
    await percent.fill('100');
    // The leaf's rows are read again once per save (they were read twice: after the write,
    // and again when the page's figures moved).
    let itemReads = 0;
    page.on('request', (req) => {
      if (req.postData()?.includes('query Items(')) itemReads++;
    });
    await percent.press('Enter');
    await page.waitForFunction(
      (old) =>
        document
          .querySelector('[role=progressbar][aria-label="迁移"]')
          ?.getAttribute('aria-valuenow') !== old,
      before,
      { timeout: 20_000 },
    );
    expect(Number(await migration.getAttribute('aria-valuenow'))).toBeGreaterThan(Number(before));
    await expect.poll(() => itemReads, { timeout: 10_000 }).toBeGreaterThan(0);
    await page.waitForTimeout(1_000);
    expect(itemReads).toBe(1);
    await expect(row.locator('select').inputValue()).resolves.toBe('DONE');
    expect(external).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('at a phone’s width nothing runs off screen; 完成 needs no percent; open rows follow writes made elsewhere', async () => {
    const page = await open('/#/i/hive', editor);
    await page.setViewportSize({ width: 360, height: 800 });
    await page.getByRole('progressbar', { name: '迁移', exact: true }).waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: '迁移', exact: true }).click();
    const tob = page.locator('li.node li.node', {
      has: page.getByRole('button', { name: 'Hive迁移-TOB商户账单', exact: true }),
    });
    await tob.locator('.toggle').first().click();
    const row = (name: string) => tob.locator('tr', { hasText: name });
    const percentOf = (name: string) => row(name).locator('input.percent');
    await percentOf('账户对账单').waitFor({ timeout: 20_000 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      360,
    );
    // 完成 on an item at 90%: the field empties and the server sets 100.
    expect(await percentOf('账户对账单').inputValue()).toBe('90');
    await row('账户对账单').locator('select').selectOption('DONE');
    expect(await percentOf('账户对账单').inputValue()).toBe('');
    await row('账户对账单').getByRole('button', { name: '应用' }).click();
    await expect.poll(() => percentOf('账户对账单').inputValue(), { timeout: 20_000 }).toBe('100');
    expect(await row('账户对账单').getByRole('alert').count()).toBe(0);
    // A write made elsewhere: the open row shows it, and the page's next save goes through.
    const api = httpClient(server.url, editor);
    const [item] = (
      await api.ok(`{ initiative(key: "hive") { items(search: "自如寓对账单") { nodes { id } } } }`)
    ).initiative.items.nodes;
    await api.ok(
      `mutation($id: ID!) { setItemStatus(input: { itemId: $id, status: IN_PROGRESS, percent: 86 }) { userErrors { code } } }`,
      { id: item.id },
    );
    await expect.poll(() => percentOf('自如寓对账单').inputValue(), { timeout: 20_000 }).toBe('86');
    await percentOf('自如寓对账单').fill('87');
    await percentOf('自如寓对账单').press('Enter');
    await expect
      .poll(
        async () =>
          (
            await api.ok(`query($id: ID!) { node(id: $id) { ... on Item { percent } } }`, {
              id: item.id,
            })
          ).node.percent,
        { timeout: 20_000 },
      )
      .toBe(87);
    expect(await row('自如寓对账单').getByRole('alert').count()).toBe(0);
    // An initiative that is not there says so, with the way back.
    const missing = await open('/#/i/nope', editor);
    await expect(missing.getByRole('alert').innerText()).resolves.toContain('没有这个项目：nope');
    await missing.getByRole('link', { name: '全部项目' }).click();
    await missing.waitForURL(/#\/$/);
    expect(consoleErrors).toEqual([]);
  });

  it('the burn-up of a generated history: its data table equals as-of reads; health and stalled items shown', async () => {
    const api = httpClient(server.url, admin);
    await generateHistory(api, 'hist', 10);
    const page = await open('/#/i/hist');
    const rows = page.locator('table.points tbody tr');
    await rows.first().waitFor({ state: 'attached', timeout: 20_000 });
    await page.locator('.burnup canvas').first().waitFor({ timeout: 20_000 });
    const table = await rows.evaluateAll((trs) =>
      trs.map((tr) => ({
        at: tr.querySelector('time')!.getAttribute('datetime')!,
        cells: [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim()),
      })),
    );
    const num = (x: number) => String(Math.round(x * 100) / 100);
    const read = async (at: string) =>
      (
        await api.ok(
          `query($at: DateTimeISO!) { initiative(key: "hist", asOf: $at) { progress { percent credit counted total } } }`,
          { at },
        )
      ).initiative?.progress;
    // Ten weeks of writes: nine weekly points after the items came in, and the one now.
    expect(table.length).toBeGreaterThanOrEqual(9);
    expect(Date.now() - Date.parse(table.at(-1)!.at)).toBeLessThan(120_000);
    for (const [n, row] of table.entries()) {
      // A week apart; the last point is the server's now, within a minute of the page's week.
      const gap = n > 0 ? Date.parse(row.at) - Date.parse(table[n - 1]!.at) : WEEK;
      if (n < table.length - 1) expect(gap).toBe(WEEK);
      else expect(Math.abs(gap - WEEK)).toBeLessThan(60_000);
      const p = await read(row.at);
      expect(row.cells).toEqual([
        p.percent === null ? '—' : `${p.percent.toFixed(2)}%`,
        num(p.credit),
        num(p.counted),
        String(p.total),
      ]);
    }
    // Nothing counted the week before the first row: no point with data was left out.
    const before = await read(new Date(Date.parse(table[0]!.at) - WEEK).toISOString());
    expect(before?.total ?? 0).toBe(0);
    // The table is readable by screen readers while hidden, and shown on request.
    await expect(page.getByRole('table', { name: '燃起图数据（每周）' }).isVisible()).resolves.toBe(
      true,
    );
    await page.getByRole('button', { name: '显示数据表' }).click();
    await expect(page.locator('table.points').boundingBox()).resolves.toMatchObject({
      width: expect.any(Number),
    });
    expect((await page.locator('table.points').boundingBox())!.width).toBeGreaterThan(100);

    const truth = (
      await api.ok(`{ initiative(key: "hist") { health { status reason }
        forecast { status p50 p85 explain } stalledItems { nodes { item { name } } } } }`)
    ).initiative;
    const text = await page.locator('main').innerText();
    expect(text).toContain(truth.health.reason);
    expect(text).toContain(truth.forecast.explain);
    if (truth.forecast.status === 'OK') expect(text).toContain(`P50 ${truth.forecast.p50}`);
    expect(truth.stalledItems.nodes.length).toBeGreaterThan(0);
    const stalled = await page.locator('table.stalled tbody tr td:first-child').allInnerTexts();
    expect(stalled).toEqual(truth.stalledItems.nodes.map((s: any) => s.item.name));
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-burnup.png'), fullPage: true });

    const hiveHealth = (await api.ok(`{ initiative(key: "hive") { health { reason } } }`))
      .initiative.health;
    const home = await open('/');
    const card = home.locator('.card', { hasText: 'Hive数仓建设' });
    await card.waitFor({ timeout: 20_000 });
    expect(await card.innerText()).toContain(hiveHealth.reason);
    expect(external).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('prints every percent as the report lines do: exact ties half-up, unfinished work never 100.00%', async () => {
    const api = httpClient(server.url, admin);
    // 100.05 of 200 is exactly 50.025; 199.99 of 200 is 99.995 with an item left at 99%.
    const cases = [
      {
        key: 'tie',
        items: [
          ['done', 'DONE', null, 100],
          ['start', 'IN_PROGRESS', 1, 5],
          ['todo', 'NOT_STARTED', null, 95],
        ],
      },
      {
        key: 'nearly',
        items: [
          ['done', 'DONE', null, 200],
          ['last', 'IN_PROGRESS', 99, 1],
        ],
      },
    ] as const;
    for (const c of cases) {
      const made = await api.ok(CREATE_INITIATIVE, {
        input: { key: c.key, name: `舍入-${c.key}` },
      });
      const ws = await api.ok(CREATE_WORKSTREAM, {
        input: { initiativeId: made.createInitiative.initiative.id, name: '工作' },
      });
      const items = c.items.map(([name, status, percent, weight]) => ({
        name,
        status,
        percent,
        weight,
      }));
      await api.ok(CREATE_ITEMS, {
        input: { workstreamId: ws.createWorkstream.workstream.id, items },
      });
    }
    const lines = async (key: string) =>
      (await api.ok(`query($k: String!) { initiative(key: $k) { reportLines } }`, { k: key }))
        .initiative.reportLines[0] as string;
    expect(await lines('tie')).toContain('50.03%');
    expect(await lines('nearly')).toContain('99.99%');
    const home = await open('/');
    for (const [key, shown, never] of [
      ['tie', '50.03%', '50.02%'],
      ['nearly', '99.99%', '100.00%'],
    ]) {
      const card = home.locator('.card', { hasText: `舍入-${key}` });
      await card.waitFor({ timeout: 20_000 });
      const text = await card.innerText();
      expect(text).toContain(shown);
      expect(text).not.toContain(never);
    }
    const page = await open('/#/i/tie');
    await page.getByRole('progressbar', { name: '工作', exact: true }).waitFor({ timeout: 20_000 });
    expect(await page.locator('main').innerText()).toContain('50.03%');
    expect(consoleErrors).toEqual([]);
  });
});
