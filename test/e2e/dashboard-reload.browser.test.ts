import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchChromium } from '../helpers/browser.js';
import { startServer, type ServerProcess } from '../helpers/server-process.js';

/**
 * The dashboard's page loads 31 files. Its own were revalidated on every load (`no-cache`): a
 * reload asked the server 23 times as the modules were found, a round trip each over a slow
 * network.
 * The page now names them by versioned URLs the browser keeps without asking.
 */
describe.skipIf(!browserAvailable)(
  'the dashboard reloaded in a real browser (Debian chromium)',
  () => {
    let dir: string;
    let server: ServerProcess;
    let browser: Browser;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'jindu-reload-'));
      server = await startServer({ DATABASE_URL: `sqlite:${join(dir, 'j.sqlite')}` });
      browser = await launchChromium(['--disable-quic', '--disable-component-update']);
    });
    afterAll(async () => {
      await browser?.close();
      await server?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    /** The pages and files the server answered, from its request log (GraphQL left out). */
    const filesAnswered = () =>
      server.logs
        .join('')
        .split('\n')
        .filter((line) => line.includes('"msg":"request"') && line.endsWith('}'))
        .map((line) => JSON.parse(line) as { path: string; status: number })
        .filter((line) => line.path !== '/graphql')
        .map((line) => `${line.path} ${line.status}`);

    it('asks for the page alone: every file it loads is kept under its version', async () => {
      // No request routing here: Playwright turns the browser's cache off for a routed page.
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (err) => errors.push(err.message));
        // What the browser fetched on the first load, to know when the server has logged all of it.
        let firstLoad = 0;
        page.on('requestfinished', (request) => {
          if (new URL(request.url()).pathname !== '/graphql') firstLoad += 1;
        });
        await page.goto(`${server.url}/`);
        await page.getByText('87.23%').first().waitFor({ timeout: 20_000 });
        await page.waitForLoadState('load');
        // The first load fetched the page and every file. The log is written in batches: a file
        // logged after the count below would be read as the reload's, so wait for every one.
        expect(firstLoad).toBeGreaterThan(25);
        await expect.poll(() => filesAnswered().length - firstLoad).toBe(0);
        page.removeAllListeners('requestfinished');
        const first = filesAnswered();
        expect(first[0]).toBe('/ 200');
        expect(first.every((line) => line.endsWith(' 200'))).toBe(true);

        // A reload, then the page opened again in another tab of the same browser.
        const again = async () => {
          const tab = await context.newPage();
          tab.on('pageerror', (err) => errors.push(err.message));
          await tab.goto(`${server.url}/#/i/hive`);
          return tab;
        };
        for (const reload of [async () => (await page.reload(), page), again]) {
          const before = filesAnswered().length;
          const shown = await reload();
          await shown.getByText('Hive数仓建设').first().waitFor({ timeout: 20_000 });
          // Let any file the browser did ask for reach the log before reading it.
          await shown.waitForTimeout(500);
          const asked = filesAnswered().slice(before);
          expect(asked.filter((line) => !line.startsWith('/ '))).toEqual([]);
        }
        // The reload revalidated the page itself (a 304, or 200 had it changed).
        expect(filesAnswered().filter((line) => line.startsWith('/ ')).length).toBeGreaterThan(1);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    });
  },
);
