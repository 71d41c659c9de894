import { HeaderMap } from '@apollo/server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  addVary,
  containsNul,
  HttpError,
  parseJsonBody,
  sendBody,
  sendJsonError,
} from './http-json.js';
import type { HttpDeps } from './http-deps.js';
import { readBody } from './request-body.js';
import { LIMITS, tokenLimitError } from './limits.js';
import type { RequestTarget } from './request-guards.js';

/** A GET parameter's JSON (variables, extensions), or the text itself when it is not JSON. */
function parseOrSelf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** /graphql by GET or POST: checked, run by Apollo within the request's deadline, answered. */
export async function graphql(
  req: IncomingMessage,
  res: ServerResponse,
  url: RequestTarget,
  deps: HttpDeps,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'POST') {
    return sendJsonError(res, 405, 'METHOD_NOT_ALLOWED', '只支持 GET 和 POST', {
      allow: 'GET, POST',
    });
  }
  const body =
    req.method === 'POST'
      ? parseJsonBody(await readBody(req), req.headers['content-type'])
      : undefined;
  const query =
    body !== null && typeof body === 'object'
      ? (body as { query?: unknown }).query
      : url.searchParams.get('query');
  if (
    containsNul(body) ||
    (url.search !== '' && [...url.searchParams.values()].some((v) => containsNul(parseOrSelf(v))))
  ) {
    return sendJsonError(res, 400, 'BAD_REQUEST', '请求不能包含 NUL 字符（U+0000）');
  }
  const tooLarge = tokenLimitError(query);
  if (tooLarge)
    return sendJsonError(res, 400, 'QUERY_TOO_LARGE', tooLarge, {}, { limit: LIMITS.tokens });
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new HttpError(
            503,
            'TIMEOUT',
            `请求超过 ${deps.requestTimeoutMs / 1000} 秒未完成；写操作可能已生效，请带同一 idempotencyKey 重试`,
          ),
        ),
      deps.requestTimeoutMs,
    );
  });
  const method = req.method;
  const result = await Promise.race([
    // The token check reads the database: it runs inside the deadline too.
    deps.authenticate(req).then((principal) =>
      deps.apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method, headers, search: url.search, body },
        context: async () => deps.context(principal, req),
      }),
    ),
    timeout,
  ]).finally(() => clearTimeout(timer));
  const status = result.status ?? 200;
  const contentType = result.headers.get('content-type') ?? '';
  if (result.body.kind !== 'complete') {
    res.writeHead(status, Object.fromEntries(result.headers));
    for await (const chunk of result.body.asyncIterator) res.write(chunk);
    return void res.end();
  }
  // Apollo refuses a mutation sent by GET with 405: the same code and header as any other
  // method this path does not take, rather than its BAD_REQUEST.
  if (status === 405)
    return sendJsonError(res, 405, 'METHOD_NOT_ALLOWED', '只能用 POST 执行 mutation', {
      allow: 'POST',
    });
  if (status >= 400 && !contentType.includes('json')) {
    // Apollo answers some protocol errors in plain text; clients get the same JSON shape always.
    return sendJsonError(res, status, 'BAD_REQUEST', result.body.string.trim());
  }
  const durable = deps.durable?.();
  if (durable) await durable;
  // Apollo types its answer by Accept (application/graphql-response+json or JSON).
  addVary(res, 'Accept');
  sendBody(
    res,
    status,
    Object.fromEntries(result.headers),
    deps.answerBytes?.(result.body.string) ?? result.body.string,
  );
}
