import type { Socket } from 'node:net';
import { connect } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { serverOptions } from '../../src/config.js';
import { openOrm } from '../../src/db/orm.js';
import { createApp, socketIdleMs } from '../../src/server/app.js';
import { createTestDatabase } from '../helpers/databases.js';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.js';
import { statusCodes } from '../helpers/raw-http.js';

/**
 * The HTTP layer as a client on a socket sees it: the bytes sent are exactly those written
 * here (no client library normalises a path or drops a header), and the whole of what the
 * server sends back until it closes is read.
 */

/** Writes `bytes` on a connection of its own; resolves with all the server sent until it ended. */
function exchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    const parts: Buffer[] = [];
    socket.on('data', (c: Buffer) => parts.push(c));
    socket.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    socket.on('error', reject);
  });
}

/** A GET of `path` as written, the connection closed after it. */
const get = (port: number, path: string, head = '') =>
  exchange(port, `GET ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\n${head}connection: close\r\n\r\n`);

describe('the HTTP layer on the wire', () => {
  let app: HttpTestApp;
  let port: number;

  beforeAll(async () => {
    app = await startHttpApp('sqlite');
    port = Number(new URL(app.url).port);
  });
  afterAll(() => app?.close());

  it('gives headers no longer than the whole request: 30 s for each, checked every 5 s', () => {
    expect(app.server.requestTimeout).toBe(30_000);
    expect(app.server.headersTimeout).toBe(30_000);
    expect(
      (app.server as { connectionsCheckingInterval?: number }).connectionsCheckingInterval,
    ).toBe(5_000);
  });

  it('paths are not normalised: dot segments, escaped dots and backslashes are unknown paths', async () => {
    const auth = `authorization: Bearer ${app.adminToken}\r\n`;
    for (const path of [
      '/x/../livez',
      '/%2e%2e/livez',
      '/x/%2E%2E/livez',
      '/./livez',
      '/graphql/../metrics',
      '/x\\..\\metrics',
      'http://127.0.0.1/x/../metrics',
    ]) {
      const raw = await get(port, path, auth);
      expect(statusCodes(raw), path).toEqual([404]);
      expect(raw).toContain('NOT_FOUND');
    }
    // The path is named as sent, not as a URL parser would have rewritten it.
    const named = await get(port, '/x/../livez');
    expect(JSON.parse(named.slice(named.indexOf('\r\n\r\n') + 4)).errors[0].message).toBe(
      '没有这个地址：/x/../livez',
    );
    // The same routes by their own names answer, and the query is still read.
    expect(statusCodes(await get(port, '/livez?x=/../metrics'))).toEqual([200]);
    expect(statusCodes(await get(port, 'http://127.0.0.1/livez'))).toEqual([200]);
    const metrics = await get(port, '/metrics?format=prometheus#x', auth);
    expect(statusCodes(metrics)).toEqual([200]);
    expect(metrics.toLowerCase()).toContain('content-type: text/plain');
    const query = await get(
      port,
      `/graphql?query=${encodeURIComponent('{ __typename }')}`,
      `${auth}apollo-require-preflight: true\r\n`,
    );
    expect(statusCodes(query)).toEqual([200]);
    expect(query).toContain('"__typename":"Query"');
  });

  it('an Upgrade other than a WebSocket on /graphql is ignored: the request is answered as usual', async () => {
    const body = '{"query":"{ __typename }"}';
    // curl --http2 on http://: asks for h2c with its first request.
    const h2c = await exchange(
      port,
      `POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: Upgrade, HTTP2-Settings, close\r\n` +
        `upgrade: h2c\r\nhttp2-settings: AAMAAABkAARAAAAAAAIAAAAA\r\n` +
        `authorization: Bearer ${app.adminToken}\r\ncontent-type: application/json\r\n` +
        `content-length: ${body.length}\r\n\r\n${body}`,
    ).catch((err: Error) => err.message);
    expect(statusCodes(h2c)).toEqual([200]);
    expect(h2c).toContain('"__typename":"Query"');
    const ws = 'connection: upgrade\r\nupgrade: websocket\r\nsec-websocket-version: 13\r\n';
    const key = 'sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\n';
    const livez = await get(port, '/livez', ws + key);
    expect(statusCodes(livez)).toEqual([200]);
    expect(livez).toContain('{"status":"ok"}');
    const unknown = await get(port, '/nowhere', ws + key);
    expect(statusCodes(unknown)).toEqual([404]);
    expect(unknown.toLowerCase()).toContain('content-type: application/json');
    // A WebSocket on /graphql still opens.
    const socket = new WebSocket(`ws://127.0.0.1:${port}/graphql`, 'graphql-transport-ws');
    const opened = await new Promise<string>((resolve) => {
      socket.once('open', () => resolve(socket.protocol));
      socket.once('error', (err) => resolve(err.message));
    });
    socket.close();
    expect(opened).toBe('graphql-transport-ws');
  });
  it('an unreadable request pipelined after a mutation: the mutation gets its own answer, then the connection closes', async () => {
    const body = JSON.stringify({
      query:
        'mutation { createInitiative(input: { key: "piped", name: "流水" }) { initiative { key } userErrors { code } } }',
    });
    const raw = await exchange(
      port,
      `POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n` +
        `authorization: Bearer ${app.adminToken}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n` +
        `${body}GARBAGE!! /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n`,
    );
    // Before, the unreadable request's 400 went out first and stood for the committed write.
    expect(statusCodes(raw)).toEqual([200]);
    expect(raw.toLowerCase()).toContain('connection: close');
    expect(raw).toContain('"createInitiative":{"initiative":{"key":"piped"}');
    const read = await app.post('{ initiative(key: "piped") { key } }');
    expect(read.body.data.initiative.key).toBe('piped');
    // Alone (nothing owed before it), it is still a JSON 400.
    const alone = await exchange(port, 'GARBAGE!! /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n');
    expect(statusCodes(alone)).toEqual([400]);
    expect(alone).toContain('BAD_REQUEST');
  });
});

describe('a connection that goes silent while its answer is owed', () => {
  const idleMs = 1_000;
  let port: number;
  let stop: () => Promise<void>;
  const serverSockets: Socket[] = [];

  beforeAll(async () => {
    const db = await createTestDatabase('sqlite', true);
    const orm = await openOrm({ databaseUrl: db.url });
    await orm.schema.refresh();
    const app = await createApp(
      orm,
      pino({ level: 'silent' }),
      serverOptions({ socketIdleMs: idleMs }),
    );
    app.server.on('connection', (socket: Socket) => serverSockets.push(socket));
    port = Number(new URL(await app.listen(0, '127.0.0.1')).port);
    stop = async () => {
      await app.close();
      await orm.close();
      await db.drop();
    };
  });
  afterAll(() => stop?.());

  it('by default waits longer than any request or sheet may take, and at least 2 minutes', () => {
    const defaults = serverOptions();
    expect(socketIdleMs(defaults)).toBeGreaterThanOrEqual(
      120_000 + Math.max(defaults.requestTimeoutMs, 2 * defaults.sheetTimeoutMs),
    );
    expect(socketIdleMs(serverOptions({ sheetTimeoutMs: 300_000 }))).toBeGreaterThan(600_000);
  });

  it('is closed when its client stops reading the answers, and a quiet WebSocket is not', async () => {
    // A WebSocket first, to stay quiet for several idle times while the other is cut off.
    const ws = new WebSocket(`ws://127.0.0.1:${port}/graphql`, 'graphql-transport-ws');
    const messages: string[] = [];
    ws.on('message', (m: Buffer) => messages.push(m.toString('utf8')));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.send(JSON.stringify({ type: 'connection_init' }));
    await expect.poll(() => messages).toContainEqual('{"type":"connection_ack"}');

    // Megabytes of answers owed to a client that reads none of them: the kernel's buffers fill,
    // the server can send no more, and nothing on this connection moves again.
    const before = serverSockets.length;
    const client = connect(port, '127.0.0.1');
    client.pause();
    client.on('error', () => {});
    const request = 'GET /livez HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n';
    client.write(request.repeat(50_000));
    await expect.poll(() => serverSockets.length).toBe(before + 1);
    const owed = serverSockets[before]!;
    // Without an inactivity timeout this waits for ever (the test's own timeout says so).
    await new Promise<void>((resolve) =>
      owed.destroyed ? resolve() : owed.once('close', () => resolve()),
    );
    client.destroy();

    // The WebSocket has been quiet at least as long: it still answers.
    await new Promise((r) => setTimeout(r, 2 * idleMs));
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.send(JSON.stringify({ type: 'ping' }));
    await expect.poll(() => messages).toContainEqual('{"type":"pong"}');
    ws.close();
  }, 30_000);
});

describe('Vary: what an answer depends on, for caches', () => {
  let app: HttpTestApp;
  const page = 'https://app.example.com';
  const vary = (res: Response) =>
    (res.headers.get('vary') ?? '')
      .split(',')
      .map((n) => n.trim().toLowerCase())
      .filter(Boolean);

  beforeAll(async () => {
    app = await startHttpApp('sqlite', { corsOrigins: [page] });
  });
  afterAll(() => app?.close());

  it('every API answer varies by Origin once origins are listed, with or without one', async () => {
    const body = JSON.stringify({ query: '{ __typename }' });
    const post = (headers: Record<string, string>) =>
      fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    for (const headers of [{}, { origin: page }, { origin: 'https://other.example' }] as Record<
      string,
      string
    >[]) {
      const res = await post(headers);
      expect(res.status).toBe(200);
      expect(vary(res), JSON.stringify(headers)).toContain('origin');
      // Its type follows Accept too: both are named.
      expect(vary(res)).toContain('accept');
      await res.arrayBuffer();
    }
    const bad = await post({ origin: page, authorization: 'Bearer nope' });
    expect(bad.status).toBe(401);
    expect(vary(bad)).toEqual(expect.arrayContaining(['origin', 'accept']));
    await bad.arrayBuffer();
    const sheet = await fetch(`${app.url}/api/export?initiative=none&format=csv`, {
      headers: { authorization: `Bearer ${app.adminToken}` },
    });
    expect(vary(sheet)).toContain('origin');
    await sheet.arrayBuffer();
  });

  it('answers whose type follows Accept vary by it: /metrics and JSON errors', async () => {
    const auth = { authorization: `Bearer ${app.adminToken}` };
    for (const accept of ['text/plain', 'application/json']) {
      const metrics = await fetch(`${app.url}/metrics`, { headers: { ...auth, accept } });
      expect(metrics.status).toBe(200);
      expect(vary(metrics), accept).toContain('accept');
      await metrics.arrayBuffer();
    }
    const missing = await fetch(`${app.url}/nowhere`);
    expect(missing.status).toBe(404);
    expect(vary(missing)).toContain('accept');
    await missing.arrayBuffer();
  });
});
