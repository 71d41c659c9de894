import { DomainError } from './errors.js';

/** What an endpoint can subscribe to. `webhook.test` is sent by sendTestWebhook only. */
export const WEBHOOK_EVENTS = ['figure.changed', 'item.changed', 'initiative.changed'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number] | 'webhook.test';

/** Attempts per message before it is given up (about a day with a 10 s first pause). */
export const MAX_ATTEMPTS = 14;

/**
 * Endpoints per initiative, and endpoints for every initiative (GitHub allows 20 per event and
 * repository): each endpoint multiplies every write's deliveries, so an admin cannot make one
 * write cost thousands of requests.
 */
export const MAX_WEBHOOKS_PER_SCOPE = 20;

export function assertWebhookRoom(existing: number, initiativeKey: string | null): void {
  if (existing >= MAX_WEBHOOKS_PER_SCOPE)
    throw new DomainError(
      'TOO_MANY',
      `${initiativeKey ? `项目 ${initiativeKey}` : '所有项目'}已有 ${existing} 个 Webhook，最多 ${MAX_WEBHOOKS_PER_SCOPE} 个；请先删除不用的`,
      initiativeKey ? ['initiativeKey'] : ['url'],
    );
}

export function assertWebhookEvents(events: readonly string[]): WebhookEvent[] {
  if (events.length === 0) throw new DomainError('INVALID_INPUT', '至少订阅一种事件', ['events']);
  for (const e of events)
    if (!(WEBHOOK_EVENTS as readonly string[]).includes(e))
      throw new DomainError(
        'INVALID_INPUT',
        `未知的事件：${e}（可选 ${WEBHOOK_EVENTS.join('、')}）`,
        ['events'],
      );
  return [...new Set(events)] as WebhookEvent[];
}

/**
 * The pause before attempt `attempt + 1`: `base × 2^(attempt-1)`, capped at a day, with full
 * jitter in its upper half so many failing endpoints do not retry in step.
 */
export function retryDelayMs(attempt: number, baseMs: number, random: number): number {
  const exp = Math.min(baseMs * 2 ** Math.max(0, attempt - 1), 86_400_000);
  return Math.round(exp / 2 + (exp / 2) * random);
}

export type AddressKind =
  'public' | 'private' | 'loopback' | 'link-local' | 'unspecified' | 'reserved' | 'metadata';

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * Cloud metadata services outside link-local space, refused even where private addresses are
 * allowed: Alibaba Cloud's 100.100.100.200 (in carrier-grade NAT space), Oracle Cloud's
 * 192.0.0.192 and Azure's WireServer 168.63.129.16 (169.254.169.254, everyone else's, is
 * link-local); AWS's fd00:ec2::254 and Google Cloud's fd20:ce::254 (in unique local space).
 */
const METADATA_V4 = new Set(['100.100.100.200', '192.0.0.192', '168.63.129.16']);
const METADATA_V6 = new Set(['fd00:ec2:0:0:0:0:0:254', 'fd20:ce:0:0:0:0:0:254']);

function ipv4Kind(a: number, b: number, c: number, d: number): AddressKind {
  if (METADATA_V4.has(`${a}.${b}.${c}.${d}`)) return 'metadata';
  if (a === 0) return 'unspecified';
  if (a === 127) return 'loopback';
  if (a === 169 && b === 254) return 'link-local'; // cloud metadata lives here
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 100 && b >= 64 && b <= 127) return 'private'; // carrier-grade NAT
  // IANA's special-purpose blocks that networks use inside themselves: protocol assignments
  // (192.0.0.0/24, Oracle Cloud's metadata among them), the 6to4 relay anycast
  // (192.88.99.0/24), benchmarking (198.18.0.0/15). The documentation blocks (192.0.2.0/24,
  // 198.51.100.0/24, 203.0.113.0/24) are assigned to no host and route nowhere; they stay
  // public, the addresses examples and tests use.
  if (a === 192 && b === 0 && c === 0) return 'reserved';
  if ((a === 192 && b === 88 && c === 99) || (a === 198 && (b === 18 || b === 19)))
    return 'reserved';
  if (a >= 224) return 'reserved'; // multicast, the reserved block and broadcast
  return 'public';
}

/**
 * The eight 16-bit groups of an IPv6 address in any of its spellings (`::` compression, a
 * dotted IPv4 tail); null when it is not one.
 */
export function ipv6Groups(ip: string): number[] | null {
  let text = ip.toLowerCase().replace(/%.*$/, ''); // a zone (fe80::1%eth0) names no other address
  const tail = /:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    const m = V4.exec(tail[1]!);
    if (!m) return null;
    const [a, b, c, d] = m.slice(1).map(Number) as [number, number, number, number];
    if ([a, b, c, d].some((x) => x > 255)) return null;
    text = `${text.slice(0, -tail[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const part = (h: string) => (h === '' ? [] : h.split(':'));
  const head = part(halves[0]!);
  const rest = halves.length === 2 ? part(halves[1]!) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.map((g) => parseInt(g, 16));
}

/**
 * What kind of address an IP is. An IPv6 address that carries an IPv4 one (mapped
 * `::ffff:a.b.c.d` in any spelling, the old compatible `::a.b.c.d`, SIIT `::ffff:0:a.b.c.d`,
 * NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) is the kind of the IPv4 address it reaches: a URL
 * parser writes `[::ffff:127.0.0.1]` as `::ffff:7f00:1`, and a check that knew only the dotted
 * spelling let it through to the loopback.
 */
export function addressKind(ip: string): AddressKind {
  const v4 = V4.exec(ip);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    return [a, b, c, d].some((x) => x > 255) ? 'reserved' : ipv4Kind(a, b, c, d);
  }
  const g = ipv6Groups(ip);
  if (!g) return 'reserved'; // not an address: never a destination
  if (METADATA_V6.has(g.map((x) => x.toString(16)).join(':'))) return 'metadata';
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  /** The kind of the IPv4 address held in the groups `hi` and `lo`. */
  const embedded = (hi: number, lo: number) => ipv4Kind(hi >> 8, hi & 0xff, lo >> 8, lo & 0xff);
  if (zeros(0, 8)) return 'unspecified';
  if (zeros(0, 7) && g[7] === 1) return 'loopback';
  if (zeros(0, 5) && (g[5] === 0xffff || g[5] === 0)) return embedded(g[6]!, g[7]!); // mapped, compatible
  if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) return embedded(g[6]!, g[7]!); // SIIT
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return embedded(g[6]!, g[7]!); // NAT64
  if (g[0] === 0x64 && g[1] === 0xff9b) return 'private'; // local-use NAT64 (64:ff9b:1::/48)
  if (g[0] === 0x2002) return embedded(g[1]!, g[2]!); // 6to4
  if (g[0] === 0x2001 && g[1] === 0) return 'private'; // Teredo: its IPv4 is hidden
  // IANA's special-purpose blocks: discard-only (100::/64), the rest of the IETF protocol
  // assignments (2001::/23: benchmarking, AMT, ORCHID…). Documentation (2001:db8::/32) stays
  // public, as in IPv4.
  if (g[0] === 0x100 && zeros(1, 4)) return 'reserved';
  if (g[0] === 0x2001 && g[1]! < 0x200) return 'reserved';
  if ((g[0]! & 0xffc0) === 0xfe80) return 'link-local';
  if ((g[0]! & 0xffc0) === 0xfec0) return 'private'; // site-local, deprecated but routed inside
  if ((g[0]! & 0xfe00) === 0xfc00) return 'private'; // unique local
  if ((g[0]! & 0xff00) === 0xff00) return 'reserved'; // multicast
  return 'public';
}

/** Host names that name a metadata service whatever they resolve to. */
const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata', 'instance-data']);

/**
 * Whether a webhook may go to these addresses: never a metadata service, link-local,
 * unspecified or reserved, loopback and private only when the operator allows them. The message
 * says why not.
 */
export function urlRefusal(
  host: string,
  addresses: readonly string[],
  allowPrivate: boolean,
): string | null {
  if (METADATA_HOSTS.has(host.toLowerCase().replace(/\.$/, ''))) return '不能发往云元数据服务地址';
  if (addresses.length === 0) return '无法解析主机名';
  for (const ip of addresses) {
    const kind = addressKind(ip);
    if (kind === 'metadata') return `不能发往云元数据服务地址（${ip}）`;
    if (kind === 'link-local' || kind === 'unspecified' || kind === 'reserved')
      return `不能发往链路本地、元数据或保留地址（${ip}）`;
    if ((kind === 'loopback' || kind === 'private') && !allowPrivate)
      return `不能发往本机或内网地址（${ip}）；运维可设 JINDU_WEBHOOK_ALLOW_PRIVATE=true`;
  }
  return null;
}
