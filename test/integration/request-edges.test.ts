import { request } from 'node:http';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverOptions, type ServerOptions } from '../../src/config.js';
import { openOrm } from '../../src/db/orm.js';
import { type Em } from '../../src/db/em.js';
import { createApp, type App } from '../../src/server/app.js';
import { createToken } from '../../src/services/tokens.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { CREATE_INITIATIVE, CREATE_ITEMS, CREATE_WORKSTREAM } from '../helpers/operations.js';

/** Issue 9, findings 4 and 5: each edge of a request answered with a clear, stable error. */

interface Answer {
  status: number;
  text: string;
  json: any;
}

/** A server of its own with a log the test can read. */
async function start(options: Partial<ServerOptions> = {}) {
  const db: TestDatabase = await createTestDatabase('sqlite', true);
  const orm = await openOrm({ databaseUrl: db.url });
  await orm.schema.refresh();
  const logLines: any[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
      done();
    },
  });
  const app: App = await createApp(orm, pino({ level: 'debug' }, sink), serverOptions(options));
  const base = await app.listen(0, '127.0.0.1');
  const { port } = new URL(base);
  const token = (await createToken({ em: orm.em.fork() as Em, name: 'edges', role: 'admin' }))
    .token;
  /** One request through node:http, so that any Host header can be sent. */
  const send = (
    path: string,
    body: unknown,
    headers: Record<string, string> = {},
    method = 'POST',
  ): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const text = body === undefined ? '' : JSON.stringify(body);
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path,
          method,
          headers: { 'content-type': 'application/json', ...headers },
        },
        (res) => {
          let out = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (out += c));
          res.on('end', () => {
            let json: unknown = undefined;
            try {
              json = JSON.parse(out);
            } catch {
              json = undefined;
            }
            resolve({ status: res.statusCode!, text: out, json });
          });
        },
      );
      req.on('error', reject);
      req.end(text);
    });
  const gql = (query: string, variables?: unknown, headers: Record<string, string> = {}) =>
    send('/graphql', { query, variables }, { authorization: `Bearer ${token}`, ...headers });
  const close = async () => {
    await app.close();
    await orm.close();
    await db.drop();
  };
  return { port: Number(port), token, send, gql, logLines, close };
}

type Server = Awaited<ReturnType<typeof start>>;

describe('request edges (sqlite)', () => {
  let s: Server;
  let leaf: string;
  let itemId: string;
  const data = async (query: string, variables?: unknown) => {
    const res = await s.gql(query, variables);
    expect(res.json.errors).toBeUndefined();
    return res.json.data;
  };

  beforeAll(async () => {
    s = await start();
    const ini = (await data(CREATE_INITIATIVE, { input: { key: 'edges', name: '边界' } }))
      .createInitiative.initiative.id;
    leaf = (await data(CREATE_WORKSTREAM, { input: { initiativeId: ini, name: '叶' } }))
      .createWorkstream.workstream.id;
    const input = { workstreamId: leaf, items: [{ name: 'a' }, { name: 'b', status: 'DONE' }] };
    itemId = (await data(CREATE_ITEMS, { input })).createItems.items[0].id;
  });
  afterAll(() => s?.close());

  it('a null page size (or any null non-null argument with a default) is BAD_USER_INPUT', async () => {
    const ws = (args: string) =>
      `query($w: ID!, $x: ${args}) { node(id: $w) { ... on Workstream { SEL } } }`;
    const cases: [string, Record<string, unknown>, string][] = [
      [ws('Int').replace('SEL', 'items(first: $x) { totalCount }'), { w: leaf }, 'first'],
      [ws('Int').replace('SEL', 'history(first: $x) { nodes { kind } }'), { w: leaf }, 'first'],
      [
        `query($w: ID!, $x: Int) { node(id: $w) { ... on Item { history(first: $x) { nodes { kind } } } } }`,
        { w: itemId },
        'first',
      ],
      [
        ws('Boolean').replace('SEL', 'items(includeDescendants: $x) { totalCount }'),
        { w: leaf },
        'includeDescendants',
      ],
      [`query($x: Locale) { weeklyReport(locale: $x) }`, {}, 'locale'],
    ];
    for (const [query, variables, argument] of cases) {
      const res = await s.gql(query, { ...variables, x: null });
      // Refused before execution, as graphql-js refuses variables that do not coerce.
      expect(res.status).toBe(400);
      expect(res.json.errors).toEqual([
        expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', argument } }),
      ]);
    }
    expect(s.logLines.filter((l) => l.level >= 50)).toEqual([]);
  });

  it('accepts only the canonical spelling of a global id and of a cursor', async () => {
    const node = async (id: string) =>
      (await data(`query($id: ID!) { node(id: $id) { id } }`, { id })).node;
    expect(await node(itemId)).toEqual({ id: itemId });
    for (const spelling of [
      `${itemId}==`,
      `${itemId}=`,
      `${itemId}!!!`,
      `${itemId}\u0001`,
      ` ${itemId}`,
    ])
      expect(await node(spelling)).toBeNull();
    const page = await data(
      `query($w: ID!) { node(id: $w) { ... on Workstream { items(first: 1) { pageInfo { endCursor } } } } }`,
      { w: leaf },
    );
    const cursor = page.node.items.pageInfo.endCursor as string;
    const after = (a: string) =>
      s.gql(
        `query($w: ID!, $a: String) { node(id: $w) { ... on Workstream { items(after: $a) { totalCount } } } }`,
        { w: leaf, a },
      );
    expect((await after(cursor)).json.errors).toBeUndefined();
    expect((await after(`${cursor}==`)).json.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    // "" is no cursor, and a change log's cursor does not page items.
    expect((await after('')).json.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const changes = await data(
      `query($w: ID!) { node(id: $w) { ... on Workstream { history(first: 1) { pageInfo { endCursor } } } } }`,
      { w: leaf },
    );
    const changeCursor = changes.node.history.pageInfo.endCursor as string;
    expect(changeCursor).not.toBeNull();
    expect((await after(changeCursor)).json.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('an empty status filter returns no items; null returns all', async () => {
    const q = `query($w: ID!, $s: [ItemStatus!]) { node(id: $w) { ... on Workstream { items(status: $s) { totalCount nodes { id } } } } }`;
    expect((await data(q, { w: leaf, s: [] })).node.items).toEqual({ totalCount: 0, nodes: [] });
    expect((await data(q, { w: leaf, s: null })).node.items.totalCount).toBe(2);
    expect((await data(q, { w: leaf, s: ['DONE'] })).node.items.totalCount).toBe(1);
  });

  it('DONE takes only 100 and NOT_STARTED only 0, on create as on update', async () => {
    const create = async (status: string, percent: number) =>
      (
        await data(CREATE_ITEMS, {
          input: { workstreamId: leaf, items: [{ name: 'p', status, percent }] },
        })
      ).createItems.userErrors;
    expect(await create('DONE', 5)).toEqual([
      expect.objectContaining({ code: 'INVALID_PERCENT', field: ['items', '0', 'percent'] }),
    ]);
    expect(await create('NOT_STARTED', 80)).toEqual([
      expect.objectContaining({ code: 'INVALID_PERCENT', field: ['items', '0', 'percent'] }),
    ]);
    const set = await data(
      `mutation($input: SetItemStatusInput!) { setItemStatus(input: $input) { userErrors { code field } } }`,
      { input: { itemId, status: 'DONE', percent: 5 } },
    );
    expect(set.setItemStatus.userErrors).toEqual([{ code: 'INVALID_PERCENT', field: ['percent'] }]);
    expect(await create('DONE', 100)).toEqual([]);
  });

  it('an anonymous request whose operation cannot be resolved is a 400, not a 401', async () => {
    const res = await s.send('/graphql', { query: '{ __typename }', operationName: 'Nope' });
    expect(res.status).toBe(400);
    expect(res.json.errors[0].extensions.code).not.toBe('UNAUTHENTICATED');
    const write = await s.send('/graphql', { query: 'mutation M { __typename }' });
    expect(write.status).toBe(401);
  });

  it('anonymous reads answer only under loopback Host names; a token works under any', async () => {
    const read = (host: string, headers: Record<string, string> = {}) =>
      s.send('/graphql', { query: '{ __typename }' }, { host, ...headers });
    for (const host of [
      'localhost',
      `localhost:${s.port}`,
      '127.0.0.1',
      `127.0.0.1:${s.port}`,
      '[::1]',
      `[::1]:${s.port}`,
    ])
      expect((await read(host)).status).toBe(200);
    for (const host of [
      'evil.example',
      `evil.example:${s.port}`,
      'localhost.evil.example',
      '127.0.0.1.nip.io',
    ]) {
      const res = await read(host);
      expect(res.status).toBe(401);
      expect(res.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    const withToken = await s.gql('{ __typename }', undefined, { host: 'evil.example' });
    expect(withToken.status).toBe(200);
  });

  /** A request written byte for byte (what an HTTP client would not send): the whole answer. */
  const rawRequest = (head: string, body: string) =>
    new Promise<{ status: string; body: any }>((resolve, reject) => {
      const socket = connect(s.port, '127.0.0.1', () =>
        socket.end(
          `POST /graphql HTTP/1.1\r\n${head}content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
        ),
      );
      let out = '';
      socket.on('data', (c) => (out += c.toString('utf8')));
      socket.on('end', () =>
        resolve({
          status: out.slice(0, out.indexOf('\r\n')),
          body: JSON.parse(out.slice(out.indexOf('\r\n\r\n') + 4)),
        }),
      );
      socket.on('error', reject);
    });

  it('a request without Host gets a JSON 400', async () => {
    const raw = await rawRequest('', '{}');
    expect(raw.status).toMatch(/^HTTP\/1.1 400/);
    const body = raw.body;
    expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(body.errors[0].message).toContain('Host');
  });

  it('two Authorization headers, or an empty one, are 401 rather than one taken or anonymity', async () => {
    const twice = await rawRequest(
      `host: 127.0.0.1\r\nauthorization: Bearer ${s.token}\r\nauthorization: Bearer other\r\n`,
      '{"query":"{ viewer { role } }"}',
    );
    expect(twice.status).toMatch(/^HTTP\/1.1 401/);
    const answer = twice.body;
    expect(answer.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(answer.errors[0].message).toContain('只能有一个');
    const empty = await s.send('/graphql', { query: '{ __typename }' }, { authorization: '' });
    expect(empty.status).toBe(401);
    expect((await s.gql('{ viewer { role } }')).json.data.viewer.role).toBe('admin');
  });

  it('a charset other than UTF-8, a type that only starts like JSON, or an Expect it cannot meet: JSON 4xx', async () => {
    const body = { query: '{ __typename }' };
    for (const type of ['application/json; charset=utf-16', 'application/json; charset="latin1"'])
      expect((await s.send('/graphql', body, { 'content-type': type })).status).toBe(415);
    const jsonx = await s.send('/graphql', body, { 'content-type': 'application/jsonx' });
    expect(jsonx.status).toBe(415);
    for (const type of ['application/json; charset=UTF-8', 'application/json;charset=utf8'])
      expect((await s.send('/graphql', body, { 'content-type': type })).status).toBe(200);
    const expect417 = await s.send('/graphql', body, { expect: 'foo' });
    expect(expect417.status).toBe(417);
    expect((expect417.json as any).errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('a body that is not valid UTF-8 is a JSON 400, not text with U+FFFD in it', async () => {
    const res = await fetch(`http://127.0.0.1:${s.port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.concat([
        Buffer.from('{"query":"{ __typename }","variables":{"n":"'),
        Buffer.from([0xed, 0xa0, 0x80]), // a surrogate encoded as UTF-8: invalid
        Buffer.from('"}}'),
      ]),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('POST //graphql is a 404 that names the path it was given', async () => {
    const res = await s.send('//graphql', { query: '{ __typename }' });
    expect(res.status).toBe(404);
    expect(res.json.errors[0].message).toBe('没有这个地址：//graphql');
  });

  it('client aborts are logged once each, at info, without a stack', async () => {
    const before = s.logLines.length;
    const clients = 20;
    await Promise.all(
      Array.from(
        { length: clients },
        () =>
          new Promise<void>((resolve) => {
            const socket = connect(s.port, '127.0.0.1', () => {
              socket.write(
                'POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"query":',
              );
              setTimeout(() => socket.destroy(), 50);
            });
            socket.on('close', () => resolve());
            socket.on('error', () => resolve());
          }),
      ),
    );
    await new Promise((r) => setTimeout(r, 200));
    const lines = s.logLines.slice(before);
    expect(lines.filter((l) => l.level >= 40)).toEqual([]);
    const aborts = lines.filter((l) => l.msg === 'client aborted');
    expect(aborts).toHaveLength(clients);
    expect(aborts.every((l) => l.level === 30 && l.err === undefined)).toBe(true);
  });
});

describe('field suggestions follow introspection', () => {
  it.each([
    [true, true],
    [false, false],
  ])('introspection %s → suggestions %s', async (introspection, suggested) => {
    const s = await start({ introspection });
    try {
      const field = await s.gql('{ initiatives { nam } }');
      expect(field.status).toBe(400);
      const enumValue = await s.gql(
        'query($s: [ItemStatus!]) { initiatives { workstreams { items(status: $s) { totalCount } } } }',
        { s: ['DONEE'] },
      );
      const input = await s.gql(
        'mutation($input: CreateInitiativeInput!) { createInitiative(input: $input) { userErrors { code } } }',
        { input: { key: 'k', name: 'n', nme: 'x' } },
      );
      const messages = [field, enumValue, input].map((r) => r.text).join('\n');
      expect(messages.includes('Did you mean')).toBe(suggested);
    } finally {
      await s.close();
    }
  });
});
