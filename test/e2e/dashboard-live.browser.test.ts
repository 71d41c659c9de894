import { type Browser, type Page, type Request, type WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchChromium } from '../helpers/browser.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/databases.js';
import { httpClient } from '../helpers/http-client.js';
import { createToken, runCli, startServer, type ServerProcess } from '../helpers/server-process.js';

const ITEM = `query($key: String!, $search: String!) { initiative(key: $key) {
  items(first: 1, search: $search) { nodes { id version } } } }`;
const FIGURES = `query($key: String!) { initiative(key: $key) { progress { percent }
  workstreams { name progress { percent } } } }`;
const SET = `mutation($input: SetItemStatusInput!) { setItemStatus(input: $input) {
  item { version } userErrors { code message } } }`;

/** aria-valuenow as the dashboard's Bar writes it: the percent to two decimals. */
const shown = (percent: number) => String(Math.round(percent * 100) / 100);

/**
 * The dashboard follows writes over graphql-ws: a write made over HTTP by someone else shows on
 * an open page without a reload. The page's timers that poll are switched off, so only a live
 * event can move the figure.
 */
describe.skipIf(!browserAvailable).each(DIALECTS)(
  'the dashboard live over graphql-ws (%s)',
  (dialect) => {
    let db: TestDatabase;
    let server: ServerProcess;
    let browser: Browser;
    let editor: string;
    let admin: string;
    const consoleErrors: string[] = [];
    const pages: Page[] = [];

    async function open(path: string, options: { token?: string; noSocket?: boolean } = {}) {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      pages.push(page);
      page.on('pageerror', (err) => consoleErrors.push(err.message));
      page.on('console', (msg) => {
        // The browser asks for /favicon.ico on its own; the dashboard has none.
        if (msg.type() === 'error' && !msg.location().url.endsWith('/favicon.ico'))
          consoleErrors.push(`${msg.text()} ${msg.location().url}`);
      });
      // No polling: an interval timer never fires (the page's only one is the 30 s poll).
      await page.addInitScript(() => {
        (window as any).pollsAsked = 0;
        window.setInterval = (() => ((window as any).pollsAsked++, 0)) as any;
      });
      if (options.token)
        await page.addInitScript((t) => sessionStorage.setItem('jindu.token', t), options.token);
      if (options.noSocket) await page.routeWebSocket('**/graphql', (ws) => ws.close());
      await page.goto(`${server.url}${path}`);
      return page;
    }

    /** Sets 交易对账单 (under 迁移) and returns the figures the server now reads. */
    async function write(status: string, percent: number) {
      const api = httpClient(server.url, editor);
      const item = (await api.ok(ITEM, { key: 'hive', search: '交易对账单' })).initiative.items
        .nodes[0];
      const answer = await api.ok(SET, {
        input: { itemId: item.id, status, percent, expectedVersion: item.version },
      });
      expect(answer.setItemStatus.userErrors).toEqual([]);
      const read = (await api.ok(FIGURES, { key: 'hive' })).initiative;
      return {
        hive: read.progress.percent as number,
        migration: read.workstreams.find((w: any) => w.name === '迁移').progress.percent as number,
      };
    }

    const valueOf = (page: Page, name: string) =>
      page.getByRole('progressbar', { name, exact: true }).first().getAttribute('aria-valuenow');
    const waitForValue = (page: Page, name: string, value: string) =>
      page.waitForFunction(
        ([n, v]) =>
          [...document.querySelectorAll('[role=progressbar]')].some(
            (b) => b.getAttribute('aria-label') === n && b.getAttribute('aria-valuenow') === v,
          ),
        [name, value] as const,
        { timeout: 15_000 },
      );

    /**
     * The Hive page in a new tab, its socket routed through the test: every subscribe the page
     * sends is recorded, and those `hold` picks wait for `release`. Polling is off, or runs
     * every `pollEveryMs`.
     */
    async function routedHivePage(
      options: { pollEveryMs?: number; hold?: (message: any) => boolean } = {},
    ) {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      pages.push(page);
      await page.addInitScript((every) => {
        const set = window.setInterval.bind(window);
        window.setInterval = ((fn: () => void) => (every ? set(fn, every) : 0)) as any;
      }, options.pollEveryMs ?? 0);
      const subscribes: { id: string; variables: Record<string, unknown> }[] = [];
      const held: string[] = [];
      let toPage: WebSocketRoute | undefined;
      let toServer: WebSocketRoute | undefined;
      // The page's reads (POST /graphql) sent and not yet answered, counted from its first.
      let reading = 0;
      const isRead = (r: Request) =>
        r.method() === 'POST' && new URL(r.url()).pathname === '/graphql';
      page.on('request', (r) => void (isRead(r) && reading++));
      page.on('requestfinished', (r) => void (isRead(r) && reading--));
      page.on('requestfailed', (r) => void (isRead(r) && reading--));
      await page.routeWebSocket('**/graphql', (ws) => {
        const server = ws.connectToServer();
        toPage = ws;
        toServer = server;
        ws.onMessage((m) => {
          const message = JSON.parse(String(m));
          if (message.type === 'subscribe')
            subscribes.push({ id: message.id, variables: message.payload.variables ?? {} });
          if (options.hold?.(message)) held.push(String(m));
          else server.send(m);
        });
        server.onMessage((m) => ws.send(m));
      });
      await page.goto(`${server.url}/#/i/hive`);
      return {
        page,
        subscribes,
        held,
        /**
         * Answers the page's reads that `which` picks with a proxy's 503, from the moment none
         * is under way (one sent before would still answer) until `succeed()`.
         */
        failReads: async (which: (r: Request) => boolean) => {
          let failing = false;
          await page.route('**/graphql', (route) =>
            failing && which(route.request())
              ? route.fulfill({
                  status: 503,
                  contentType: 'application/json',
                  body: JSON.stringify({ errors: [{ message: '暂不可用' }] }),
                })
              : route.continue(),
          );
          await expect.poll(() => reading, { timeout: 10_000 }).toBe(0);
          failing = true;
          return { succeed: () => void (failing = false) };
        },
        /** The socket drops, as when a proxy restarts; the page's client connects again. */
        dropSocket: async () => {
          await toServer!.close({ code: 1001, reason: 'Going away' });
          await toPage!.close({ code: 1001, reason: 'Going away' });
        },
        /** Sends the page a message as if from the server. */
        fromServer: (message: object) => toPage!.send(JSON.stringify(message)),
        release: () => {
          for (const m of held.splice(0)) toServer!.send(m);
        },
      };
    }

    beforeAll(async () => {
      db = await createTestDatabase(dialect, true);
      const env = { DATABASE_URL: db.url };
      await runCli(['migrate'], env);
      editor = await createToken(env, 'pm', 'editor');
      admin = await createToken(env, 'boss', 'admin');
      server = await startServer(env);
      browser = await launchChromium();
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
      await server?.stop();
      await db?.drop();
    });

    it('anonymous (loopback) and token pages of Hive, and the home page, change with a write made elsewhere', async () => {
      const anonymous = await open('/#/i/hive');
      const withToken = await open('/#/i/hive', { token: editor });
      const home = await open('/');
      for (const page of [anonymous, withToken])
        await page
          .getByRole('progressbar', { name: '迁移', exact: true })
          .waitFor({ timeout: 20_000 });
      await home.getByRole('progressbar', { name: 'Hive数仓建设' }).waitFor({ timeout: 20_000 });
      for (const page of [anonymous, withToken, home])
        await page.locator('header .live').waitFor({ timeout: 15_000 });
      const pollsAsked = () =>
        Promise.all(
          [anonymous, withToken, home].map((p) => p.evaluate(() => (window as any).pollsAsked)),
        );
      const askedBeforeLive = await pollsAsked();
      const before = await valueOf(anonymous, '迁移');

      const done = await write('DONE', 100);
      expect(shown(done.migration)).not.toBe(before);
      for (const page of [anonymous, withToken]) {
        await waitForValue(page, '迁移', shown(done.migration));
        await waitForValue(page, 'Hive数仓建设', shown(done.hive));
        expect(await page.locator('h1 .pct').innerText()).toBe(`${done.hive.toFixed(2)}%`);
      }
      await waitForValue(home, 'Hive数仓建设', shown(done.hive));

      // And back: every later write shows too, not only the first.
      const back = await write('IN_PROGRESS', 93);
      for (const page of [anonymous, withToken])
        await waitForValue(page, '迁移', shown(back.migration));
      await waitForValue(home, 'Hive数仓建设', shown(back.hive));
      // Once live, no page asked for a polling timer again.
      expect(await pollsAsked()).toEqual(askedBeforeLive);
      expect(consoleErrors).toEqual([]);
    });

    it('after a reconnect the page reads again what it missed while the socket was down', async () => {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      pages.push(page);
      await page.addInitScript(() => {
        window.setInterval = (() => 0) as any; // no polling
      });
      const sockets: WebSocketRoute[] = [];
      await page.routeWebSocket('**/graphql', (ws) => {
        sockets.push(ws);
        ws.connectToServer();
      });
      await page.goto(`${server.url}/#/i/hive`);
      await page.locator('header .live').waitFor({ timeout: 20_000 });
      // The server goes away (1001, as on shutdown); the write lands before the client's first
      // retry (at least 0.5 s later), so the new subscriptions never carry its event.
      await sockets[0]!.close({ code: 1001, reason: 'Going away' });
      const missed = await write('DONE', 100);
      await waitForValue(page, '迁移', shown(missed.migration));
      expect(sockets.length).toBeGreaterThanOrEqual(2);
      await write('IN_PROGRESS', 93); // as the other tests expect it
      await page.close();
    });

    it('a write that commits while the page is subscribing still shows', async () => {
      // The page's subscribe messages are held until a write has committed, as a slow network
      // or a busy server can hold them: the page read its figures before that write.
      let holding = true;
      const { page, held, release } = await routedHivePage({
        hold: (message) => holding && message.type === 'subscribe',
      });
      await page
        .getByRole('progressbar', { name: '迁移', exact: true })
        .waitFor({ timeout: 20_000 });
      // The burn-up's table: its last row is now's figure.
      const burnupNow = page.locator('.burnup table.points tbody tr').last().locator('td').first();
      await burnupNow.waitFor({ state: 'attached', timeout: 20_000 });
      // The page's two subscriptions and the burn-up's two.
      await expect.poll(() => held.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(4);
      const before = await valueOf(page, '迁移');
      const chartBefore = await burnupNow.textContent();
      const done = await write('DONE', 100);
      expect(shown(done.migration)).not.toBe(before);
      expect(`${done.hive.toFixed(2)}%`).not.toBe(chartBefore);
      holding = false;
      release();
      // Subscribed after the revision each read, the write's events come from the outbox.
      await waitForValue(page, '迁移', shown(done.migration));
      await expect
        .poll(() => burnupNow.textContent(), { timeout: 15_000 })
        .toBe(`${done.hive.toFixed(2)}%`);
      await write('IN_PROGRESS', 93);
      await page.close();
    });

    it('a change no figure or item event carries (a new target date) shows without a reload', async () => {
      const page = await open('/#/i/hive');
      const forecast = page.locator('.burnup .forecast');
      await forecast.waitFor({ timeout: 20_000 });
      await page.locator('header .live').waitFor({ timeout: 20_000 });
      const api = httpClient(server.url, admin);
      const hive = (await api.ok(`query { initiative(key: "hive") { id targetDate } }`)).initiative;
      const date = '2031-07-15';
      expect(await forecast.textContent()).not.toContain(date);
      const edit = `mutation($input: UpdateInitiativeInput!) { updateInitiative(input: $input) {
      userErrors { code message } } }`;
      const set = (targetDate: string | null) =>
        api.ok(edit, { input: { initiativeId: hive.id, targetDate } });
      expect((await set(date)).updateInitiative.userErrors).toEqual([]);
      // Polling is off: only initiativeChanged can bring it (the header and the burn-up's line).
      await expect.poll(() => forecast.textContent(), { timeout: 15_000 }).toContain(date);
      await expect
        .poll(() => page.locator('p.muted', { hasText: date }).count(), { timeout: 15_000 })
        .toBe(1);
      expect((await set(hive.targetDate)).updateInitiative.userErrors).toEqual([]);
      await expect.poll(() => forecast.textContent(), { timeout: 15_000 }).not.toContain(date);
      await page.close();
    });

    /** A graphql-ws error the server sends when it cannot resume a subscription. */
    const cannotResume = (id: string) => ({
      id,
      type: 'error',
      payload: [{ message: '事件已不全', extensions: { code: 'RESUME_UNAVAILABLE' } }],
    });

    it('a subscription the server ends, or cannot resume, is taken up again', async () => {
      const { page, subscribes, fromServer } = await routedHivePage();
      await page.locator('header .live').waitFor({ timeout: 20_000 });
      await page.getByRole('progressbar', { name: '迁移', exact: true }).waitFor();
      // As the server does for a subscriber 1,000 events behind: it completes each subscription.
      const first = subscribes.map((s) => s.id);
      expect(first.length).toBeGreaterThan(0);
      for (const id of first) fromServer({ id, type: 'complete' });
      await expect
        .poll(() => subscribes.length, { timeout: 10_000 })
        .toBeGreaterThanOrEqual(2 * first.length);
      // No pause for the new subscriptions to reach the server: they resume after the revision
      // the page read again before it subscribed.
      const done = await write('DONE', 100);
      await waitForValue(page, '迁移', shown(done.migration));
      // A resume the server can no longer serve (RESUME_UNAVAILABLE, as after a week away): the
      // page reads again and subscribes once more, instead of falling back to polling.
      const second = subscribes.slice(first.length).map((s) => s.id);
      for (const id of second) fromServer(cannotResume(id));
      await expect
        .poll(() => subscribes.length, { timeout: 10_000 })
        .toBeGreaterThanOrEqual(first.length + 2 * second.length);
      const back = await write('IN_PROGRESS', 93);
      await waitForValue(page, '迁移', shown(back.migration));
      expect(await page.locator('header .live').count()).toBe(1);
      // The dot says live in colour too, not only in words.
      expect(
        await page.locator('header .live .live-dot').evaluate((e) => getComputedStyle(e).color),
      ).toBe('rgb(26, 127, 55)');
      await page.close();
    });

    it('a read that fails when the page must subscribe again leaves it polling, until a read succeeds', async () => {
      const { page, subscribes, fromServer, failReads } = await routedHivePage({
        pollEveryMs: 500,
      });
      // The initiative page's own subscriptions resume after a revision (the burn-up's, remounted
      // when the page's error gives way to its data, subscribe without one).
      const resuming = () => subscribes.filter((s) => typeof s.variables.after === 'number').length;
      await page.locator('header .live').waitFor({ timeout: 20_000 });
      await page.getByRole('progressbar', { name: '迁移', exact: true }).waitFor();
      // Figures and items for the page, and for its burn-up once that has read its history.
      await expect.poll(() => subscribes.length, { timeout: 15_000 }).toBe(4);
      // The server cannot resume the subscriptions, and the page's reads fail meanwhile (a proxy
      // answering 503): it must not subscribe again after the revision just refused.
      const reads = await failReads((r) => r.method() === 'POST');
      const resumingBefore = resuming();
      expect(resumingBefore).toBeGreaterThan(0);
      for (const { id } of [...subscribes]) fromServer(cannotResume(id));
      await page.locator('header .polling').waitFor({ timeout: 10_000 });
      await new Promise((r) => setTimeout(r, 1_000)); // polls that fail
      expect(resuming()).toBe(resumingBefore);
      // Reads succeed again: the next poll's answer makes the page subscribe again.
      reads.succeed();
      await expect.poll(resuming, { timeout: 10_000 }).toBeGreaterThan(resumingBefore);
      await page.locator('header .live').waitFor({ timeout: 10_000 });
      const done = await write('DONE', 100);
      await waitForValue(page, '迁移', shown(done.migration));
      await write('IN_PROGRESS', 93);
      await page.close();
    });

    it('the header says live only while every part of the page follows events', async () => {
      const { page, subscribes, fromServer, failReads, dropSocket } = await routedHivePage({
        pollEveryMs: 500,
      });
      await page.locator('header .live').waitFor({ timeout: 20_000 });
      await expect.poll(() => subscribes.length, { timeout: 15_000 }).toBe(4);
      // The burn-up's reads fail (the page's own succeed) and its subscriptions cannot resume:
      // the burn-up polls, so the page is not live.
      const burnUpReads = await failReads((r) => r.postData()?.includes('query BurnUp') ?? false);
      // The burn-up's two (it reads, and so subscribes, after the page), the figures of one node.
      const burnUp = subscribes.slice(2);
      expect(burnUp.map((s) => s.variables.nodeIds ?? null)).toContainEqual([expect.any(String)]);
      for (const { id } of burnUp) fromServer(cannotResume(id));
      await page.locator('header .polling').waitFor({ timeout: 10_000 });
      // The socket drops and comes back: the page's own subscriptions are live again, and are
      // subscribed anew; the burn-up still polls, so the header must not say live.
      await dropSocket();
      await expect.poll(() => subscribes.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(6);
      await new Promise((r) => setTimeout(r, 500));
      expect(await page.locator('header .live').count()).toBe(0);
      // The burn-up's next poll succeeds: it subscribes again, and the whole page is live.
      burnUpReads.succeed();
      await page.locator('header .live').waitFor({ timeout: 10_000 });
      await page.close();
    });

    it('without a WebSocket the page polls and says so', async () => {
      const page = await open('/#/i/hive', { noSocket: true });
      await page
        .getByRole('progressbar', { name: '迁移', exact: true })
        .waitFor({ timeout: 20_000 });
      await expect(
        page
          .locator('header .polling')
          .filter({ hasText: '实时连接不可用' })
          .innerText({ timeout: 15_000 }),
      ).resolves.toContain('每 30 秒刷新');
      expect(await page.evaluate(() => (window as any).pollsAsked)).toBeGreaterThanOrEqual(1);
      await page.close();
    });

    it('the page may open a WebSocket to its own origin only', async () => {
      const page = await open('/#/i/hive');
      await page.locator('header .live').waitFor({ timeout: 15_000 });
      // The same server under another name is another origin: the policy refuses it.
      const other = server.url.replace('127.0.0.1', 'localhost').replace(/^http/, 'ws');
      const blocked = await page.evaluate(
        (url) =>
          new Promise<string>((resolve) => {
            document.addEventListener('securitypolicyviolation', (e) =>
              resolve(`${e.violatedDirective} ${e.blockedURI}`),
            );
            try {
              const ws = new WebSocket(`${url}/graphql`, 'graphql-transport-ws');
              ws.onopen = () => resolve('opened');
            } catch (err) {
              resolve(`threw ${(err as Error).name}`);
            }
          }),
        other,
      );
      expect(blocked).toMatch(/^connect-src|^threw SecurityError/);
      consoleErrors.length = 0; // the refusal is reported on the console, as it should be
      await page.close();
    });
  },
);
