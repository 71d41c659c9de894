import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchChromium, launchChromiumWithProfile } from '../helpers/browser.js';
import { startServer, type ServerProcess } from '../helpers/server-process.js';

describe.skipIf(!browserAvailable)('GraphiQL in a real browser (Debian chromium)', () => {
  let dir: string;
  let server: ServerProcess;
  let browser: Browser;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jindu-browser-'));
    server = await startServer({ DATABASE_URL: `sqlite:${join(dir, 'j.sqlite')}` });
    browser = await launchChromium([
      '--disable-quic',
      '--disable-component-update',
      '--disable-sync',
    ]);
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
    const answer = (await page.goto(`${server.url}/graphiql`))!;
    // The 9 MB page crossed the wire compressed, in the coding the browser offered.
    const coding = (await answer.allHeaders())['content-encoding'];
    expect(coding).toMatch(/^(br|gzip)$/);
    const sizes = await answer.request().sizes();
    expect(sizes.responseBodySize).toBeLessThan((await answer.body()).length / 3);
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

  it('opened again, the page is revalidated with a 304, not sent again', async () => {
    // What the server answered, from its request log: in the browser, a navigation's status is
    // the cached page's.
    const answered = () =>
      server.logs
        .join('')
        .split('\n')
        // A line still being written (its end not yet read) waits for the next poll.
        .filter((line) => line.includes('"path":"/graphiql"') && line.endsWith('}'))
        .map((line) => (JSON.parse(line) as { status: number }).status);
    const context = await launchChromiumWithProfile(join(dir, 'profile'));
    try {
      const page = await context.newPage();
      const open = async (how: () => Promise<unknown>) => {
        await how();
        await page.locator('.graphiql-execute-button').waitFor({ timeout: 20_000 });
      };
      await open(() => page.goto(`${server.url}/graphiql`));
      await open(() => page.reload());
      await page.goto(`${server.url}/`);
      await open(() => page.goto(`${server.url}/graphiql`));
      // The log is written in batches: wait for the last line. The last three are these loads',
      // whether or not the earlier test's line had been written when this one began.
      await expect.poll(() => answered().slice(-3), { timeout: 10_000 }).toEqual([200, 304, 304]);
    } finally {
      await context.close();
    }
  });
});
