import type { IncomingMessage, ServerResponse } from 'node:http';
import { beforeRefusal } from './body-drain.js';

export const MAX_BODY_BYTES = 100 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Adds request headers the answer depends on to its `Vary`, once each. */
export function addVary(res: ServerResponse, names: string): void {
  const had = res.getHeader('vary');
  // The usual case, on every answer (S1): nothing to merge with.
  if (had === undefined) return void res.setHeader('vary', names);
  const list = String(had)
    .split(',')
    .map((n) => n.trim());
  for (const name of names.split(',').map((n) => n.trim()))
    if (name && !list.some((n) => n.toLowerCase() === name.toLowerCase())) list.push(name);
  res.setHeader('vary', list.filter(Boolean).join(', '));
}

/**
 * Sends a GraphQL-shaped JSON error, so clients never have to parse an HTML page; as
 * `application/graphql-response+json` to a client that asks for it first, as Apollo Server
 * answers its own errors, so Apollo Client reads a 401 for a revoked token or a 413 the same
 * way as any other GraphQL error (with `application/json` it saw only an HTTP failure).
 */
export function sendJsonError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
  extensions: Record<string, unknown> = {},
): void {
  // A refusal given before the request's body was read whole (a 404 or 405 with a body, a
  // 413): the rest of the body is settled first (body-drain.ts), or a connection that closes
  // after the answer would be reset with it unread, and the client would read the reset.
  const req = res.req as IncomingMessage | undefined;
  if (req && !req.complete && !res.headersSent) {
    void beforeRefusal(req, res).then((more) => {
      if (!res.destroyed && !res.headersSent)
        writeJsonError(res, status, code, message, { ...headers, ...more }, extensions);
    });
    return;
  }
  writeJsonError(res, status, code, message, headers, extensions);
}

function writeJsonError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string>,
  extensions: Record<string, unknown>,
): void {
  // Its type follows Accept: a cache must not give a JSON client the GraphQL type, or back.
  addVary(res, 'Accept');
  const type = prefersGraphqlResponse(res.req?.headers.accept)
    ? 'application/graphql-response+json; charset=utf-8'
    : 'application/json; charset=utf-8';
  sendJson(
    res,
    status,
    { errors: [{ message, extensions: { code, ...extensions } }] },
    { 'content-type': type, ...headers },
  );
}

/**
 * A page that is read: GET, and HEAD as HTTP asks of every server (a probe or a link checker
 * asks for the headers alone; Node drops the body). Anything else is a 405 naming both; true
 * when it was sent.
 */
export function refuseUnlessRead(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return false;
  sendJsonError(res, 405, 'METHOD_NOT_ALLOWED', '只支持 GET', { allow: 'GET, HEAD' });
  return true;
}

/** Whether an Accept header ranks application/graphql-response+json at least as high as JSON. */
export function prefersGraphqlResponse(accept: string | undefined): boolean {
  if (!accept) return false;
  // The best q of the media ranges that match (a wildcard matches JSON, never the GraphQL type:
  // a client that names no type would get what it expects of a JSON API).
  const q = (types: readonly string[]) => {
    let best = -1;
    for (const part of accept.split(',')) {
      const [name, ...params] = part.trim().split(';');
      if (!types.includes(name!.trim().toLowerCase())) continue;
      const given = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('q='));
      best = Math.max(best, given ? Number(given.slice(2)) || 0 : 1);
    }
    return best;
  };
  const graphql = q(['application/graphql-response+json']);
  return graphql > 0 && graphql >= q(['application/json', 'application/*', '*/*']);
}

/**
 * A whole answer, with its length. After `writeHead` without one Node sends the body chunked:
 * more pieces to frame and parse for every request, and a client cannot tell its size.
 *
 * A string body goes to the socket as it is, after the headers in the same write. Given a
 * length, Node writes a string body that follows unsent headers as one string, headers + body,
 * and the socket must copy that joined string whole before encoding it: about 17 ms more of
 * server CPU for a 3 MB answer (a 10,000-workstream dashboard), as much again as writing it.
 * Flushing the headers first into the corked socket keeps the two apart, and the socket sends
 * both in one `writev`. A byte body is never joined to the headers.
 */
export function sendBody(
  res: ServerResponse,
  status: number,
  headers: Record<string, string | number>,
  body: string | Uint8Array,
): void {
  // writeHead's own `vary` would replace one set before (cors.ts's Origin): the two are merged.
  if (headers.vary !== undefined) {
    addVary(res, String(headers.vary));
    headers = Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'vary'));
  }
  res.writeHead(status, {
    ...headers,
    'content-length': typeof body === 'string' ? Buffer.byteLength(body) : body.length,
  });
  if (typeof body !== 'string') return void res.end(body);
  const socket = res.socket;
  socket?.cork();
  res.flushHeaders();
  res.end(body);
  socket?.uncork();
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  sendBody(
    res,
    status,
    { 'content-type': 'application/json; charset=utf-8', ...headers },
    JSON.stringify(body),
  );
}

/**
 * A body sent compressed (content-encoding: gzip, br…) is not read as if it were not: 415, as
 * for a content type the server does not take (the bytes are not UTF-8 JSON or a spreadsheet).
 */
export function assertIdentityEncoding(req: IncomingMessage): void {
  const encoding = String(req.headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  if (encoding !== '' && encoding !== 'identity')
    throw new HttpError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `不支持压缩的请求体（content-encoding: ${encoding.slice(0, 40)}）`,
    );
}

/** True when any string in a parsed JSON value holds U+0000 (PostgreSQL cannot store it). */
export function containsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 64 || value === null || typeof value !== 'object') return false;
  // Own keys walked in place: Object.entries made an array per object and one per key (33 kB
  // for the body of a 100-item setItemStatuses).
  const record = value as Record<string, unknown>;
  for (const key in record)
    if (
      Object.hasOwn(record, key) &&
      (key.includes('\u0000') || containsNul(record[key], depth + 1))
    )
      return true;
  return false;
}

/** Parses a JSON body, or a 400 that says what was wrong. */
export function parseJsonBody(text: string, contentType: string | undefined): unknown {
  if (text.trim() === '')
    throw new HttpError(400, 'BAD_REQUEST', '请求体为空：需要 JSON 格式的 GraphQL 请求');
  if (!contentType || !/^application\/(graphql-response\+)?json\s*(;|$)/i.test(contentType)) {
    throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Content-Type 必须是 application/json');
  }
  // The body is read as UTF-8 (JSON's only encoding, RFC 8259): another declared charset is
  // refused rather than misread.
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType)?.[1];
  if (charset !== undefined && !/^utf-?8$/i.test(charset))
    throw new HttpError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `请求体必须是 UTF-8 编码的 JSON，收到 charset=${charset}`,
    );
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', '请求体不是有效的 JSON');
  }
}
