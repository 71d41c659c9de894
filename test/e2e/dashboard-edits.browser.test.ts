import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchChromium } from '../helpers/browser.js';
import { httpClient } from '../helpers/http-client.js';
import { touchingControls } from '../helpers/touching-controls.js';
import { CREATE_INITIATIVE, CREATE_ITEMS, CREATE_WORKSTREAM } from '../helpers/operations.js';
import { createToken, runCli, startServer, type ServerProcess } from '../helpers/server-process.js';

const ITEM = `query($key: String!, $search: String!) { initiative(key: $key) {
  id items(first: 1, search: $search) { nodes { id version percent } } } }`;
const SET = `mutation($input: SetItemStatusInput!) { setItemStatus(input: $input) {
  userErrors { code message } } }`;

/**
 * What the dashboard offers whom, and what it says when something goes wrong: a viewer gets no
 * editors, a refused write or a failed read is said where it happened and nothing shown is lost.
 * Polling is off in every page here, so only live events and the page's own reads move it.
 */
describe.skipIf(!browserAvailable)('the dashboard’s editing and its failures, in Chromium', () => {
  let dir: string;
  let server: ServerProcess;
  let browser: Browser;
  let editor: string;
  let viewer: string;
  let env: Record<string, string>;
  const pageErrors: string[] = [];

  async function open(path: string, token?: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.addInitScript(() => {
      window.setInterval = (() => 0) as any; // the 30 s poll never runs
    });
    if (token) await page.addInitScript((t) => sessionStorage.setItem('jindu.token', t), token);
    await page.goto(`${server.url}${path}`);
    return page;
  }

  /**
   * The answer to the page's next read of a leaf's items. Its answer, not its request: on a
   * busy machine the two can be far apart, and the rows render from the answer.
   */
  function itemsReread(page: Page) {
    return page.waitForResponse((r) => !!r.request().postData()?.includes('query Items('), {
      timeout: 20_000,
    });
  }

  /** Sets an item of an initiative over HTTP, as someone else would. */
  async function write(key: string, search: string, status: string, percent?: number) {
    const api = httpClient(server.url, editor);
    const item = (await api.ok(ITEM, { key, search })).initiative.items.nodes[0];
    const answer = await api.ok(SET, {
      input: { itemId: item.id, status, percent, expectedVersion: item.version },
    });
    expect(answer.setItemStatus.userErrors).toEqual([]);
  }

  /** Answers the page's reads of one operation with a proxy's plain-text 503 until called. */
  async function failReads(page: Page, operation: string): Promise<() => void> {
    let failing = true;
    const named = new RegExp(`query ${operation}\\b`);
    await page.route('**/graphql', (route) =>
      failing && named.test(route.request().postData() ?? '')
        ? route.fulfill({ status: 503, contentType: 'text/plain', body: 'upstream down' })
        : route.fallback(),
    );
    return () => void (failing = false);
  }

  /** Opens 迁移 › Hive迁移-TOB商户账单 and gives its item rows by name. */
  async function tobRows(page: Page) {
    await page.getByRole('button', { name: '迁移', exact: true }).click();
    const tob = page.locator('li.node li.node', {
      has: page.getByRole('button', { name: 'Hive迁移-TOB商户账单', exact: true }),
    });
    await tob.locator('.toggle').first().click();
    return (name: string) => tob.locator('tr', { hasText: name });
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jindu-edits-'));
    env = { DATABASE_URL: `sqlite:${join(dir, 'j.sqlite')}` };
    await runCli(['migrate'], env);
    editor = await createToken(env, 'pm', 'editor');
    viewer = await createToken(env, 'watcher', 'viewer');
    server = await startServer(env);
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a viewer’s token reads: named in the header, no editors, no upload', async () => {
    const page = await open('/#/i/hive', viewer);
    await expect
      .poll(() => page.locator('header .token').innerText(), { timeout: 20_000 })
      .toContain('watcher（只读）');
    const row = await tobRows(page);
    await row('账户对账单').locator('td').nth(1).waitFor({ timeout: 20_000 });
    expect(await row('账户对账单').locator('select, input').count()).toBe(0);
    // The item table names its columns (a screen reader reads them with each cell).
    const headers = row('账户对账单').locator('xpath=ancestor::table[1]/thead//th');
    expect(await headers.allInnerTexts()).toEqual(['事项', '状态', '进度']);
    expect(await page.locator('.sheets input[type=file]').count()).toBe(0);
    await expect(page.locator('.sheets').innerText()).resolves.toContain('当前令牌只读');
    await page.close();
  });

  it('a pasted token the server refuses is said beside the box, and not kept', async () => {
    const page = await open('/#/i/hive');
    await page.getByRole('progressbar', { name: '迁移', exact: true }).waitFor({ timeout: 20_000 });
    await page.locator('header .token input').fill('jindu_notarealtoken123');
    await page.locator('header .token button').click();
    await expect
      .poll(() => page.locator('header .token [role=alert]').innerText(), { timeout: 10_000 })
      .toContain('令牌不可用');
    expect(await page.evaluate(() => sessionStorage.getItem('jindu.token'))).toBeNull();
    // The page it was on is still there.
    expect(await page.getByRole('progressbar', { name: '迁移', exact: true }).count()).toBe(1);
    await page.close();
  });

  // The token box's label, field and button, a row's percent and its 应用, and the upload's
  // checkbox and 预览 sat flush against each other.
  it('no two controls touch, in either language, with a leaf open for editing', async () => {
    for (const english of [false, true]) {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      if (english) await page.addInitScript(() => localStorage.setItem('jindu.locale', 'en'));
      await page.goto(`${server.url}/#/i/hive`);
      await page.locator('header .token input').waitFor({ timeout: 20_000 });
      expect(await touchingControls(page)).toEqual([]); // the token box, anonymous
      await page.addInitScript((t) => sessionStorage.setItem('jindu.token', t), editor);
      await page.reload();
      const row = (await tobRows(page))('账户对账单');
      await row.locator('input.percent').waitFor({ timeout: 20_000 });
      await page.locator('.sheets input[type=checkbox]').waitFor({ timeout: 20_000 });
      expect(await touchingControls(page)).toEqual([]);
      await page.close();
    }
  });

  it('a write the server refuses outright is said at its row, not only in the console', async () => {
    const env = { DATABASE_URL: `sqlite:${join(dir, 'j.sqlite')}` };
    const doomed = await createToken(env, 'leaving', 'editor');
    const page = await open('/#/i/hive', doomed);
    const row = await tobRows(page);
    const percent = row('账户对账单').locator('input.percent');
    await percent.waitFor({ timeout: 20_000 });
    // The token is revoked meanwhile: the write is a 401, not a userError.
    await runCli(['token', 'revoke', 'leaving'], env);
    await percent.fill('91');
    await row('账户对账单').getByRole('button', { name: '应用到「账户对账单」' }).click();
    await expect
      .poll(() => row('账户对账单').getByRole('alert').innerText(), { timeout: 10_000 })
      .toMatch(/令牌/);
    expect(await percent.inputValue()).toBe('91'); // what was typed stays
    await page.close();
  });

  // A row being edited kept what was typed when a colleague's write was read in live, but took
  // the re-read version, so the save wrote over the colleague's change without a word.
  it('a save expects the version the edit began from: a colleague’s change meanwhile is STALE_VERSION', async () => {
    const page = await open('/#/i/hive', editor);
    const row = (await tobRows(page))('账户对账单');
    const status = row.locator('select');
    await status.waitFor({ timeout: 20_000 });
    await status.selectOption('IN_PROGRESS');
    await row.locator('input.percent').fill('70');
    const read = itemsReread(page);
    await write('hive', '账户对账单', 'IN_PROGRESS', 40); // a colleague, seen live
    await read;
    await page.waitForTimeout(500); // the re-read rows rendered
    expect(await row.locator('input.percent').inputValue()).toBe('70'); // what was typed stays
    await row.getByRole('button', { name: '应用到「账户对账单」' }).click();
    await expect
      .poll(() => row.getByRole('alert').innerText(), { timeout: 10_000 })
      .toContain('已被他人修改');
    // The row now shows what the colleague set, and nothing was written over it.
    await expect.poll(() => row.locator('input.percent').inputValue()).toBe('40');
    const api = httpClient(server.url, editor);
    const now = (await api.ok(ITEM, { key: 'hive', search: '账户对账单' })).initiative.items;
    expect(now.nodes[0]).toMatchObject({ percent: 40 });
    // Applied again, knowingly, it goes through.
    await row.locator('input.percent').fill('70');
    await row.getByRole('button', { name: '应用到「账户对账单」' }).click();
    await expect
      .poll(async () => (await api.ok(ITEM, { key: 'hive', search: '账户对账单' })).initiative)
      .toMatchObject({ items: { nodes: [{ percent: 70 }] } });
    await write('hive', '账户对账单', 'DONE', 100);
    await page.close();
  });

  // What was typed while a save was under way was replaced by the saved value once it came back.
  it('what is typed while a save is under way stays, and applies from the version just written', async () => {
    await write('hive', '账户对账单', 'IN_PROGRESS', 40);
    const page = await open('/#/i/hive', editor);
    const row = (await tobRows(page))('账户对账单');
    const percent = row.locator('input.percent');
    await expect.poll(() => percent.inputValue(), { timeout: 20_000 }).toBe('40');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const sent = page.waitForRequest((r) => !!r.postData()?.includes('mutation Set('));
    await page.route('**/graphql', async (route) => {
      if (route.request().postData()?.includes('mutation Set(')) await held;
      await route.fallback();
    });
    await percent.fill('50');
    await row.getByRole('button', { name: '应用到「账户对账单」' }).click();
    await sent;
    await percent.fill('60'); // the save of 50 is still under way
    const reread = itemsReread(page);
    release();
    await reread;
    await page.waitForTimeout(500); // the re-read rows rendered
    expect(await percent.inputValue()).toBe('60');
    const api = httpClient(server.url, editor);
    const stored = async () =>
      (await api.ok(ITEM, { key: 'hive', search: '账户对账单' })).initiative.items.nodes[0];
    expect(await stored()).toMatchObject({ percent: 50 });
    await row.getByRole('button', { name: '应用到「账户对账单」' }).click();
    await expect.poll(stored, { timeout: 10_000 }).toMatchObject({ percent: 60 });
    expect(await row.getByRole('alert').count()).toBe(0); // not refused as stale
    await write('hive', '账户对账单', 'DONE', 100);
    await page.close();
  });

  // The page read five levels of children: the sixth level showed as an empty leaf, and its
  // workstreams and items (paths may be 30 deep) could be neither seen nor changed.
  it('a tree deeper than a read opens level by level, down to its items', async () => {
    const api = httpClient(server.url, await createToken(env, 'deep-owner', 'admin'));
    const created = await api.ok(CREATE_INITIATIVE, { input: { key: 'deep', name: '深层' } });
    expect(created.createInitiative.userErrors).toEqual([]);
    const { initiative } = created.createInitiative;
    let parentId: string | null = null;
    const names = ['L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'L7', 'L8'];
    for (const name of names) {
      const made: any = await api.ok(CREATE_WORKSTREAM, {
        input: { initiativeId: initiative.id, name, parentId },
      });
      parentId = made.createWorkstream.workstream.id;
    }
    await api.ok(CREATE_ITEMS, {
      input: {
        workstreamId: parentId,
        items: [{ name: '深层事项', status: 'IN_PROGRESS', percent: 40 }],
      },
    });
    const page = await open('/#/i/deep', editor);
    for (const name of names) {
      const toggle = page.getByRole('button', { name, exact: true });
      await toggle.waitFor({ timeout: 20_000 });
      await toggle.click();
    }
    const row = page.locator('tr', { hasText: '深层事项' });
    await row.locator('select').selectOption('DONE');
    await row.getByRole('button', { name: '应用到「深层事项」' }).click();
    const l8 = page.getByRole('progressbar', { name: 'L8', exact: true });
    await expect.poll(() => l8.getAttribute('aria-valuenow'), { timeout: 20_000 }).toBe('100');

    // A level read lazily whose read fails says so and is read again: it used to keep its old
    // figures silently until the next write.
    const subtreeRecovers = await failReads(page, 'Subtree');
    await write('deep', '深层事项', 'IN_PROGRESS', 50);
    const alert = page.locator('[role=alert]', { hasText: '刷新失败' }).first();
    await alert.waitFor({ timeout: 20_000 });
    expect(await alert.innerText()).toContain('HTTP 503');
    subtreeRecovers();
    await expect.poll(() => l8.getAttribute('aria-valuenow'), { timeout: 30_000 }).toBe('50');
    await expect.poll(() => page.locator('[role=alert]').count(), { timeout: 30_000 }).toBe(0);

    // So do a leaf's rows: their failed read said 稍后自动重试 and waited for the next write.
    const itemsRecover = await failReads(page, 'Items');
    await write('deep', '深层事项', 'PAUSED');
    await page
      .locator('[role=alert]', { hasText: '刷新失败' })
      .first()
      .waitFor({ timeout: 20_000 });
    itemsRecover();
    await expect.poll(() => row.locator('select').inputValue(), { timeout: 30_000 }).toBe('PAUSED');
    await expect.poll(() => page.locator('[role=alert]').count(), { timeout: 30_000 }).toBe(0);
    await page.close();
  });

  // A request that got no answer said the browser's own English, "Failed to fetch".
  it('a request that gets no answer at all is said in the page’s language', async () => {
    const page = await browser.newPage();
    await page.route('**/graphql', (route) =>
      route.request().method() === 'POST' ? route.abort('connectionrefused') : route.continue(),
    );
    await page.goto(`${server.url}/#/`);
    await expect
      .poll(() => page.locator('main').innerText(), { timeout: 20_000 })
      .toContain('连不上服务器');
    expect(await page.locator('main').innerText()).not.toContain('Failed to fetch');
    await page.close();
    // In English a failed read of a workstream's items said "The server refused this
    // (NETWORK): …": the page's own words were taken for a server's code to translate.
    const english = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await english.addInitScript(() => localStorage.setItem('jindu.locale', 'en'));
    await english.goto(`${server.url}/#/i/hive`);
    await english.getByRole('button', { name: '迁移', exact: true }).click();
    await english.route('**/graphql', (route) =>
      route.request().method() === 'POST' ? route.abort('connectionrefused') : route.continue(),
    );
    const tob = english.locator('li.node li.node', {
      has: english.getByRole('button', { name: 'Hive迁移-TOB商户账单', exact: true }),
    });
    await tob.locator('.toggle').first().click();
    await expect
      .poll(() => tob.innerText(), { timeout: 20_000 })
      .toContain('Cannot reach the server');
    expect(await tob.innerText()).not.toContain('refused this');
    await english.close();
  });

  // A token pasted from a chat carried a zero-width space: fetch refused the header with the
  // TypeError a network failure gives, and the page said the server could not be reached.
  it('a pasted token loses invisible characters, and one it cannot send is said to be the token’s fault', async () => {
    const page = await open('/#/');
    const box = page.getByLabel('令牌');
    await box.fill(`Bearer \u200b${editor}\ufeff`);
    await box.press('Enter');
    await expect
      .poll(() => page.locator('form.token').innerText(), { timeout: 20_000 })
      .toContain('pm（');
    expect(await page.evaluate(() => sessionStorage.getItem('jindu.token'))).toBe(editor);
    await page.close();

    const other = await open('/#/');
    const otherBox = other.getByLabel('令牌');
    await otherBox.fill(`${editor}\uff01`); // a full-width ！
    await otherBox.press('Enter');
    const problem = other.locator('form.token [role=alert]');
    await expect.poll(() => problem.innerText(), { timeout: 20_000 }).toContain('无法发送的字符');
    expect(await problem.innerText()).not.toContain('连不上服务器');
    await other.close();
  });

  it('a failed read keeps the page, says so, and is tried again until it succeeds', async () => {
    const page = await open('/#/i/hive', editor);
    await page.locator('header .live').waitFor({ timeout: 20_000 });
    const figures = page.locator('.report-model .figures');
    await figures.waitFor({ timeout: 20_000 });
    const before = await figures.innerText();
    // A proxy answers the page's reads with a plain-text 503 for a while.
    let failing = true;
    await page.route('**/graphql', (route) =>
      failing && route.request().method() === 'POST'
        ? route.fulfill({ status: 503, contentType: 'text/plain', body: 'Service Unavailable' })
        : route.continue(),
    );
    await write('hive', '交易对账单', 'DONE', 100);
    const note = page.locator('.stale').first();
    await note.waitFor({ timeout: 15_000 });
    expect(await note.innerText()).toContain('HTTP 503');
    expect(await note.innerText()).not.toContain('JSON');
    expect(await page.getByRole('progressbar', { name: '迁移', exact: true }).count()).toBe(1);
    failing = false;
    // Retried by itself (no poll runs): the note goes, and the named figures follow the write.
    await expect.poll(() => page.locator('.stale').count(), { timeout: 20_000 }).toBe(0);
    await expect.poll(() => figures.innerText(), { timeout: 20_000 }).not.toBe(before);
    await write('hive', '交易对账单', 'IN_PROGRESS', 93);
    await page.close();
  });

  // In English, a read the server refused with a code (a timeout, a rate limit) showed its
  // Chinese message as it came: only writes' errors were put in the page's language.
  it('in English, a read the server refuses says what its code means', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.addInitScript(() => localStorage.setItem('jindu.locale', 'en'));
    await page.addInitScript((t) => sessionStorage.setItem('jindu.token', t), editor);
    await page.goto(`${server.url}/#/i/hive`);
    await page.locator('header .live').waitFor({ timeout: 20_000 });
    await page.locator('.report-model .figures').waitFor({ timeout: 20_000 });
    let failing = true;
    await page.route('**/graphql', (route) =>
      failing && route.request().method() === 'POST'
        ? route.fulfill({
            status: 503,
            contentType: 'application/json',
            body: JSON.stringify({
              errors: [{ message: '请求超时', extensions: { code: 'TIMEOUT' } }],
            }),
          })
        : route.continue(),
    );
    await write('hive', '交易对账单', 'DONE', 100);
    // The page's own read and the report model's, both read again at the new revision.
    const notes = page.locator('.stale');
    await expect.poll(() => notes.count(), { timeout: 15_000 }).toBe(2);
    for (const text of await notes.allInnerTexts()) {
      expect(text).toBe('Refresh failed, retrying shortly: The server took too long to answer');
    }
    failing = false;
    await expect.poll(() => notes.count(), { timeout: 20_000 }).toBe(0);
    await write('hive', '交易对账单', 'IN_PROGRESS', 93);
    await page.close();
  });

  it('a staged item offers no status editor; reopening a done item does not offer 100', async () => {
    const page = await open('/#/i/payment-channels', editor);
    await page.getByRole('button', { name: '商委类通道接口接入', exact: true }).click();
    const staged = page.locator('li.node tr', { hasText: '网联代收' });
    await staged.waitFor({ timeout: 20_000 });
    expect(await staged.locator('select').count()).toBe(0);
    expect(await staged.locator('input[type=checkbox]').isDisabled()).toBe(true);
    const hive = await open('/#/i/hive', editor);
    const row = await tobRows(hive);
    const done = row('交易对账单');
    await done.locator('select').waitFor({ timeout: 20_000 });
    await write('hive', '交易对账单', 'DONE', 100);
    await expect.poll(() => done.locator('select').inputValue(), { timeout: 15_000 }).toBe('DONE');
    await done.locator('select').selectOption('IN_PROGRESS');
    expect(await done.locator('input.percent').inputValue()).toBe('');
    // Applied empty, the server would keep 100: the page asks for a percent first.
    await done.getByRole('button', { name: '应用到「交易对账单」' }).click();
    await expect
      .poll(() => done.getByRole('alert').innerText(), { timeout: 5_000 })
      .toContain('请填写进度');
    await write('hive', '交易对账单', 'IN_PROGRESS', 93);
    await page.close();
    await hive.close();
  });

  it('a percent set by hand draws its bar, and its node has nothing to open', async () => {
    const page = await open('/#/i/hive');
    const manual = page.locator('li.node', { hasText: '其他（周报未列明细）' }).first();
    await manual.waitFor({ timeout: 20_000 });
    const bar = manual.getByRole('progressbar').first();
    const percent = Number(await bar.getAttribute('aria-valuenow'));
    expect(percent).toBeGreaterThan(0);
    const [barWidth, segWidth] = await bar.evaluate((b) => [
      b.getBoundingClientRect().width,
      (b.querySelector('.seg') as HTMLElement).getBoundingClientRect().width,
    ]);
    expect(segWidth / barWidth).toBeCloseTo(percent / 100, 2);
    expect(await manual.locator('.row button.toggle').count()).toBe(0);
    // Every other node's toggle says whether it is open.
    const migration = page.getByRole('button', { name: '迁移', exact: true });
    expect(await migration.getAttribute('aria-expanded')).toBe('false');
    await migration.click();
    expect(await migration.getAttribute('aria-expanded')).toBe('true');
    await page.close();
  });

  it('a leaf of more than 100 items lists them all', async () => {
    const api = httpClient(server.url, editor);
    const { id } = (await api.ok(ITEM, { key: 'account-2', search: 'x' })).initiative;
    const leaf = (await api.ok(CREATE_WORKSTREAM, { input: { initiativeId: id, name: '大批量' } }))
      .createWorkstream.workstream.id;
    for (const from of [0, 100]) {
      const made = await api.ok(CREATE_ITEMS, {
        input: {
          workstreamId: leaf,
          items: Array.from({ length: from ? 5 : 100 }, (_, n) => ({
            name: `批量事项${from + n + 1}`,
          })),
        },
      });
      expect(made.createItems.userErrors).toEqual([]);
    }
    const page = await open('/#/i/account-2', editor);
    await page.getByRole('button', { name: '大批量', exact: true }).click();
    const last = page.locator('tr', { hasText: '批量事项105' });
    await last.waitFor({ timeout: 20_000 });
    expect(await page.locator('tr', { hasText: '批量事项' }).count()).toBe(105);
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  // Table names are the usual item and workstream names of a migration, and hold no space: they
  // made the page 424 px wide at 360, and 1,943 px for a 200-character name at 1,200, with an
  // item's status and percent out of sight. A rename made elsewhere moved no figure, so the open
  // row kept the old name and version, and its next save was STALE_VERSION.
  it('long names without spaces wrap; a rename made elsewhere reaches the open row', async () => {
    const api = httpClient(server.url, editor);
    const { id } = (await api.ok(ITEM, { key: 'account-2', search: 'x' })).initiative;
    const table = 'dwd_fin_settlement_account_bill_detail_di_v2';
    const leaf = (await api.ok(CREATE_WORKSTREAM, { input: { initiativeId: id, name: table } }))
      .createWorkstream.workstream.id;
    const long = `ods_${'x'.repeat(196)}`;
    const made = await api.ok(CREATE_ITEMS, {
      input: { workstreamId: leaf, items: [{ name: long }, { name: 'dim_user_di' }] },
    });
    expect(made.createItems.userErrors).toEqual([]);
    const page = await open('/#/i/account-2', editor);
    await page.getByRole('button', { name: table, exact: true }).click();
    const row = page.locator('tr', { hasText: 'ods_xxx' });
    await row.locator('select').waitFor({ timeout: 20_000 });
    for (const width of [1200, 360]) {
      await page.setViewportSize({ width, height: 800 });
      // The burn-up's canvas follows the window a moment after it changes.
      await expect
        .poll(() => page.evaluate(() => document.documentElement.scrollWidth), {
          message: `page at ${width} px`,
          timeout: 10_000,
        })
        .toBeLessThanOrEqual(width);
      const box = await row.locator('select').boundingBox();
      expect(box!.x + box!.width, `status at ${width} px`).toBeLessThanOrEqual(width);
    }
    await page.setViewportSize({ width: 1200, height: 900 });
    const other = page.locator('tr', { hasText: 'dim_user_di' });
    await api.ok(
      `mutation($id: ID!) { updateItem(input: { itemId: $id, name: "dim_user_di_renamed" }) { userErrors { code } } }`,
      { id: made.createItems.items[1].id },
    );
    await expect
      .poll(() => other.locator('td.item-name').innerText(), { timeout: 20_000 })
      .toContain('dim_user_di_renamed');
    await other.locator('select').selectOption('DONE');
    await other.getByRole('button', { name: '应用' }).click();
    await expect
      .poll(
        async () =>
          (
            await api.ok(`query($id: ID!) { node(id: $id) { ... on Item { status } } }`, {
              id: made.createItems.items[1].id,
            })
          ).node.status,
        { timeout: 20_000 },
      )
      .toBe('DONE');
    expect(await other.getByRole('alert').count()).toBe(0);
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  // A kept token revoked since: every read failed with it and was retried with it, the header
  // still named it, and after a reload the page showed nothing but 令牌已吊销.
  it('a saved token that is revoked is dropped, said beside the box, and the page reads on', async () => {
    const doomed = await createToken(env, 'doomed', 'editor');
    // Pasted, not put in place by the page's init script, which would put it back on reload.
    const page = await open('/#/i/hive');
    await page.locator('header .token input').fill(doomed);
    await page.locator('header .token button').click();
    await expect
      .poll(() => page.locator('header .token').innerText(), { timeout: 20_000 })
      .toContain('doomed（编辑）');
    expect((await runCli(['token', 'revoke', 'doomed'], env)).code).toBe(0);
    await page.reload();
    await expect
      .poll(() => page.locator('header .token [role=alert]').innerText(), { timeout: 20_000 })
      .toContain('保存的令牌已失效，已清除');
    expect(await page.evaluate(() => sessionStorage.getItem('jindu.token'))).toBeNull();
    // Anonymous reads on loopback: the figures are there again.
    await page.getByRole('progressbar', { name: '迁移', exact: true }).waitFor({ timeout: 20_000 });
    // A token pasted with its Bearer, as copied from a curl line, is taken.
    await page.locator('header .token input').fill(`Bearer ${editor}`);
    await page.locator('header .token button').click();
    await expect
      .poll(() => page.locator('header .token').innerText(), { timeout: 20_000 })
      .toContain('pm（编辑）');
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  // The page reloads itself when it drops a revoked token and when the language is switched, and
  // a user presses F5: what was typed in a row and not yet applied was lost each time.
  it('an edit not yet applied outlives reloads, and still expects the version it began from', async () => {
    await write('hive', '账户对账单', 'IN_PROGRESS', 40);
    const leaving = await createToken(env, 'leaving-soon', 'editor');
    const page = await open('/#/i/hive');
    const paste = async (value: string, name: string) => {
      await page.locator('header .token input').fill(value);
      await page.locator('header .token button').click();
      await expect
        .poll(() => page.locator('header .token').innerText(), { timeout: 20_000 })
        .toContain(name);
    };
    // Opened once; the page keeps what is open across its reloads.
    const percentOf = async () =>
      page
        .locator('li.node li.node', {
          has: page.getByRole('button', { name: 'Hive迁移-TOB商户账单', exact: true }),
        })
        .locator('tr', { hasText: '账户对账单' })
        .locator('input.percent');
    await paste(leaving, 'leaving-soon（编辑）');
    await tobRows(page);
    let percent = await percentOf();
    await expect.poll(() => percent.inputValue(), { timeout: 20_000 }).toBe('40');
    await percent.fill('77');
    // Revoked meanwhile: the reload's first read is refused, the page drops the token and
    // reloads again, anonymous, with the edit kept and said beside the box.
    expect((await runCli(['token', 'revoke', 'leaving-soon'], env)).code).toBe(0);
    await page.reload();
    await expect
      .poll(() => page.locator('header .token [role=alert]').innerText(), { timeout: 20_000 })
      .toContain('保存的令牌已失效');
    await expect
      .poll(() => page.locator('header .token .kept-drafts').innerText(), { timeout: 20_000 })
      .toBe('1 处未应用的修改已保留：粘贴令牌后可在原行应用');
    await paste(editor, 'pm（编辑）');
    percent = await percentOf();
    await expect.poll(() => percent.inputValue(), { timeout: 20_000 }).toBe('77');
    // And in English, after the switch's reload.
    await page.locator('header button.lang').click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    percent = await percentOf();
    await expect.poll(() => percent.inputValue(), { timeout: 20_000 }).toBe('77');
    // A colleague's write meanwhile: applying the kept edit is refused as stale, not written
    // over it; the row then shows what the colleague set, and the draft is gone.
    const reread = itemsReread(page);
    await write('hive', '账户对账单', 'IN_PROGRESS', 45);
    await reread;
    await page.waitForTimeout(500); // the re-read rows rendered
    expect(await percent.inputValue()).toBe('77');
    await percent.press('Enter');
    await expect.poll(() => percent.inputValue(), { timeout: 10_000 }).toBe('45');
    const api = httpClient(server.url, editor);
    const stored = async () =>
      (await api.ok(ITEM, { key: 'hive', search: '账户对账单' })).initiative.items.nodes[0];
    expect(await stored()).toMatchObject({ percent: 45 });
    expect(await page.evaluate(() => sessionStorage.getItem('jindu.drafts'))).toBeNull();
    // Typed again, it applies, and nothing is kept after.
    await percent.fill('78');
    await percent.press('Enter');
    await expect.poll(stored, { timeout: 10_000 }).toMatchObject({ percent: 78 });
    // Applied, it is no longer kept (once the page has the answer).
    await expect.poll(() => page.evaluate(() => sessionStorage.getItem('jindu.drafts'))).toBeNull();
    await page.reload();
    percent = await percentOf();
    await expect.poll(() => percent.inputValue(), { timeout: 20_000 }).toBe('78');
    expect(await page.evaluate(() => sessionStorage.getItem('jindu.drafts'))).toBeNull();
    await write('hive', '账户对账单', 'DONE', 100);
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  // Kept across reloads, an edit could no longer be dropped by reloading the page.
  it('an edit is dropped with 撤销 or Esc: the row follows the item again, and nothing is kept', async () => {
    await write('hive', '账户对账单', 'IN_PROGRESS', 40);
    const page = await open('/#/i/hive', editor);
    const row = (await tobRows(page))('账户对账单');
    const percent = row.locator('input.percent');
    await expect.poll(() => percent.inputValue(), { timeout: 20_000 }).toBe('40');
    const undo = row.getByRole('button', { name: '撤销对「账户对账单」的修改' });
    expect(await undo.count()).toBe(0); // nothing to drop
    await percent.fill('55');
    await undo.click();
    expect(await percent.inputValue()).toBe('40');
    expect(await undo.count()).toBe(0);
    expect(await page.evaluate(() => sessionStorage.getItem('jindu.drafts'))).toBeNull();
    await percent.fill('56');
    await percent.press('Escape');
    expect(await percent.inputValue()).toBe('40');
    expect(await page.evaluate(() => sessionStorage.getItem('jindu.drafts'))).toBeNull();
    // No longer an edit, the row shows a colleague's write.
    await write('hive', '账户对账单', 'IN_PROGRESS', 45);
    await expect.poll(() => percent.inputValue(), { timeout: 20_000 }).toBe('45');
    await write('hive', '账户对账单', 'DONE', 100);
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  // A download the server refuses (its write past the deadline, test/e2e/import-deadline) was
  // said in English in the upload's words: "upload it again".
  it('a download the server refuses is said in the page’s language, in a download’s words', async () => {
    let code = 'TIMEOUT';
    const refusing = async (english: boolean) => {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      page.on('pageerror', (err) => pageErrors.push(err.message));
      if (english) await page.addInitScript(() => localStorage.setItem('jindu.locale', 'en'));
      await page.route('**/api/export*', (route) =>
        route.fulfill({
          status: 503,
          contentType: 'application/json',
          body: JSON.stringify({
            errors: [{ message: '生成导出文件超过 10 秒未完成', extensions: { code } }],
          }),
        }),
      );
      await page.goto(`${server.url}/#/i/hive`);
      return page;
    };
    const english = await refusing(true);
    const said = english.locator('.sheets [role=alert]');
    await english.getByRole('button', { name: /\.xlsx/ }).click();
    await expect
      .poll(() => said.innerText(), { timeout: 20_000 })
      .toBe('Writing the file took too long: try again later, or download .csv');
    code = 'RETRY';
    await english.getByRole('button', { name: /\.csv/ }).click();
    await expect
      .poll(() => said.innerText(), { timeout: 20_000 })
      .toBe('The server could not write this file just now: download it again');
    await english.close();
    code = 'TIMEOUT';
    const chinese = await refusing(false);
    await chinese.getByRole('button', { name: /\.xlsx/ }).click();
    await expect
      .poll(() => chinese.locator('.sheets [role=alert]').innerText(), { timeout: 20_000 })
      .toBe('生成导出文件超过 10 秒未完成');
    await chinese.close();
    expect(pageErrors).toEqual([]);
  });

  it('previews an upload with the workstreams it will create, then applies it once', async () => {
    const page = await open('/#/i/hive', editor);
    const input = page.locator('.sheets input[type=file]');
    await input.waitFor({ state: 'attached', timeout: 20_000 });
    // The two download buttons sat flush against each other.
    const xlsx = (await page.getByRole('button', { name: /\.xlsx/ }).boundingBox())!;
    const csv = (await page.getByRole('button', { name: /\.csv/ }).boundingBox())!;
    expect(csv.x - (xlsx.x + xlsx.width)).toBeGreaterThanOrEqual(6);
    await input.setInputFiles({
      name: 'new.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        '工作流,事项,状态,负责人\n迁移/浏览器导入,导入事项一,未启动,张三\n迁移/浏览器导入,导入事项二,完成,李四\n',
      ),
    });
    await page.getByRole('button', { name: '预览', exact: true }).click();
    await expect
      .poll(() => page.locator('.sheets').innerText(), { timeout: 20_000 })
      .toContain('新建 2');
    // A mistyped path would make a workstream: the preview names each one it will create.
    expect(await page.locator('.sheets').innerText()).toContain('新工作流 1');
    const made = page.locator('.sheets .new-workstreams');
    expect(await made.innerText()).toContain('将新建的工作流：迁移/浏览器导入');
    // A column the import does not read is named, not dropped without a word.
    expect(await page.locator('.sheets .ignored-columns').innerText()).toContain('负责人');
    const apply = page.getByRole('button', { name: '应用', exact: true });
    await apply.click();
    await expect
      .poll(() => page.locator('.sheets').innerText(), { timeout: 20_000 })
      .toContain('✓');
    expect(await apply.isDisabled()).toBe(true);
    // Applied, they are made: the list said 将新建 still.
    expect(await made.innerText()).toContain('已新建的工作流：迁移/浏览器导入');
    const api = httpClient(server.url, editor);
    const found = await api.ok(
      '{ initiative(key: "hive") { items(first: 10, search: "导入事项") { nodes { name } } } }',
    );
    expect(found.initiative.items.nodes.map((n: { name: string }) => n.name).sort()).toEqual([
      '导入事项一',
      '导入事项二',
    ]);
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
