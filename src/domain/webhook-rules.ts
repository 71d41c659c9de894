import { DomainError } from './errors.js';

/** What an endpoint can subscribe to. `webhook.test` is sent by sendTestWebhook only. */
export const WEBHOOK_EVENTS = ['figure.changed', 'item.changed'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number] | 'webhook.test';

/** Attempts per message before it is given up (about a day with a 10 s first pause). */
export const MAX_ATTEMPTS = 14;

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

export type AddressKind = 'public' | 'private' | 'loopback' | 'link-local' | 'unspecified';

const v4 = (a: string) => a.split('.').map(Number);

/** What kind of address an IP is (IPv4, IPv6, IPv4-mapped IPv6). */
export function addressKind(ip: string): AddressKind {
  const lower = ip.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped) return addressKind(mapped[1]!);
  if (/^\d+\.\d+\.\d+\.\d+$/.test(lower)) {
    const [a, b] = v4(lower) as [number, number];
    if (a === 0) return 'unspecified';
    if (a === 127) return 'loopback';
    if (a === 169 && b === 254) return 'link-local'; // cloud metadata lives here
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
    if (a === 100 && b >= 64 && b <= 127) return 'private'; // carrier-grade NAT
    return 'public';
  }
  if (lower === '::') return 'unspecified';
  if (lower === '::1') return 'loopback';
  if (/^fe[89ab]/.test(lower)) return 'link-local';
  if (/^f[cd]/.test(lower)) return 'private'; // unique local (AWS's fd00:ec2::254 metadata too)
  return 'public';
}

/** Host names that name a metadata service whatever they resolve to. */
const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata', 'instance-data']);

/**
 * Whether a webhook may go to these addresses: never link-local or unspecified (metadata
 * services), loopback and private only when the operator allows them. The message says why not.
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
    if (kind === 'link-local' || kind === 'unspecified')
      return `不能发往链路本地或元数据地址（${ip}）`;
    if ((kind === 'loopback' || kind === 'private') && !allowPrivate)
      return `不能发往本机或内网地址（${ip}）；运维可设 JINDU_WEBHOOK_ALLOW_PRIVATE=true`;
  }
  return null;
}
