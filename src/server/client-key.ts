import { isIPv4, isIPv6 } from 'node:net';
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
    : `ip:${addressKey(req.socket.remoteAddress ?? '?')}`;
}

/**
 * The part of an address one client controls, as a key: any local process may send from any of
 * 127.0.0.0/8, and one IPv6 host is given a whole /64, so an address alone let a client take a
 * fresh bucket for every request. Loopback is one key; an IPv6 address is its /64; an IPv4
 * address (also written ::ffff:a.b.c.d) is itself.
 */
export function addressKey(address: string): string {
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIPv4(v4)) return v4.startsWith('127.') ? 'loopback' : v4;
  if (!isIPv6(address)) return address;
  const groups = expandIPv6(address.split('%')[0]!);
  if (groups.every((g, i) => g === (i === 7 ? 1 : 0))) return 'loopback'; // ::1
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address (`::` expanded). */
function expandIPv6(address: string): number[] {
  const [head, tail] = address.includes('::') ? address.split('::') : [address, null];
  const parse = (part: string | null | undefined) =>
    part ? part.split(':').map((g) => Number.parseInt(g, 16)) : [];
  const left = parse(head);
  const right = parse(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}
