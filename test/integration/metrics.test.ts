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
    // The delay is recorded when the loop's sampling timer fires after the block, which may come
    // after the next request is read: let it fire first.
    await new Promise((r) => setTimeout(r, 20));
    const blocked = await (await metrics(open)).json();
    expect(blocked.memory.rssBytes).toBeGreaterThan(10 * 2 ** 20);
    expect(blocked.memory.heapUsedBytes).toBeGreaterThan(0);
    expect(blocked.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(blocked.eventLoopDelayMs.max).toBeGreaterThanOrEqual(60);
    expect(blocked.eventLoopDelayMs.max).toBeGreaterThanOrEqual(blocked.eventLoopDelayMs.p99);
    // The collector's pauses over the same interval (test/unit/server/process-metrics.test.ts
    // makes some): a count and milliseconds, the longest within the sum.
    expect(Number.isInteger(blocked.gcPauses.count)).toBe(true);
    expect(blocked.gcPauses.totalMs).toBeGreaterThanOrEqual(blocked.gcPauses.longestMs);
    expect(blocked.gcPauses.longestMs).toBeGreaterThanOrEqual(0);

    // Each read starts a new interval, so the block is not reported again. A busy machine can
    // stall this process in any one interval (CI read 108 ms once), so the reads go on until a
    // calm one: without the reset every read would still carry the 80 ms block.
    await expect
      .poll(async () => (await (await metrics(open)).json()).eventLoopDelayMs.max, {
        interval: 50,
      })
      .toBeLessThan(60);
  });

  it('needs a token where anonymous reads are off', async () => {
    const res = await metrics(closed);
    expect(res.status).toBe(401);
    expect((await res.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await metrics(closed, closed.adminToken)).status).toBe(200);
  });

  it('speaks Prometheus text to scrapers, JSON otherwise', async () => {
    await open.post('{ initiatives { key } }');
    const res = await fetch(`${open.url}/metrics`, {
      headers: { accept: 'text/plain;version=0.0.4;q=0.5,*/*;q=0.1' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    for (const name of [
      'jindu_process_cpu_user_seconds_total',
      'jindu_nodejs_eventloop_lag_p99_seconds',
      'jindu_http_request_duration_seconds_bucket{le="0.005",method="POST",route="/graphql",status="2xx"}',
      'jindu_graphql_operation_duration_seconds_count{type="query",outcome="ok"}',
      'jindu_subscriptions_active 0',
      'jindu_outbox_lag_seconds',
      'jindu_outbox_unread_events 0',
      '# TYPE jindu_webhook_attempts_total counter',
    ])
      expect(text).toContain(name);
    const json = await fetch(`${open.url}/metrics?format=json`, {
      headers: { accept: 'text/plain' },
    });
    expect((await json.json()).memory.rssBytes).toBeGreaterThan(0);
    expect(await (await fetch(`${open.url}/metrics?format=prometheus`)).text()).toContain('# HELP');
  });
});
