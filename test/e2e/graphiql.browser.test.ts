import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from '../helpers/server-process.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** .ci/run installs Debian's chromium and sets this, so a missing browser fails there. */
const REQUIRED = process.env.JINDU_BROWSER_TESTS === 'required';
const available = existsSync(CHROMIUM);
if (!available && REQUIRED)
  throw new Error(`JINDU_BROWSER_TESTS=required but ${CHROMIUM} is missing`);

describe.skipIf(!available)('GraphiQL in a real browser (Debian chromium)', () => {
  let dir: string;
  let server: ServerProcess;
  let browser: Browser;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jindu-browser-'));
    server = await startServer({ DATABASE_URL: `sqlite:${join(dir, 'j.sqlite')}` });
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
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads offline, runs the Hive query, and asks nothing of the internet', async () => {
    const page = await browser.newPage();
    const external: string[] = [];
    await page.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1' || url.protocol === 'data:' || url.protocol === 'blob:')
        return route.continue();
      external.push(url.href);
      return route.abort();
    });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${server.url}/graphiql`);
    await page.locator('.graphiql-execute-button').click({ timeout: 20_000 });
    await page.waitForFunction(() => document.body.innerText.includes('87.2282'), undefined, {
      timeout: 20_000,
    });
    const text = await page.locator('body').innerText();
    expect(text).toContain('Hive数仓建设');
    expect(text).toContain('86.1097');
    await page.screenshot({ path: process.env.GRAPHIQL_SCREENSHOT ?? join(dir, 'graphiql.png') });
    expect(external).toEqual([]);
    expect(errors).toEqual([]);
  });
});
