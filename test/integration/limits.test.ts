import type { AddressInfo } from 'node:net';
import { Lexer, parse, Source, TokenKind } from 'graphql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { week20Seed } from '../../seeds/week-20.seed.js';
import { loadSeed } from '../../src/services/load-seed.js';
import { createHttpServer } from '../../src/server/http-server.js';
import { queryCost } from '../../src/server/cost-model.js';
import { LIMITS } from '../../src/server/limits.js';
import { jinduSchema } from '../../src/graphql/schema.js';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.js';
import { collect, liveClient } from '../helpers/live-client.js';
import { silentLog } from '../helpers/test-app.js';

/** The HTTP server alone, over the Apollo given (a stub), with 200 ms deadlines. */
const bareServer = (apollo: Parameters<typeof createHttpServer>[0]['apollo']) =>
  createHttpServer({
    apollo,
    log: silentLog,
    graphiql: false,
    requestTimeoutMs: 200,
    sheetTimeoutMs: 200,
    ready: async () => true,
    authenticate: async () => ({ kind: 'anonymous', canRead: true }),
    metrics: { read: () => ({}) } as never,
    context: () => ({}) as never,
  });

/** Tokens of a document as graphql's lexer reads them (comments and the end are not tokens). */
function tokenCount(doc: string): number {
  const lexer = new Lexer(new Source(doc));
  let count = 0;
  while (lexer.advance().kind !== TokenKind.EOF) count++;
  return count;
}

const nestParents = (n: number) => {
  let q = 'id';
  for (let i = 0; i < n; i++) q = `parent { ${q} }`;
  return q;
};

/**
 * Cost by the rule (a field costs 1 plus its selection; a paged field 1 plus first × selection):
 * node 1 + items(1 + 98 × (nodes 1 + history(1 + 50 × (nodes 1 + kind 1)))) + count(1 + c × 1)
 * = 1 + 9,997 + 1 + c = 9,999 + c.
 */
const COSTLY = `query($id: ID!, $a: Int!, $b: Int!, $c: Int!) { node(id: $id) { ... on Workstream {
  items(first: $a) { nodes { history(first: $b) { nodes { kind } } } }
  count: items(first: $c) { totalCount } } } }`;

describe('API limits at their edges (R1)', () => {
  let app: HttpTestApp;
  let leaf: string;
  const codeOf = (res: { body: any }) => res.body.errors?.[0]?.extensions?.code;

  beforeAll(async () => {
    app = await startHttpApp('sqlite');
    await loadSeed({ em: app.em(), initiatives: week20Seed });
    const data = await app.post('{ initiative(key: "hive") { workstreams { children { id } } } }');
    leaf = data.body.data.initiative.workstreams[0].children[0].id;
  });
  afterAll(() => app?.close());

  it('accepts depth 15 and rejects 16', async () => {
    // node (1) + 13 parents + id = 15 fields deep.
    const ok = await app.post(
      `query($id: ID!) { node(id: $id) { ... on Workstream { ${nestParents(13)} } } }`,
      { id: leaf },
    );
    expect(ok.status).toBe(200);
    expect(ok.body.errors).toBeUndefined();
    const deep = await app.post(
      `query($id: ID!) { node(id: $id) { ... on Workstream { ${nestParents(14)} } } }`,
      { id: leaf },
    );
    expect(deep.status).toBe(400);
    expect(codeOf(deep)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(deep.body.errors[0].message).toMatch(/^Query depth limit of 15/); // not a syntax error
  });

  it('accepts 15 aliases and rejects 16', async () => {
    const aliases = (n: number) =>
      `{ ${Array.from({ length: n }, (_, i) => `a${i}: initiatives { id }`).join(' ')} }`;
    expect((await app.post(aliases(15))).body.errors).toBeUndefined();
    const res = await app.post(aliases(16));
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toMatch(/^Aliases limit of 15/);
  });

  it('accepts cost 10,000 and rejects 10,001, with page sizes from variables', async () => {
    const ok = await app.post(COSTLY, { id: leaf, a: 98, b: 50, c: 1 });
    expect(ok.status).toBe(200);
    expect(ok.body.errors).toBeUndefined();
    expect(ok.body.data.node.count.totalCount).toBe(12);
    const over = await app.post(COSTLY, { id: leaf, a: 98, b: 50, c: 2 });
    expect(over.status).toBe(400);
    expect(over.body.errors[0].extensions).toEqual({
      code: 'QUERY_TOO_COMPLEX',
      cost: 10_001,
      limit: 10_000,
      nodes: 10_001,
      field: 'Item.history',
    });
    // The same numbers written inline cost the same.
    const inline = `query($id: ID!) { node(id: $id) { ... on Workstream {
      items(first: 98) { nodes { history(first: 50) { nodes { kind } } } }
      count: items(first: 2) { totalCount } } } }`;
    expect((await app.post(inline, { id: leaf })).body.errors[0].extensions.cost).toBe(10_001);
    // A variable's default counts as the variable would; a value that is no Int is the
    // client's mistake, not a query too complex.
    const defaulted = `query($id: ID!, $a: Int = 98, $b: Int = 50, $c: Int = 2) { node(id: $id) { ... on Workstream {
      items(first: $a) { nodes { history(first: $b) { nodes { kind } } } }
      count: items(first: $c) { totalCount } } } }`;
    expect((await app.post(defaulted, { id: leaf })).body.errors[0].extensions.cost).toBe(10_001);
    const notAnInt = await app.post(COSTLY, { id: leaf, a: 2147483648, b: 50, c: 1 });
    expect(notAnInt.status).toBe(400);
    expect(notAnInt.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    // So is a write's input that is not an input object, however costly its selection: input
    // objects are checked only before a refusal (cost-variables.ts), and that one fails it.
    const costlyWrite = `mutation($in: SetItemStatusInput!) { setItemStatus(input: $in) {
      affectedNodes { ... on Workstream { items(first: 100) { nodes { history(first: 50) { nodes { kind } } } } } } } }`;
    const badInput = await app.post(costlyWrite, { in: 'garbage' });
    expect(badInput.status).toBe(400);
    expect(codeOf(badInput)).toBe('BAD_USER_INPUT');
    const goodInput = await app.post(costlyWrite, { in: { itemId: 'x', status: 'DONE' } });
    expect(goodInput.status).toBe(400);
    expect(codeOf(goodInput)).toBe('QUERY_TOO_COMPLEX');
  });

  it('keeps the cost of a write whose only variable is its input, and only then', async () => {
    // The cost never reads an input object: any input is charged the same, first or kept.
    const costlyWrite = `mutation($in: SetItemStatusInput!) { setItemStatus(input: $in) {
      affectedNodes { ... on Workstream { items(first: 100) { nodes { history(first: 50) { nodes { kind } } } } } } } }`;
    const costs: number[] = [];
    for (const input of [
      { itemId: 'x', status: 'DONE' },
      { itemId: 'y', status: 'PAUSED', percent: 5 },
      { itemId: 'x', status: 'DONE' },
    ]) {
      const res = await app.post(costlyWrite, { in: input });
      expect(codeOf(res)).toBe('QUERY_TOO_COMPLEX');
      costs.push(res.body.errors[0].extensions.cost);
    }
    expect(new Set(costs).size).toBe(1);
    expect(costs[0]).toBeGreaterThan(10_000);
    // A kept cost still lets an input that does not fit be the client's mistake.
    expect(codeOf(await app.post(costlyWrite, { in: 'garbage' }))).toBe('BAD_USER_INPUT');
    // A page size from a variable beside the input is read every time.
    const paged = `mutation($in: SetItemStatusInput!, $n: Int!) { setItemStatus(input: $in) {
      affectedNodes { ... on Workstream { items(first: $n) { nodes { history(first: 50) { nodes { kind } } } } } } } }`;
    const input = { itemId: 'x', status: 'DONE' };
    expect(codeOf(await app.post(paged, { in: input, n: 100 }))).toBe('QUERY_TOO_COMPLEX');
    expect(codeOf(await app.post(paged, { in: input, n: 1 }))).not.toBe('QUERY_TOO_COMPLEX');
    expect(codeOf(await app.post(paged, { in: input, n: 100 }))).toBe('QUERY_TOO_COMPLEX');
  });

  it('keeps the cost of a document without variables, but not of one whose cost follows the clock', async () => {
    // A kept cost refuses as the first one did.
    const inline = `{ node(id: "${leaf}") { ... on Workstream {
      items(first: 98) { nodes { history(first: 50) { nodes { kind } } } }
      count: items(first: 2) { totalCount } } } }`;
    for (let i = 0; i < 2; i++)
      expect((await app.post(inline)).body.errors[0].extensions.cost).toBe(10_001);
    // A series without \`to\` ends now, so the same text yields more nodes as days pass: on a
    // server that takes 2,000 nodes, the first request fits and the one three days later not.
    const small = await startHttpApp('sqlite', { maxNodes: 2_000 });
    try {
      await loadSeed({ em: small.em(), initiatives: week20Seed });
      const tree = await small.post('{ initiative(key: "hive") { workstreams { id } } }');
      const node = tree.body.data.initiative.workstreams[0].id;
      const schema = await jinduSchema();
      const sizes = (now: number) => ({
        initiatives: 1,
        workstreams: 0,
        byKey: new Map<string, number>(),
        ever: { workstreams: 0, byKey: new Map<string, number>() },
        now,
      });
      const series = (from: number) =>
        `{ node(id: "${node}") { ... on Workstream { progressHistory(from: "${new Date(from).toISOString()}", every: DAY) { at byStatus { status count } } } } }`;
      const nodesAt = (from: number, now: number) =>
        queryCost(schema, parse(series(from)), {}, undefined, sizes(now)).nodes;
      const day = 86_400_000;
      // Ahead of the clock: the sizes read before (kept for a second) are older than it.
      const now = Date.now() + 30 * day;
      let back = 1;
      while (nodesAt(now - back * day, now + 3 * day) <= 2_000) back++;
      const from = now - back * day;
      expect(nodesAt(from, now)).toBeLessThanOrEqual(2_000);
      vi.useFakeTimers({ toFake: ['Date'], now });
      const first = await small.post(series(from));
      expect(first.body.errors, JSON.stringify(first.body.errors)).toBeUndefined();
      vi.setSystemTime(now + 3 * day);
      const later = await small.post(series(from));
      expect(codeOf(later)).toBe('QUERY_TOO_COMPLEX');
      expect(later.body.errors[0].extensions.nodes).toBe(nodesAt(from, now + 3 * day));
    } finally {
      vi.useRealTimers();
      await small.close();
    }
  });

  // A series' points are worked out, not read: a 1,000-point daily series was charged 10 points,
  // so four aliases of one on every workstream (80,000 figures, 1.4 s of CPU) cost a few hundred.
  it('charges a series one point per point it works out', async () => {
    const schema = await jinduSchema();
    const now = Date.parse('2026-12-04T00:00:00Z');
    const sizes = {
      initiatives: 1,
      workstreams: 20,
      byKey: new Map([['hist', 20]]),
      ever: { workstreams: 20, byKey: new Map([['hist', 20]]) },
      now,
    };
    const from = new Date(now - 998 * 86_400_000).toISOString();
    const series = `progressHistory(every: DAY, from: "${from}") { percent }`;
    const cost = (query: string) => queryCost(schema, parse(query), {}, undefined, sizes).cost;
    expect(cost(`{ node(id: "x") { ... on Workstream { ${series} } } }`)).toBeGreaterThan(999);
    const aliases = ['a', 'b', 'c', 'd']
      .map((a) => `${a}: initiative(key: "hist") { workstreams { ${series} } }`)
      .join(' ');
    expect(cost(`{ ${aliases} }`)).toBeGreaterThan(LIMITS.cost);
    const res = await app.post(`{ ${aliases.replaceAll('hist', 'hive')} }`);
    expect(codeOf(res)).toBe('QUERY_TOO_COMPLEX');
    // The dashboard's burn-up, a year of weeks, stays cheap.
    const weeks = `{ initiative(key: "hist") { progressHistory(every: WEEK, from: "${new Date(now - 365 * 86_400_000).toISOString()}") { at percent credit counted total } } }`;
    expect(cost(weeks)).toBeLessThan(1_000);
  });

  // Headers that never finished arriving (a stalled client) were answered 400 "cannot parse".
  it('answers headers that did not arrive in time 408, a malformed request 400', () => {
    const server = bareServer({} as never);
    const answer = (code: string) => {
      let written = '';
      const socket = { writable: true, end: (text: string) => (written = text), destroy() {} };
      server.emit('clientError', Object.assign(new Error(code), { code }), socket);
      return written.split('\r\n')[0];
    };
    expect(answer('ERR_HTTP_REQUEST_TIMEOUT')).toBe('HTTP/1.1 408 Request Timeout');
    expect(answer('HPE_INVALID_METHOD')).toBe('HTTP/1.1 400 Bad Request');
    expect(answer('HPE_HEADER_OVERFLOW')).toBe('HTTP/1.1 431 Request Header Fields Too Large');
  });

  it('takes page sizes 1–100 only', async () => {
    for (const [first, accepted] of [
      [1, true],
      [100, true],
      [0, false],
      [101, false],
    ] as const) {
      const res = await app.post(
        'query($id: ID!, $f: Int!) { node(id: $id) { ... on Workstream { items(first: $f) { totalCount } } } }',
        { id: leaf, f: first },
      );
      expect(res.status).toBe(200);
      expect(res.body.errors === undefined).toBe(accepted);
      if (!accepted) expect(codeOf(res)).toBe('BAD_USER_INPUT');
    }
  });

  it('accepts 1,000 tokens in a document and rejects 1,001', async () => {
    // 25 tokens around the list, 5 per `{ name: "a" }`: 195 items make 1,000.
    const doc = (extra: string) =>
      `mutation { createItems(input: { workstreamId: "x", items: [${' { name: "a" }'.repeat(195)} ] }) { userErrors { code message field ${extra}} } }`;
    expect(tokenCount(doc(''))).toBe(1_000);
    expect(tokenCount(doc('__typename '))).toBe(1_001);
    const ok = await app.post(doc(''));
    expect(ok.status).toBe(200);
    expect(ok.body.data.createItems.userErrors[0].code).toBe('TOO_MANY');
    const res = await app.post(doc('__typename '));
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions).toEqual({ code: 'QUERY_TOO_LARGE', limit: 1_000 });
  });

  it('answers its own refusals in the type a GraphQL client asks for, as Apollo answers its errors', async () => {
    const send = (accept: string | null, authorization: string | null, body: string) =>
      fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(accept ? { accept } : {}),
          ...(authorization ? { authorization } : {}),
        },
        body,
      });
    const apollo = 'application/graphql-response+json,application/json;q=0.9';
    const query = JSON.stringify({ query: '{ __typename }' });
    const revoked = await send(apollo, 'Bearer jdu_not-a-token', query);
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
    expect((await revoked.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const large = await send(
      apollo,
      null,
      JSON.stringify({ query: `{ ${'__typename '.repeat(1_001)}}` }),
    );
    expect(large.status).toBe(400);
    expect(large.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
    // A client that asks for JSON, or nothing, gets JSON.
    for (const accept of [
      'application/json',
      null,
      'application/json,application/graphql-response+json;q=0.5',
      'application/graphql-response+json;Q=0.1, */*',
    ])
      expect(
        (await send(accept, 'Bearer jdu_not-a-token', query)).headers.get('content-type'),
      ).toMatch(/^application\/json/);
  });

  it('takes at most 100 entries per bulk input', async () => {
    const res = await app.post(
      'mutation($u: [ItemStatusUpdateInput!]!) { setItemStatuses(input: { updates: $u }) { userErrors { code } } }',
      {
        u: Array.from({ length: 101 }, () => ({ itemId: 'x', status: 'DONE' })),
      },
    );
    expect(res.body.data.setItemStatuses.userErrors).toEqual([{ code: 'TOO_MANY' }]);
  });
});

describe('rate limit, introspection, GraphiQL and timeout settings', () => {
  let app: HttpTestApp;
  beforeAll(async () => {
    app = await startHttpApp('sqlite', {
      rateLimitPerMinute: 5,
      introspection: false,
      graphiql: false,
    });
  });
  afterAll(() => app?.close());

  it('limits points per minute per token, with RATE_LIMITED and Retry-After', async () => {
    const other = await app.token('other', 'viewer');
    for (let i = 0; i < 5; i++) expect((await app.post('{ __typename }')).status).toBe(200);
    const limited = await app.post('{ __typename }');
    expect(limited.status).toBe(429);
    expect(limited.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await app.post('{ __typename }', {}, other)).status).toBe(200);
  });

  it('charges a subscribe to the same bucket as HTTP', async () => {
    const spent = await app.token('subscriber', 'viewer');
    const fresh = await app.token('fresh-subscriber', 'viewer');
    for (let i = 0; i < 5; i++)
      expect((await app.post('{ __typename }', {}, spent)).status).toBe(200);
    const codes = async (token: string) => {
      const client = liveClient(app.url, token);
      const sub = collect(client, 'subscription { itemChanged(initiativeKey: "nope") { seq } }');
      await sub.ended;
      await client.dispose();
      return sub.errors.map((e: any) => e.extensions?.code);
    };
    expect(await codes(spent)).toEqual(['RATE_LIMITED']);
    // Another token's bucket is its own: its subscribe runs (and is refused for its key).
    expect(await codes(fresh)).not.toContain('RATE_LIMITED');
  });

  it('answers a write whose input does not fit BAD_USER_INPUT, not RATE_LIMITED', async () => {
    const writer = await app.token('writer', 'admin');
    for (let i = 0; i < 5; i++)
      expect((await app.post('{ __typename }', {}, writer)).status).toBe(200);
    const write =
      'mutation($in: SetItemStatusInput!) { setItemStatus(input: $in) { userErrors { code } } }';
    const bad = await app.post(write, { in: { itemId: 'x', status: 'LATER' } }, writer);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const good = await app.post(write, { in: { itemId: 'x', status: 'DONE' } }, writer);
    expect(good.status).toBe(429);
    expect(good.body.errors[0].extensions.code).toBe('RATE_LIMITED');
  });

  it('turns introspection and GraphiQL off when asked', async () => {
    const viewer = await app.token('introspector', 'viewer');
    const res = await app.post('{ __schema { types { name } } }', {}, viewer);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const page = await fetch(`${app.url}/graphiql`);
    expect(page.status).toBe(404);
    expect((await page.json()).errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('answers 503 TIMEOUT when a request runs past the limit', async () => {
    const stalled = { executeHTTPGraphQLRequest: () => new Promise(() => {}) } as never;
    const server = bareServer(stalled);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const started = Date.now();
      const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"{ __typename }"}',
      });
      expect(res.status).toBe(503);
      expect((await res.json()).errors[0].extensions.code).toBe('TIMEOUT');
      expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
