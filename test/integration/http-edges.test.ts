import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.js';

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

/** The status line's code of each answer in `raw`, in order. */
const statuses = (raw: string) => [...raw.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((m) => +m[1]!);

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
      expect(statuses(raw), path).toEqual([404]);
      expect(raw).toContain('NOT_FOUND');
    }
    // The path is named as sent, not as a URL parser would have rewritten it.
    const named = await get(port, '/x/../livez');
    expect(JSON.parse(named.slice(named.indexOf('\r\n\r\n') + 4)).errors[0].message).toBe(
      '没有这个地址：/x/../livez',
    );
    // The same routes by their own names answer, and the query is still read.
    expect(statuses(await get(port, '/livez?x=/../metrics'))).toEqual([200]);
    expect(statuses(await get(port, 'http://127.0.0.1/livez'))).toEqual([200]);
    const metrics = await get(port, '/metrics?format=prometheus#x', auth);
    expect(statuses(metrics)).toEqual([200]);
    expect(metrics.toLowerCase()).toContain('content-type: text/plain');
    const query = await get(
      port,
      `/graphql?query=${encodeURIComponent('{ __typename }')}`,
      `${auth}apollo-require-preflight: true\r\n`,
    );
    expect(statuses(query)).toEqual([200]);
    expect(query).toContain('"__typename":"Query"');
  });
});
