import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { DomainError } from '../../domain/errors.js';
import { urlRefusal } from '../../domain/webhook-rules.js';

/**
 * A DNS look-up for a webhook's connection that refuses what the URL check refuses, on the very
 * addresses the socket then connects to. Checking the name first and letting the HTTP client
 * resolve it again left a gap: a name with a short TTL could answer a public address to the
 * check and 127.0.0.1 to the connection (DNS rebinding).
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true, verbatim: true }, (err, found) => {
      if (err) return callback(err, '', 0);
      const addresses = found as LookupAddress[];
      const refusal = urlRefusal(
        hostname,
        addresses.map((a) => a.address),
        allowPrivate,
      );
      if (refusal) {
        const error = new DomainError('INVALID_INPUT', refusal, ['url']);
        return callback(error as unknown as NodeJS.ErrnoException, '', 0);
      }
      if (options.all) return (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

export interface WebhookPost {
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly timeoutMs: number;
  readonly allowPrivate: boolean;
}

/**
 * POSTs a delivery and resolves with the response's status (its body is not read). Redirects
 * are not followed: one could lead anywhere the URL check refused. An address literal in the
 * URL was checked with the URL; a name is checked as it resolves.
 */
export function postWebhook(url: URL, post: WebhookPost): Promise<number> {
  const options: RequestOptions = {
    method: 'POST',
    headers: { ...post.headers, 'content-length': Buffer.byteLength(post.body) },
    lookup: guardedLookup(post.allowPrivate),
    signal: AbortSignal.timeout(post.timeoutMs),
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, options, (res) => {
      res.resume(); // drain and drop the body
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (err: Error) =>
      reject(
        // The attempt log shows this message: the timeout's own ("The operation was aborted")
        // says neither what nor how long.
        err.name === 'TimeoutError' || err.name === 'AbortError'
          ? new Error(`端点 ${post.timeoutMs / 1000} 秒内未应答`)
          : err,
      ),
    );
    req.end(post.body);
  });
}
