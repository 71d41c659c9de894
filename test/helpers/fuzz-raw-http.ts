import type { Rng } from './random.js';

/*
 * Malformed HTTP for the fuzz test (quality bar R2): raw bytes that no GraphQL client would send,
 * written straight to a socket.
 */

/** One malformed HTTP exchange, sent as raw bytes over a socket. */
export interface RawCase {
  readonly name: string;
  readonly payload: Buffer;
  /** Half-close the socket after writing (the server sees the end of the stream). */
  readonly halfClose?: boolean;
  /** Give up (and destroy the socket) after this long; the default is a few seconds. */
  readonly timeoutMs?: number;
  /** A HEAD request: the answer has headers only. */
  readonly head?: boolean;
  /**
   * The server may rightly never answer: a body that never arrives, CONNECT without a handler.
   * Anything else without an answer is a failure.
   */
  readonly noAnswerOk?: boolean;
}

export interface RawContext {
  readonly adminToken: string;
  readonly itemId: string;
}

interface RawRequest {
  method?: string;
  path?: string;
  version?: string;
  headers?: [string, string][];
  body?: string | Buffer;
  /** null: no Content-Length; a string: sent as is; absent: the body's length. */
  contentLength?: string | null;
  auth?: boolean;
  host?: boolean;
}

/** Raw HTTP/1.1 bytes; `Connection: close` so the server ends the exchange. */
function rawHttp(ctx: RawContext, req: RawRequest): Buffer {
  const body = req.body === undefined ? Buffer.alloc(0) : Buffer.from(req.body);
  const lines = [`${req.method ?? 'POST'} ${req.path ?? '/graphql'} ${req.version ?? 'HTTP/1.1'}`];
  if (req.host !== false) lines.push('Host: 127.0.0.1');
  lines.push('Connection: close');
  if (req.auth !== false) lines.push(`Authorization: Bearer ${ctx.adminToken}`);
  for (const [k, v] of req.headers ?? []) lines.push(`${k}: ${v}`);
  if (req.contentLength !== null && (req.body !== undefined || req.contentLength !== undefined))
    lines.push(`Content-Length: ${req.contentLength ?? body.length}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
}

const JSON_CT: [string, string] = ['Content-Type', 'application/json'];
const PREFLIGHT: [string, string] = ['Apollo-Require-Preflight', 'true'];

/** POST /graphql with a JSON content type and this body. */
function post(ctx: RawContext, body: string | Buffer, extra: Partial<RawRequest> = {}): Buffer {
  return rawHttp(ctx, { headers: [JSON_CT], body, ...extra });
}

function chunked(parts: string[], end = true): string {
  return (
    parts.map((p) => `${Buffer.byteLength(p).toString(16)}\r\n${p}\r\n`).join('') +
    (end ? '0\r\n\r\n' : '')
  );
}

/**
 * Malformed HTTP: every fixed case once (invalid JSON, empty bodies, wrong content types, GET
 * with bad query strings, huge headers, invalid methods, truncated bodies, wrong body shapes,
 * batches, odd paths and tokens), then `randomCount` random variants.
 */
export function malformedHttpCases(r: Rng, randomCount: number, ctx: RawContext): RawCase[] {
  const q = '{"query":"{ __typename }"}';
  const cases: RawCase[] = [];
  const add = (name: string, payload: Buffer, extra: Partial<RawCase> = {}) =>
    cases.push({ name, payload, ...extra });
  const get = (path: string, extra: Partial<RawRequest> = {}) =>
    rawHttp(ctx, { method: 'GET', path, ...extra });

  // Invalid JSON.
  for (const body of [
    '{',
    '{"query":',
    "{'query':'{ __typename }'}",
    'nul',
    '{"query":"{ __typename }"}garbage',
    '\uFEFF{"query":"{ __typename }"}',
    '{"query":"{ __typename }",}',
    '{"query":"\\x41"}',
    '{"query":"\\ud800"}',
    '['.repeat(50_000),
    '{"a":'.repeat(20_000),
    'undefined',
    '{"query": NaN}',
  ]) {
    add(`invalid JSON ${JSON.stringify(body.slice(0, 30))}`, post(ctx, body));
  }
  add('UTF-16 body', post(ctx, Buffer.from(q, 'utf16le')));
  add(
    'invalid UTF-8 bytes',
    post(ctx, Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d])),
  );
  add('deep JSON array (valid)', post(ctx, '['.repeat(40_000) + ']'.repeat(40_000)));
  add(
    'deep JSON in variables',
    post(
      ctx,
      `{"query":"{ __typename }","variables":{"a":${'['.repeat(30_000)}${']'.repeat(30_000)}}}`,
    ),
  );
  add(
    'deep JSON in extensions',
    post(
      ctx,
      `{"query":"{ __typename }","extensions":${'{"a":'.repeat(15_000)}1${'}'.repeat(15_000)}}`,
    ),
  );
  const deep = (inner: string, levels: number) =>
    `${'['.repeat(levels)}${inner}${']'.repeat(levels)}`;
  add(
    'deep list in a used variable',
    post(
      ctx,
      `{"query":"query($s: [ItemStatus!]) { initiatives { workstreams { items(status: $s) { totalCount } } } }","variables":{"s":${deep('"DONE"', 30_000)}}}`,
    ),
  );
  add(
    'deep list in a used input variable',
    post(
      ctx,
      `{"query":"mutation($i: SetItemStatusesInput!) { setItemStatuses(input: $i) { userErrors { code } } }","variables":{"i":{"updates":${deep(`{"itemId":"${ctx.itemId}","status":"DONE"}`, 30_000)}}}}`,
    ),
  );
  add(
    'deep object for a String variable',
    post(
      ctx,
      `{"query":"query($k: String!) { initiative(key: $k) { id } }","variables":{"k":${'{"a":'.repeat(15_000)}1${'}'.repeat(15_000)}}}`,
    ),
  );
  add('duplicate keys', post(ctx, '{"query":"{ __typename }","query":"mutation { x }"}'));
  add('body just under the limit', post(ctx, `{"query":"{ __typename }"${' '.repeat(102_000)}}`));
  add('body just over the limit', post(ctx, `{"query":"{ __typename }"${' '.repeat(102_400)}}`));
  add(
    'chunked body over the limit',
    post(ctx, chunked([`{"query":"{ __typename }"`, ' '.repeat(60_000), ' '.repeat(60_000), '}']), {
      contentLength: null,
      headers: [JSON_CT, ['Transfer-Encoding', 'chunked']],
    }),
  );
  add(
    'chunked body (valid)',
    post(ctx, chunked(['{"query":', '"{ __typename }"}']), {
      contentLength: null,
      headers: [JSON_CT, ['Transfer-Encoding', 'chunked']],
    }),
  );

  // Empty bodies.
  add('empty body, JSON type', post(ctx, ''));
  add('empty body, no type', rawHttp(ctx, { body: '' }));
  add('whitespace body', post(ctx, ' \n\t '));
  add('POST without body or length', rawHttp(ctx, { headers: [JSON_CT] }));

  // Wrong content types.
  for (const type of [
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/graphql',
    'application/jsonp',
    'text/html',
    'application/xml',
    'application/json; charset=latin1',
    'application/json; charset=utf-16',
    'APPLICATION/JSON',
    'application/json, text/html',
    'application/graphql-response+json',
    'application/jsonx',
    '',
    'application/json\t;',
    '*/*',
  ]) {
    add(`content type "${type}"`, rawHttp(ctx, { headers: [['Content-Type', type]], body: q }));
  }
  add('no content type', rawHttp(ctx, { body: q }));
  add(
    'two content types',
    rawHttp(ctx, { headers: [JSON_CT, ['Content-Type', 'text/plain']], body: q }),
  );

  // GET with bad query strings.
  const enc = encodeURIComponent;
  for (const [path, preflight] of [
    ['/graphql', true],
    ['/graphql?query=', true],
    ['/graphql?query={__typename}', false],
    ['/graphql?query={__typename}', true],
    ['/graphql?query=%ZZ', true],
    ['/graphql?query=%E0%A4%A', true],
    [`/graphql?query=${enc('mutation { deleteItem(input: {id: "x"}) { deletedId } }')}`, true],
    ['/graphql?query={__typename}&variables={bad', true],
    ['/graphql?query={__typename}&variables=[]', true],
    ['/graphql?query={__typename}&variables="str"', true],
    ['/graphql?query={__typename}&variables=null', true],
    ['/graphql?query={__typename}&extensions=xx', true],
    ['/graphql?query={__typename}&operationName=Nope', true],
    ['/graphql?query[]=a&query[]=b', true],
    ['/graphql?query={__typename}&query={__typename}', true],
    [`/graphql?query=${enc('{ __schema { types { name } } }')}`, true],
    [`/graphql?query=${'{__typename}'.repeat(1500)}`, true],
    ['/graphql?%', true],
    ['/graphql?query=%00', true],
    ['/graphql?query=%7B__typename%7D&variables=%7B%22a%22%3A' + '%5B'.repeat(2000), true],
    [`/graphql?query=${enc(`{ node(id: "${ctx.itemId}") { id } }`)}`, true],
    [`/graphql?query=${enc('{ initiative(key: "\' OR 1=1 --") { id } }')}`, true],
  ] as const) {
    add(
      `GET ${path.slice(0, 60)}${preflight ? ' (preflight)' : ''}`,
      get(path, { headers: preflight ? [PREFLIGHT] : [] }),
    );
  }

  // Methods.
  for (const method of [
    'DELETE',
    'PUT',
    'PATCH',
    'OPTIONS',
    'TRACE',
    'FOO',
    'get',
    'PROPFIND',
    'M-SEARCH',
  ]) {
    add(`method ${method}`, rawHttp(ctx, { method, headers: [JSON_CT], body: q }));
  }
  add('method HEAD', rawHttp(ctx, { method: 'HEAD' }), { head: true });
  add('method CONNECT', rawHttp(ctx, { method: 'CONNECT', path: '127.0.0.1:80' }), {
    noAnswerOk: true,
  });
  add('HTTP/2 preface', Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'));
  add('no HTTP version', Buffer.from('GET /graphql\r\n\r\n'));
  add('HTTP/9.9', rawHttp(ctx, { method: 'GET', version: 'HTTP/9.9' }));
  add(
    'HTTP/1.0 without Host',
    rawHttp(ctx, { method: 'GET', path: '/livez', version: 'HTTP/1.0', host: false }),
  );
  add('HTTP/1.1 without Host', rawHttp(ctx, { host: false, headers: [JSON_CT], body: q }));
  add(
    'TLS client hello',
    Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]),
  );
  add('spaces in the method', Buffer.from('G E T /graphql HTTP/1.1\r\nHost: x\r\n\r\n'));
  add('binary garbage', Buffer.from(Array.from({ length: 512 }, () => r.int(0, 255))));

  // Headers.
  add('20 kB header', rawHttp(ctx, { headers: [JSON_CT, ['X-Big', 'a'.repeat(20_000)]], body: q }));
  add(
    '200 headers of 100 bytes',
    rawHttp(ctx, {
      headers: [
        JSON_CT,
        ...Array.from({ length: 200 }, (_, i) => [`X-H${i}`, 'b'.repeat(100)] as [string, string]),
      ],
      body: q,
    }),
  );
  add(
    '3,000 small headers',
    rawHttp(ctx, {
      headers: [
        JSON_CT,
        ...Array.from({ length: 3000 }, (_, i) => [`X${i}`, '1'] as [string, string]),
      ],
      body: q,
    }),
  );
  add('NUL in a header', rawHttp(ctx, { headers: [JSON_CT, ['X-Nul', 'a\u0000b']], body: q }));
  const noColon = rawHttp(ctx, { headers: [JSON_CT, ['X-No-Colon', '']], body: q });
  add(
    'header without colon',
    Buffer.from(noColon.toString('latin1').replace('X-No-Colon: ', 'X-No-Colon'), 'latin1'),
  );
  add(
    'obsolete line folding',
    rawHttp(ctx, { headers: [JSON_CT, ['X-Fold', 'a\r\n b']], body: q }),
  );
  add('two Host headers', rawHttp(ctx, { headers: [JSON_CT, ['Host', 'evil.example']], body: q }));
  add(
    'Authorization: huge token',
    rawHttp(ctx, {
      auth: false,
      headers: [JSON_CT, ['Authorization', `Bearer ${'a'.repeat(10_000)}`]],
      body: q,
    }),
  );
  add(
    'Authorization: latin-1 byte',
    rawHttp(ctx, {
      auth: false,
      headers: [JSON_CT, ['Authorization', 'Bearer jindu_\u00e9\u00ff']],
      body: q,
    }),
  );
  add(
    'Authorization: two tokens',
    rawHttp(ctx, { headers: [JSON_CT, ['Authorization', 'Bearer jindu_other']], body: q }),
  );
  add(
    'Authorization: SQL',
    rawHttp(ctx, {
      auth: false,
      headers: [JSON_CT, ['Authorization', "Bearer ' OR 1=1 --"]],
      body: q,
    }),
  );
  add(
    'Authorization: empty Bearer',
    rawHttp(ctx, { auth: false, headers: [JSON_CT, ['Authorization', 'Bearer']], body: q }),
  );
  add(
    'Expect: 100-continue',
    rawHttp(ctx, { headers: [JSON_CT, ['Expect', '100-continue']], body: q }),
  );
  add('Expect: nonsense', rawHttp(ctx, { headers: [JSON_CT, ['Expect', 'nonsense']], body: q }));
  add(
    'Content-Encoding: gzip (not gzip)',
    rawHttp(ctx, { headers: [JSON_CT, ['Content-Encoding', 'gzip']], body: q }),
  );

  // Lengths and truncation.
  for (const length of ['abc', '-5', '1, 2', '1e3', '0x10', '99999999999999999999', ' 10']) {
    add(`Content-Length ${length}`, post(ctx, q, { contentLength: length }));
  }
  add(
    'two different Content-Lengths',
    post(ctx, q, { headers: [JSON_CT, ['Content-Length', '3']] }),
  );
  add(
    'Content-Length and chunked',
    post(ctx, chunked([q]), { headers: [JSON_CT, ['Transfer-Encoding', 'chunked']] }),
  );
  add(
    'Transfer-Encoding gzip',
    post(ctx, q, { contentLength: null, headers: [JSON_CT, ['Transfer-Encoding', 'gzip']] }),
  );
  add(
    'bad chunk size',
    post(ctx, `zz\r\n${q}\r\n0\r\n\r\n`, {
      contentLength: null,
      headers: [JSON_CT, ['Transfer-Encoding', 'chunked']],
    }),
  );
  add('declared length over the limit', post(ctx, q, { contentLength: '200000' }));
  add('declared length 2^53', post(ctx, q, { contentLength: String(2 ** 53) }));
  add(
    'shorter body than declared, connection held',
    post(ctx, q.slice(0, 10), { contentLength: '1000' }),
    {
      timeoutMs: 400,
      noAnswerOk: true,
    },
  );
  add(
    'shorter body than declared, then end of stream',
    post(ctx, q.slice(0, 10), { contentLength: '1000' }),
    {
      halfClose: true,
      timeoutMs: 1500,
      noAnswerOk: true,
    },
  );
  add(
    'truncated chunked body, then end of stream',
    post(ctx, chunked([q.slice(0, 10)], false), {
      contentLength: null,
      headers: [JSON_CT, ['Transfer-Encoding', 'chunked']],
    }),
    { halfClose: true, timeoutMs: 1500, noAnswerOk: true },
  );
  add(
    'truncated headers, then end of stream',
    Buffer.from('POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Ty'),
    {
      halfClose: true,
      timeoutMs: 1500,
      noAnswerOk: true,
    },
  );
  add(
    'longer body than declared',
    post(ctx, `${q}GARBAGE / HTTP/1.1\r\n\r\n`, { contentLength: String(q.length) }),
  );

  // Body shapes.
  for (const body of [
    '{"query":1}',
    '{"query":null}',
    '{"query":[]}',
    '{"query":{}}',
    '{"query":true}',
    '{"query":""}',
    '{"query":"   "}',
    '{"query":"{ __typename }","variables":"{}"}',
    '{"query":"{ __typename }","variables":"x"}',
    '{"query":"{ __typename }","variables":1}',
    '{"query":"{ __typename }","variables":[]}',
    '{"query":"{ __typename }","variables":true}',
    '{"query":"{ __typename }","operationName":1}',
    '{"query":"{ __typename }","operationName":"Nope"}',
    '{"query":"query A { __typename } query B { __typename }","operationName":"Nope"}',
    '{"query":"query A { __typename } query B { __typename }"}',
    '{"query":"query A { __typename } query B { __typename }","operationName":["A"]}',
    '{"query":"{ __typename }","extensions":"x"}',
    '{"query":"{ __typename }","extensions":{"persistedQuery":{"version":1,"sha256Hash":"abc"}}}',
    '{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"abc"}}}',
    '{"extensions":{"persistedQuery":{"version":2,"sha256Hash":"abc"}}}',
    '{"query":"{ __typename }","foo":1,"__proto__":{"x":1}}',
    '[{"query":"{ __typename }"}]',
    '[]',
    `[${Array.from({ length: 100 }, () => q).join(',')}]`,
    '[1,2]',
    '"just a string"',
    '123',
    'null',
    'true',
    '{}',
    '{"query":"{ __typename \\u0000 }"}',
    '{"query":"subscription { x }"}',
    '{"query":"{ __typename"}',
    '{"query":"}{"}',
    '{"query":"{ __typename @nope }"}',
    '{"query":"{ __typename @skip(if: $x) }"}',
    '{"query":"fragment A on Query { ...A } { ...A }"}',
    '{"query":"{ __schema { types { name fields { name } } } }"}',
    '{"query":"{ initiatives { workstreams { items(first: 1000000) { totalCount } } } }"}',
    '{"query":"{ initiatives { workstreams { items(first: -1) { totalCount } } } }"}',
    `{"query":"{ ${Array.from({ length: 20 }, (_, i) => `a${i}: __typename`).join(' ')} }"}`,
    `{"query":"{ ${'__typename '.repeat(1200)}}"}`,
    `{"query":"{ initiatives ${'{ workstreams '.repeat(20)}{ id }${' }'.repeat(20)} }"}`,
    `{"query":"mutation { deleteItem(input: {id: \\"${ctx.itemId}\\"}) { deletedId } }","operationName":null}`,
    `{"query":"{ node(id: \\"${ctx.itemId}\\") { id } }","variables":null,"operationName":null,"extensions":null}`,
  ]) {
    add(`body ${body.slice(0, 60)}`, post(ctx, body));
  }

  // Paths.
  for (const path of [
    '/graphql/',
    '/GRAPHQL',
    '/graphql%00',
    '/graphql%2F',
    '//[',
    '//',
    '/../../etc/passwd',
    '/%',
    '/graphql#frag',
    'http://evil.example/graphql',
    'http://[::1/graphql',
    '*',
    '/%E0%A4%A',
    `/${'a'.repeat(10_000)}`,
  ]) {
    add(`path ${path.slice(0, 40)}`, rawHttp(ctx, { path, headers: [JSON_CT], body: q }));
    add(`GET path ${path.slice(0, 40)}`, rawHttp(ctx, { method: 'GET', path }));
  }
  add('POST /graphiql', rawHttp(ctx, { path: '/graphiql', headers: [JSON_CT], body: q }));
  add('POST /livez', rawHttp(ctx, { path: '/livez', headers: [JSON_CT], body: q }));
  add('GET /readyz', rawHttp(ctx, { method: 'GET', path: '/readyz' }));
  // Pages go out in the coding Accept-Encoding weighs best: malformed weights and lists.
  for (const accept of [
    'br;q=abc',
    'gzip;q=-1, br;q=2',
    ';;,, ,;q=1',
    '*;q=0, identity;q=0',
    `${'x, '.repeat(2_000)}br`,
    'br\u0000',
  ])
    for (const path of ['/', '/app.js'])
      add(
        `GET ${path} Accept-Encoding ${accept.slice(0, 20)}`,
        rawHttp(ctx, { method: 'GET', path, headers: [['Accept-Encoding', accept]] }),
      );

  // Random variants: a valid request, mangled.
  const valid = post(ctx, q).toString('latin1');
  const count = cases.length + randomCount;
  while (cases.length < count) {
    const i = cases.length;
    const what = r.int(0, 4);
    if (what === 0) {
      const at = r.int(0, valid.length - 1);
      add(`random truncation at ${at}`, Buffer.from(valid.slice(0, at), 'latin1'), {
        halfClose: true,
        timeoutMs: 1500,
        noAnswerOk: true,
      });
    } else if (what === 1) {
      const bytes = Buffer.from(valid, 'latin1');
      for (let k = r.int(1, 4); k > 0; k--) bytes[r.int(0, bytes.length - 1)] = r.int(0, 255);
      add(`random byte flips #${i}`, bytes, { timeoutMs: 1500, noAnswerOk: true, halfClose: true });
    } else if (what === 2) {
      const body = q.slice(0, r.int(0, q.length));
      add(`random JSON prefix ${JSON.stringify(body)}`, post(ctx, body));
    } else if (what === 3) {
      const body = Array.from({ length: r.int(1, 200) }, () =>
        String.fromCharCode(r.int(0, 0x2fff)),
      ).join('');
      add(`random text body #${i}`, post(ctx, body));
    } else {
      const type = r.pick([
        'text/plain',
        'application/json',
        'application/octet-stream',
        'application/json; x',
      ])!;
      add(
        `random body shape #${i} (${type})`,
        rawHttp(ctx, {
          headers: [['Content-Type', type]],
          body: JSON.stringify({
            query: r.pick([1, null, '{ __typename }', ['x'], { a: 1 }]),
            variables: r.pick([null, 'x', [], {}, 1]),
            operationName: r.pick([null, 1, 'Nope', undefined]),
          }),
        }),
      );
    }
  }
  return cases;
}
