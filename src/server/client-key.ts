import type { IncomingMessage } from 'node:http';
import type { Principal } from '../domain/access.js';

/**
 * Whose limits a request spends: its token, or without one the address it comes from. The HTTP
 * rate limit and the WebSocket's subscribe share buckets by this key (and the subscription
 * counts use it), so it is made here only.
 */
export function clientKeyOf(principal: Principal, req: IncomingMessage): string {
  return principal.kind === 'token'
    ? `token:${principal.tokenId}`
    : `ip:${req.socket.remoteAddress ?? '?'}`;
}
