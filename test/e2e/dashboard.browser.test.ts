import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startServer, ROOT, type ServerProcess } from '../helpers/server-process.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const REQUIRED = process.env.JINDU_BROWSER_TESTS === 'required';
const available = existsSync(CHROMIUM);
if (!available && REQUIRED)
  throw new Error(`JINDU_BROWSER_TESTS=required but ${CHROMIUM} is missing`);
const ARTIFACTS = join(ROOT, 'test-results');

describe.skipIf(!available)('the dashboard in a real browser (Debian chromium)', () => {
  let dir: string;
  let server: ServerProcess;
  let browser: Browser;
  let editor: string;
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
    const created = await runCli(['token', 'create', '--name', 'pm', '--role', 'editor'], env);
    editor = created.stdout.trim().split('\n').at(-1)!;
    server = await startServer(env);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
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
    await hive.screenshot({ path: join(ARTIFACTS, 'dashboard-hive.png'), fullPage: false });
    expect(external).toEqual([]);
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
    expect(external).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
