import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postWebhook } from '../../../src/services/webhooks/post-webhook.js';

/**
 * The address a delivery connects to is the one checked: a host name is checked as the socket
 * resolves it, not only when the URL is saved (DNS rebinding).
 */
describe('postWebhook', () => {
  let server: Server;
  let port = 0;
  const received: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c));
      req.on('end', () => {
        received.push(body);
        res.writeHead(202).end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const post = (host: string, allowPrivate: boolean) =>
    postWebhook(new URL(`http://${host}:${port}/hook`), {
      allowPrivate,
      timeoutMs: 5_000,
      headers: { 'content-type': 'application/json' },
      body: '{"n":1}',
    });

  it('refuses a name that resolves to the loopback when private addresses are not allowed', async () => {
    const before = received.length;
    await expect(post('localhost', false)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(received.length).toBe(before); // nothing reached the receiver
  });

  it('delivers to the same name when they are allowed, and answers the status', async () => {
    await expect(post('localhost', true)).resolves.toBe(202);
    expect(received.at(-1)).toBe('{"n":1}');
  });

  it('names a timeout by what it is: the endpoint did not answer in time', async () => {
    const silent = createServer(() => {}); // takes the request, never answers
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const { port: quiet } = silent.address() as AddressInfo;
      await expect(
        postWebhook(new URL(`http://127.0.0.1:${quiet}/hook`), {
          allowPrivate: true,
          timeoutMs: 200,
          headers: { 'content-type': 'application/json' },
          body: '{}',
        }),
      ).rejects.toThrow('端点 0.2 秒内未应答');
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });
});
