import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { DomainError } from '../../domain/errors.js';
import { urlRefusal } from '../../domain/webhook-rules.js';

/**
 * Checks a webhook URL: http(s), no credentials, and every address its host resolves to allowed
 * (domain/webhook-rules.ts). Checked when an endpoint is saved and again before each attempt,
 * so a name that later resolves to a metadata address is refused then (DNS rebinding).
 */
export async function checkWebhookUrl(raw: string, allowPrivate: boolean): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DomainError('INVALID_INPUT', 'URL 无效', ['url']);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new DomainError('INVALID_INPUT', 'URL 只能是 http 或 https', ['url']);
  if (url.username || url.password)
    throw new DomainError('INVALID_INPUT', 'URL 不能包含用户名或密码', ['url']);
  if (raw.length > 2000) throw new DomainError('INVALID_INPUT', 'URL 太长', ['url']);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch {
      addresses = [];
    }
  }
  const refusal = urlRefusal(host, addresses, allowPrivate);
  if (refusal) throw new DomainError('INVALID_INPUT', refusal, ['url']);
  return url;
}
