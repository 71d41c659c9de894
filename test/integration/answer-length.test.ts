import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInitiative } from '../../src/services/create-initiative.js';
import { createWorkstream } from '../../src/services/create-workstream.js';
import { runWrite } from '../../src/services/write-pipeline/run-write.js';
import { operatorContext } from '../../src/services/write-pipeline/write-context.js';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.js';
import { send, type RawAnswer } from '../helpers/raw-http.js';

/** Sent whole, with its length in bytes (not chunked). */
function expectWhole(answer: RawAnswer): void {
  expect(answer.headers['transfer-encoding']).toBeUndefined();
  expect(answer.headers['content-length']).toBe(String(answer.body.length));
}

/**
 * Every whole answer carries its length. After `writeHead` without one Node sends a body
 * chunked: the GraphQL answers, GraphiQL and Prometheus' text went out that way, costing every
 * request more pieces to frame and parse, and a client could not tell an answer's size.
 */
describe('answers carry their length', () => {
  let app: HttpTestApp;
  const graphql = (query: string, variables?: Record<string, unknown>) =>
    send(
      app.url,
      '/graphql',
      'POST',
      { 'content-type': 'application/json', authorization: `Bearer ${app.adminToken}` },
      JSON.stringify({ query, variables }),
    );

  beforeAll(async () => {
    app = await startHttpApp('sqlite');
    const ctx = operatorContext(app.em(), 't');
    // Chinese names: an answer's bytes are not its characters.
    const initiative = await runWrite(ctx, createInitiative, { key: 'len', name: '长度测试' });
    // Long enough to be kept (answer-cache.ts keeps answers of 2,000 characters or more).
    for (let i = 0; i < 120; i++)
      await runWrite(ctx, createWorkstream, {
        initiativeId: initiative.id,
        name: `迁移工作流${i}`,
      });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('on GraphQL answers, kept or fresh, and on errors', async () => {
    const typename = await graphql('{ __typename }');
    expectWhole(typename);
    expect(JSON.parse(typename.body.toString('utf8'))).toEqual({ data: { __typename: 'Query' } });

    const dashboard = 'query D($k: String!) { initiative(key: $k) { name workstreams { name } } }';
    const first = await graphql(dashboard, { k: 'len' });
    // Kept (2,000 characters and more): both are sent as the kept answer's UTF-8 bytes.
    const again = await graphql(dashboard, { k: 'len' });
    for (const answer of [first, again]) {
      expectWhole(answer);
      expect(JSON.parse(answer.body.toString('utf8'))).toEqual({
        data: {
          initiative: {
            name: '长度测试',
            workstreams: Array.from({ length: 120 }, (_, i) => ({ name: `迁移工作流${i}` })),
          },
        },
      });
    }

    const refused = await graphql('{ nope }');
    expect(refused.status).toBe(400);
    expectWhole(refused);
    expectWhole(
      await send(app.url, '/graphql', 'POST', { 'content-type': 'application/json' }, '{'),
    );
  });

  it('on GraphiQL, the metrics in both forms and the probes', async () => {
    const page = await send(app.url, '/graphiql', 'GET', { accept: 'text/html' });
    expect(page.status).toBe(200);
    expectWhole(page);
    const prometheus = await send(app.url, '/metrics', 'GET', { accept: 'text/plain' });
    expect(prometheus.headers['content-type']).toMatch(/^text\/plain/);
    expectWhole(prometheus);
    expectWhole(await send(app.url, '/metrics'));
    expectWhole(await send(app.url, '/livez'));
  });
});

/**
 * GraphiQL's page holds its whole bundle inline (megabytes): it went out whole on every visit.
 * It now has an ETag, as the dashboard's files do, so a browser's copy is revalidated with a 304.
 */
describe('pages a browser keeps are revalidated, not sent again', () => {
  let app: HttpTestApp;
  beforeAll(async () => {
    app = await startHttpApp('sqlite');
  });
  afterAll(async () => {
    await app?.close();
  });

  it.each(['/graphiql', '/'])(
    '%s: an ETag, then 304 with no body for the same tag',
    async (path) => {
      const first = await send(app.url, path, 'GET', { accept: 'text/html' });
      expect(first.status).toBe(200);
      expectWhole(first);
      expect(first.headers['cache-control']).toBe('no-cache');
      const etag = first.headers.etag as string;
      expect(etag).toMatch(/^"[\w-]{22}"$/);

      const current = await send(app.url, path, 'GET', { 'if-none-match': etag });
      expect(current.status).toBe(304);
      expect(current.body.length).toBe(0);
      expect(current.headers.etag).toBe(etag);
      // The page's protections hold on the 304 as on the page.
      expect(current.headers['x-frame-options']).toBe('DENY');

      const stale = await send(app.url, path, 'GET', { 'if-none-match': '"an-older-copy"' });
      expect(stale.status).toBe(200);
      expect(stale.body.equals(first.body)).toBe(true);

      const head = await send(app.url, path, 'HEAD');
      expect(head.status).toBe(200);
      expect(head.body.length).toBe(0);
      expect(head.headers['content-length']).toBe(String(first.body.length));
      expect(head.headers.etag).toBe(etag);
    },
  );
});
