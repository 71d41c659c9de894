import type { IncomingMessage, ServerResponse } from 'node:http';
import { addVary } from './http-json.js';

/** The API's routes a page on another origin may call (the dashboard's own files are not). */
const API_PATHS = new Set(['/graphql', '/api/import', '/api/export']);

/**
 * Headers a browser may send cross-origin: the token, JSON, Apollo's CSRF and operation names,
 * and the client name and version Apollo Client sends when `clientAwareness` is set.
 */
const ALLOWED_HEADERS =
  'authorization, content-type, apollo-require-preflight, x-apollo-operation-name, apollographql-client-name, apollographql-client-version';

/**
 * Cross-origin access for the origins listed in JINDU_CORS_ORIGINS: the allow headers on their
 * requests, and a 204 to their preflight. Returns true when it answered the request itself.
 * A preflight from another origin gets a JSON 403 that says what to configure.
 */
export function handleCors(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  origins: ReadonlySet<string>,
  refuse: (message: string) => void,
): boolean {
  const origin = req.headers.origin;
  if (!API_PATHS.has(path)) return false;
  // With origins listed, every API answer depends on Origin (allowed, or not marked): a shared
  // cache must not hand one made for no Origin, or another one, to a listed page, or back.
  if (origins.size > 0) addVary(res, 'Origin');
  if (origin === undefined) return false;
  const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'];
  if (!origins.has(origin)) {
    if (!preflight) return false;
    refuse(`不允许来自 ${origin} 的跨域请求；服务器可以用 JINDU_CORS_ORIGINS 允许它`);
    return true;
  }
  res.setHeader('access-control-allow-origin', origin);
  res.setHeader('access-control-expose-headers', 'retry-after, content-disposition');
  if (!preflight) return false;
  res.writeHead(204, {
    'access-control-allow-methods': 'GET, POST',
    'access-control-allow-headers': ALLOWED_HEADERS,
    'access-control-max-age': '600',
  });
  res.end();
  return true;
}
