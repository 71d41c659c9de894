import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.js';

describe('GET /metrics', () => {
  let open: HttpTestApp;
  let closed: HttpTestApp;
  beforeAll(async () => {
    open = await startHttpApp('sqlite');
    closed = await startHttpApp('sqlite', { anonymousRead: false });
  });
  afterAll(async () => {
    await open?.close();
    await closed?.close();
  });

  const metrics = async (app: HttpTestApp, token?: string) =>
    fetch(`${app.url}/metrics`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });

  it('reports memory, uptime and the longest event-loop delay since the previous read', async () => {
    await (await metrics(open)).json(); // starts a new interval
    // The server runs in this process: blocking here blocks its event loop too.
    const started = Date.now();
    while (Date.now() - started < 80);
    const blocked = await (await metrics(open)).json();
    expect(blocked.memory.rssBytes).toBeGreaterThan(10 * 2 ** 20);
    expect(blocked.memory.heapUsedBytes).toBeGreaterThan(0);
    expect(blocked.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(blocked.eventLoopDelayMs.max).toBeGreaterThanOrEqual(60);
    expect(blocked.eventLoopDelayMs.max).toBeGreaterThanOrEqual(blocked.eventLoopDelayMs.p99);

    await new Promise((r) => setTimeout(r, 50));
    const calm = await (await metrics(open)).json();
    expect(calm.eventLoopDelayMs.max).toBeLessThan(60);
  });

  it('needs a token where anonymous reads are off', async () => {
    const res = await metrics(closed);
    expect(res.status).toBe(401);
    expect((await res.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await metrics(closed, closed.adminToken)).status).toBe(200);
  });
});
