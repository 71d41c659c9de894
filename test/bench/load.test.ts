import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BodyCheckError, runLoad } from '../../bench/load.js';
import { sameAs } from '../../bench/queries.js';
import { cpuNsOf, type ServerProcess } from '../../bench/server-process.js';

/** A real HTTP server in this process, seen through the bench's server interface. */
async function serve(
  answer: (body: string, res: ServerResponse, req: IncomingMessage) => void,
): Promise<{ server: ServerProcess; http: Server }> {
  const http = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => answer(body, res, req));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const server: ServerProcess = {
    url: `http://127.0.0.1:${port}`,
    pid: process.pid,
    cpuNs: () => cpuNsOf(process.pid),
    mainThreadWaitNs: () => 0,
    peakRssBytes: () => 0,
    resetPeakRss: () => {},
    pause: () => {},
    resume: () => {},
    stop: () => new Promise((resolve) => http.close(() => resolve())),
  };
  return { server, http };
}

describe('the bench load generator', () => {
  let stop: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await stop?.();
    stop = null;
  });

  it('sends every request, each body made fresh, and checks each answer whole as bytes', async () => {
    // An answer of several hundred kilobytes written in pieces, with characters of three bytes
    // that the pieces cut through.
    const big = JSON.stringify({ data: { names: '迁移组1 账户迁移 数仓'.repeat(20_000) } });
    // Each request is held until all four connections have one in flight (or half a second
    // has passed), so the most in flight at once is exactly the connections, whatever the timing.
    const held: (() => void)[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    const seen: string[] = [];
    const bytes = Buffer.from(big);
    const { server } = await serve((body, res) => {
      seen.push(body);
      mostInFlight = Math.max(mostInFlight, ++inFlight);
      res.on('finish', () => inFlight--);
      const answer = () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        for (let at = 0; at < bytes.length; at += 40_001)
          res.write(bytes.subarray(at, at + 40_001));
        res.end();
      };
      const timer = setTimeout(() => {
        held.splice(held.indexOf(release), 1);
        answer();
      }, 500);
      const release = () => {
        clearTimeout(timer);
        answer();
      };
      held.push(release);
      if (held.length === 4) for (const r of held.splice(0)) r();
    });
    stop = server.stop;
    let made = 0;
    const result = await runLoad({
      server,
      amount: 60,
      connections: 4,
      body: () => JSON.stringify({ n: made++ }),
      verify: sameAs(() => big),
    });
    expect(result.requests).toBe(60);
    expect(new Set(seen).size).toBe(60);
    expect(mostInFlight).toBe(4);
    expect(result.perSecond).toBeCloseTo(60 / result.seconds, 6);
    expect(result.cpuUs).toBeGreaterThan(0);
    expect(result.generatorBusy).toBeGreaterThan(0);
    expect(result.latencyMs.max).toBeGreaterThanOrEqual(result.latencyMs.p99);
    expect(result.latencyMs.p99).toBeGreaterThanOrEqual(result.latencyMs.p50);
  });

  it('counts an open loop’s latency from when a request was due, not from when it went out', async () => {
    // One connection at 100 a second; the fifth answer takes 150 ms. The requests that fell due
    // meanwhile waited for the connection, and that wait is their latency (no coordinated
    // omission): most of them wait tens of milliseconds.
    let n = 0;
    const { server } = await serve((_body, res) => {
      const delay = ++n === 5 ? 150 : 0;
      setTimeout(() => res.end('{"data":{"__typename":"Query"}}'), delay);
    });
    stop = server.stop;
    const result = await runLoad({
      server,
      amount: 20,
      connections: 1,
      rate: 100,
      body: '{}',
      verify: () => true,
    });
    expect(result.seconds).toBeGreaterThanOrEqual(0.19);
    expect(result.latencyMs.max).toBeGreaterThanOrEqual(150);
    expect(result.latencyMs.p50).toBeGreaterThan(20);
  });

  it('never sends an open loop’s request before it is due', async () => {
    // At 200 a second request k falls due 5k ms after the load starts; a timer that fires early
    // (Node keeps its start in whole milliseconds) must not let one out sooner.
    const arrivals: number[] = [];
    const { server } = await serve((_body, res) => {
      arrivals.push(performance.now());
      res.end('{}');
    });
    stop = server.stop;
    const before = performance.now();
    await runLoad({
      server,
      amount: 30,
      connections: 2,
      rate: 200,
      body: '{}',
      verify: () => true,
    });
    // The server sees a request after the load sent it, and the load started after `before`.
    arrivals.sort((a, b) => a - b);
    arrivals.forEach((at, k) => expect(at - before).toBeGreaterThanOrEqual(5 * k));
  });

  it('fails the load on an answer that is not the expected one, or not a success', async () => {
    let n = 0;
    const { server } = await serve((_body, res) => {
      n++;
      if (n === 3) res.writeHead(500).end('{"errors":[]}');
      else res.end(n === 7 ? '{"data":null}' : '{"data":{"ok":true}}');
    });
    stop = server.stop;
    const load = runLoad({
      server,
      amount: 10,
      connections: 2,
      body: '{}',
      verify: sameAs(() => '{"data":{"ok":true}}'),
    });
    await expect(load).rejects.toThrow(BodyCheckError);
    await expect(load).rejects.toThrow(/0 errors, 1 non-2xx, 1 bodies not as expected/);
  });

  it('refuses a load that is not a whole number of requests', async () => {
    const { server } = await serve((_body, res) => res.end('{}'));
    stop = server.stop;
    for (const amount of [275.2, 0])
      await expect(
        runLoad({ server, amount, connections: 1, body: '{}', verify: () => true }),
      ).rejects.toThrow(RangeError);
  });

  it('fails the load when the server goes away', async () => {
    const { server, http } = await serve((_body, res) => res.end('{}'));
    await server.stop();
    http.closeAllConnections();
    await expect(
      runLoad({ server, amount: 3, connections: 1, body: '{}', verify: () => true }),
    ).rejects.toThrow(/3 errors/);
  });
});
