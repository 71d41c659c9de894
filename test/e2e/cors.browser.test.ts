import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchChromium } from '../helpers/browser.js';
import { createToken, runCli, startServer, type ServerProcess } from '../helpers/server-process.js';

/** A blank page served from an origin of its own, as a front end's dev server would be. */
async function pageOrigin(): Promise<{ origin: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>front end</title>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe.skipIf(!browserAvailable)('cross-origin calls from a browser (JINDU_CORS_ORIGINS)', () => {
  let dir: string;
  let api: ServerProcess;
  let browser: Browser;
  let token: string;
  const pages: Server[] = [];
  let allowed: string;
  let other: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jindu-cors-'));
    const a = await pageOrigin();
    const b = await pageOrigin();
    pages.push(a.server, b.server);
    [allowed, other] = [a.origin, b.origin];
    const env = { DATABASE_URL: `sqlite:${join(dir, 'j.sqlite')}` };
    await runCli(['migrate'], env);
    token = await createToken(env, 'app', 'viewer');
    api = await startServer({ ...env, JINDU_CORS_ORIGINS: allowed });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    for (const p of pages) await new Promise((r) => p.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  /** fetch from a page on `origin`, with a token (so the browser sends a preflight first). */
  async function fetchFrom(origin: string, extra: Record<string, string> = {}) {
    const page = await browser.newPage();
    await page.goto(origin);
    const result = await page.evaluate(
      async ({ url, token, extra }) => {
        try {
          const res = await fetch(url, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${token}`,
              ...extra,
            },
            body: JSON.stringify({ query: '{ initiative(key: "hive") { progress { percent } } }' }),
          });
          return { status: res.status, body: await res.json() };
        } catch (err) {
          return { error: String(err) };
        }
      },
      { url: `${api.url}/graphql`, token, extra },
    );
    await page.close();
    return result;
  }

  it('answers a listed origin, preflight included, and the browser refuses the answer to another', async () => {
    // The same answer a client outside the browser gets.
    const direct = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ initiative(key: "hive") { progress { percent } } }' }),
    });
    expect(await fetchFrom(allowed)).toEqual({ status: 200, body: await direct.json() });
    expect(await fetchFrom(other)).toEqual({ error: expect.stringContaining('Failed to fetch') });
    // Apollo Client with `clientAwareness` names itself in two headers of its own.
    const aware = { 'apollographql-client-name': 'web', 'apollographql-client-version': '1.0' };
    expect(await fetchFrom(allowed, aware)).toMatchObject({ status: 200 });
    // What the browser saw: the preflight's answers.
    const preflight = (origin: string) =>
      fetch(`${api.url}/graphql`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
    const yes = await preflight(allowed);
    expect(yes.status).toBe(204);
    expect(yes.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(yes.headers.get('access-control-allow-headers')).toContain('authorization');
    const no = await preflight(other);
    expect(no.status).toBe(403);
    expect((await no.json()).errors[0].message).toContain('JINDU_CORS_ORIGINS');
  });

  it('refuses a malformed origin list at start, naming the variable', async () => {
    const res = await runCli(['migrate'], {
      DATABASE_URL: `sqlite:${join(dir, 'j.sqlite')}`,
      JINDU_CORS_ORIGINS: 'https://ok.example, *',
    });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('JINDU_CORS_ORIGINS takes exact origins');
  });
});
