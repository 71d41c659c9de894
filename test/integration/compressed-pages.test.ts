import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.js';
import { send } from '../helpers/raw-http.js';

const decode = { br: brotliDecompressSync, gzip: gunzipSync } as const;

/**
 * GraphiQL's page is 9 MB and the dashboard's scripts are text: they went out as they are to
 * every client. A client that takes brotli or gzip now gets them compressed (once per process,
 * kept), each coding with its own ETag, so revalidation and shared caches stay exact.
 */
describe('pages go out compressed to a client that takes it', () => {
  let app: HttpTestApp;
  beforeAll(async () => {
    app = await startHttpApp('sqlite');
  });
  afterAll(async () => {
    await app?.close();
  });

  it.each([
    ['/graphiql', 'br'],
    ['/', 'br'],
    ['/app.js', 'gzip'],
    ['/vendor/preact.mjs', 'br'],
    ['/shared/format-number.js', 'gzip'],
  ] as const)('%s in %s: the same bytes once decoded, with its own ETag', async (path, coding) => {
    const plain = await send(app.url, path);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    // The body depends on Accept-Encoding even when none was sent: caches must know.
    expect(plain.headers.vary).toBe('accept-encoding');

    const accept = coding === 'br' ? 'gzip, deflate, br, zstd' : 'gzip, deflate';
    const packed = await send(app.url, path, 'GET', { 'accept-encoding': accept });
    expect(packed.status).toBe(200);
    expect(packed.headers['content-encoding']).toBe(coding);
    expect(packed.headers.vary).toBe('accept-encoding');
    expect(packed.headers['content-type']).toBe(plain.headers['content-type']);
    expect(packed.headers['content-length']).toBe(String(packed.body.length));
    expect(packed.body.length).toBeLessThan(plain.body.length);
    expect(decode[coding](packed.body).equals(plain.body)).toBe(true);
    const etag = packed.headers.etag as string;
    expect(etag).toBe(
      `${(plain.headers.etag as string).slice(0, -1)}-${coding === 'br' ? 'br' : 'gz'}"`,
    );

    // Its own tag revalidates it; the plain body's tag does not stand for it.
    const current = await send(app.url, path, 'GET', {
      'accept-encoding': accept,
      'if-none-match': etag,
    });
    expect([current.status, current.body.length, current.headers.etag]).toEqual([304, 0, etag]);
    const other = await send(app.url, path, 'GET', {
      'accept-encoding': accept,
      'if-none-match': plain.headers.etag as string,
    });
    expect(other.status).toBe(200);
    expect(other.body.equals(packed.body)).toBe(true);

    const head = await send(app.url, path, 'HEAD', { 'accept-encoding': accept });
    expect([head.status, head.body.length]).toEqual([200, 0]);
    expect(head.headers['content-length']).toBe(String(packed.body.length));
    expect(head.headers['content-encoding']).toBe(coding);
  });

  it('revalidates by If-None-Match as HTTP compares it: lists, *, weak tags', async () => {
    const plain = await send(app.url, '/app.js');
    const etag = plain.headers.etag as string;
    const status = async (headers: Record<string, string>) =>
      (await send(app.url, '/app.js', 'GET', headers)).status;
    expect(await status({ 'if-none-match': `"an-older-copy", ${etag}` })).toBe(304);
    expect(await status({ 'if-none-match': `W/${etag}` })).toBe(304);
    expect(await status({ 'if-none-match': '*' })).toBe(304);
    expect(await status({ 'if-none-match': '"an-older-copy", W/"another"' })).toBe(200);
    // A reload that asks past every cache gets the body, its tag current or not.
    expect(await status({ 'if-none-match': etag, 'cache-control': 'no-cache' })).toBe(200);
  });

  it('GraphiQL goes out in under a quarter of its size', async () => {
    const plain = await send(app.url, '/graphiql');
    const packed = await send(app.url, '/graphiql', 'GET', { 'accept-encoding': 'br' });
    expect(plain.body.length).toBeGreaterThan(8_000_000);
    expect(packed.body.length).toBeLessThan(plain.body.length / 4);
  });

  it('a client that takes neither coding gets the page as it is', async () => {
    for (const accept of ['identity', 'deflate', 'identity;q=0', 'br;q=0, gzip;q=0']) {
      const answer = await send(app.url, '/', 'GET', { 'accept-encoding': accept });
      expect([accept, answer.status, answer.headers['content-encoding']]).toEqual([
        accept,
        200,
        undefined,
      ]);
      expect(answer.body.toString()).toContain('<script type="importmap">');
    }
  });

  it('sixteen clients asking at once, before it was ever compressed, all get the same body', async () => {
    const answers = await Promise.all(
      Array.from({ length: 16 }, () =>
        send(app.url, '/tree.js', 'GET', { 'accept-encoding': 'br' }),
      ),
    );
    const bodies = new Set(answers.map((a) => a.body.toString('base64')));
    expect(answers.every((a) => a.headers['content-encoding'] === 'br')).toBe(true);
    expect(bodies.size).toBe(1);
  });
});
