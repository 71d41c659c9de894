import type { IncomingMessage } from 'node:http';
import type { Principal } from '../domain/access.js';
import type { Em } from '../db/em.js';
import type { TokenCache } from '../services/token-cache.js';
import { authenticateToken } from '../services/tokens.js';
import { HttpError } from './http-json.js';
import { anonymousHostProblem, anonymousOriginProblem } from './request-guards.js';

const FAILURES = {
  malformed: '令牌格式无效',
  unknown: '令牌无效',
  expired: '令牌已过期',
  revoked: '令牌已吊销',
} as const;

/**
 * The principal of a request: its bearer token's, or anonymous. Bad tokens and anonymous
 * requests where anonymous reads are off are 401 UNAUTHENTICATED. The token never leaves here.
 */
export async function authenticateRequest(
  req: IncomingMessage,
  em: () => Em,
  anonymousRead: boolean,
  anonymousHosts: 'loopback' | 'any' = 'any',
  kept?: TokenCache,
): Promise<Principal> {
  // Node keeps the first of several Authorization headers; a proxy may read the last. Two are
  // refused rather than either one taken, and an empty one is a malformed token, not anonymity.
  if ((req.headersDistinct?.authorization?.length ?? 0) > 1)
    throw new HttpError(401, 'UNAUTHENTICATED', 'Authorization 头只能有一个');
  const header = req.headers.authorization;
  if (header === undefined) {
    if (!anonymousRead)
      throw new HttpError(401, 'UNAUTHENTICATED', '需要 API 令牌（Authorization: Bearer …）');
    const foreignHost = anonymousHostProblem(req, anonymousHosts);
    if (foreignHost) throw new HttpError(401, 'UNAUTHENTICATED', foreignHost);
    return { kind: 'anonymous', canRead: true };
  }
  const match = /^Bearer ([^\s]+)$/i.exec(header.trim());
  if (!match) throw new HttpError(401, 'UNAUTHENTICATED', 'Authorization 头应为 “Bearer 令牌”');
  const result = await authenticateToken(em, match[1]!, kept);
  if (typeof result === 'string') throw new HttpError(401, 'UNAUTHENTICATED', FAILURES[result]);
  return result;
}

/**
 * The principal of a WebSocket (graphql-ws, its token from connection_init): as a request's,
 * and anonymous only when opened by this server's own pages or by a client that is not a browser.
 */
export async function authenticateSocket(
  req: IncomingMessage,
  em: () => Em,
  anonymousRead: boolean,
  anonymousHosts: 'loopback' | 'any' = 'any',
  kept?: TokenCache,
): Promise<Principal> {
  const principal = await authenticateRequest(req, em, anonymousRead, anonymousHosts, kept);
  const foreignPage =
    principal.kind === 'anonymous' ? anonymousOriginProblem(req, anonymousHosts) : null;
  if (foreignPage) throw new HttpError(401, 'UNAUTHENTICATED', foreignPage);
  return principal;
}
