import type { IncomingMessage } from 'node:http';

/**
 * Checks on a request's envelope before any route runs: its Host header, its path, and how a
 * request the client abandoned is told apart from a server fault.
 */

/** True for a Host header that names this machine: localhost, 127.x.x.x or [::1], any port. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined) return false;
  const match = /^(\[[^\]]*\]|[^:]*)(?::\d{1,5})?$/.exec(host.trim().toLowerCase());
  if (!match) return false;
  const name = match[1]!;
  return name === 'localhost' || name === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

/**
 * Why an anonymous request may not be served under its Host, or null. On a server whose
 * anonymous reads are on only because it listens on loopback, a page on another site can point
 * its own host name at 127.0.0.1 (DNS rebinding) and read through the visitor's browser; its
 * requests carry that foreign Host, so only loopback names are served there without a token.
 */
export function anonymousHostProblem(
  req: IncomingMessage,
  hosts: 'loopback' | 'any',
): string | null {
  if (hosts === 'any' || isLoopbackHost(req.headers.host)) return null;
  return '匿名读取只接受本机地址（localhost、127.0.0.1、[::1]）作为 Host；其他地址需要 API 令牌（Authorization: Bearer …）';
}

/**
 * Why an anonymous WebSocket may not be opened from the page that asks, or null. Browsers let
 * any page open a WebSocket to any address, with no CORS check, but they always send the page's
 * Origin: on a server whose anonymous reads are on only because it listens on loopback, another
 * site's page in the local user's browser would otherwise read live events anonymously. Only
 * the server's own pages (Origin host = Host) and clients that send no Origin (not browsers)
 * are served there without a token.
 */
export function anonymousOriginProblem(
  req: IncomingMessage,
  hosts: 'loopback' | 'any',
): string | null {
  const origin = req.headers.origin;
  if (hosts === 'any' || origin === undefined) return null;
  let host: string | null = null;
  try {
    host = new URL(origin).host;
  } catch {
    // "null" (a sandboxed page, a file) or garbage: not this server's page.
  }
  if (host !== null && host === req.headers.host?.trim().toLowerCase()) return null;
  return '匿名实时连接只接受本服务器页面发起的连接（Origin 与 Host 相同）；其他页面需要 API 令牌';
}

/** HTTP/1.1 requires a Host header (RFC 9112 §3.2); Node's own refusal has no JSON body. */
export function missingHostProblem(req: IncomingMessage): string | null {
  const needsHost = req.httpVersionMajor > 1 || req.httpVersionMinor >= 1;
  return needsHost && !req.headers.host ? '缺少 Host 请求头' : null;
}

/** What a route reads of the request's URL. */
export type RequestTarget = Pick<URL, 'pathname' | 'search' | 'searchParams'>;

/**
 * A path the URL parser hands back unchanged, with no query: letters, digits, `_`, `-` and
 * single slashes (no dot segments, escapes or backslashes, which the parser rewrites).
 */
const PLAIN_PATH = /^(?:\/[A-Za-z0-9_-]+)+\/?$|^\/$/;

/**
 * The request's URL with its path as sent: `//graphql` stays `//graphql` (the URL parser would
 * read it as a host name and leave the path `/`). Paths are not normalised: one address per route.
 * The parser would resolve `/x/../metrics`, `/%2e%2e/metrics` and backslashes to `/metrics`, and
 * a proxy that refuses `/metrics` by name would let them through; so the path is the target up
 * to its first `?` or `#`, and the parser reads only the query.
 * A plain path (`/graphql`) is taken as it is: parsing a URL costs a few microseconds, a share
 * of a small request's whole cost (S1), and gives the same path and an empty query.
 */
export function requestUrl(req: IncomingMessage): RequestTarget {
  const target = req.url ?? '/';
  if (PLAIN_PATH.test(target)) return new PlainTarget(target);
  // Absolute form (`GET http://host/livez`): the path is what follows the authority.
  const origin = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/.exec(target)?.[0];
  if (origin === undefined && !target.startsWith('/')) return new URL(target, 'http://localhost/');
  const rest = origin === undefined ? target : target.slice(origin.length);
  const end = rest.search(/[?#]/);
  const path = end < 0 ? rest : rest.slice(0, end);
  const url = new URL(`http://localhost/${end < 0 ? '' : rest.slice(end)}`);
  return { pathname: path === '' ? '/' : path, search: url.search, searchParams: url.searchParams };
}

/** A plain path's URL: no query (its parameters made only when asked for). */
class PlainTarget implements RequestTarget {
  readonly search = '';
  #params: URLSearchParams | undefined;
  constructor(readonly pathname: string) {}
  get searchParams(): URLSearchParams {
    return (this.#params ??= new URLSearchParams());
  }
}

const ABORT_CODES = new Set(['ECONNRESET', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE']);

/** True when a request failed because its client went away (not a fault of the server). */
export function isClientAbort(err: unknown, req: IncomingMessage): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return (
    (typeof code === 'string' && ABORT_CODES.has(code)) ||
    (err instanceof Error && err.message === 'aborted' && !req.complete)
  );
}
