import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import fresh from 'fresh';
import Negotiator from 'negotiator';
import { sendBody } from './http-json.js';

export type Coding = 'br' | 'gzip';
type Sent = { readonly body: Buffer; readonly etag: string };

/** A strong ETag of a body: the first 22 characters of its SHA-256, base64url. */
export function etagOf(body: Uint8Array): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
}

// Brotli before gzip when a client weighs them alike (browsers list gzip first).
const CODINGS = ['br', 'gzip', 'identity'] as const;

/**
 * The coding a request's `Accept-Encoding` takes best (RFC 9110, 12.5.3: weights, `*`,
 * `identity;q=0`), brotli winning a tie. With no header, or when neither coding is acceptable,
 * the body goes as it is: a client that refuses even that still gets a readable answer.
 */
export function chooseCoding(req: { headers: IncomingMessage['headers'] }): Coding | 'identity' {
  const chosen = new Negotiator(req).encoding(CODINGS, { preferred: CODINGS });
  return chosen === 'br' || chosen === 'gzip' ? chosen : 'identity';
}

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);
/**
 * Brotli's best quality costs about 1 s a megabyte: fine for the dashboard's files (tens of
 * kilobytes, once), not for GraphiQL's 9 MB page, which quality 5 packs to 21% in 0.2–0.35 s.
 */
const LARGE = 1 << 20;

function compress(body: Buffer, coding: Coding): Promise<Buffer> {
  if (coding === 'gzip') return gzipped(body, { level: 9 });
  return brotli(body, {
    params: {
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_QUALITY]: body.length > LARGE ? 5 : 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  });
}

/**
 * A page or file the client may keep, with its ETag, and, for text, its body compressed with
 * brotli and gzip. Each coding is made on the first request that takes it, on libuv's thread
 * pool (the event loop is not held), then kept: a file is compressed once per process, never per
 * request. Each coding is its own representation with its own ETag, so a cache never hands a
 * gzip body to a client that asked for brotli.
 */
export class CacheableFile {
  readonly etag: string;
  private readonly codings = new Map<Coding, Promise<Sent | null>>();

  constructor(
    readonly body: Buffer,
    /** Text, worth compressing; images and archives are compressed already. */
    readonly compressible: boolean,
  ) {
    this.etag = etagOf(body);
  }

  /** The body in `coding`, or null when that would not be smaller (or compressing failed). */
  coded(coding: Coding): Promise<Sent | null> {
    let made = this.codings.get(coding);
    if (!made) {
      made = compress(this.body, coding).then(
        (body) =>
          body.length < this.body.length
            ? { body, etag: `${this.etag.slice(0, -1)}-${coding === 'br' ? 'br' : 'gz'}"` }
            : null,
        () => null,
      );
      this.codings.set(coding, made);
    }
    return made;
  }
}

/**
 * Sends a kept file: in the coding the client takes best, with that representation's ETag, and
 * a 304 with no body when the client's copy is current, so a reload costs headers, not the body.
 * `If-None-Match` is compared as RFC 9110 says (a list, `*`, a weak `W/` tag from a proxy that
 * changed the body's framing); a reload that asks past caches (`Cache-Control: no-cache`) gets
 * the body. `Vary: Accept-Encoding` tells caches that the body depends on it.
 */
export async function sendCacheable(
  req: IncomingMessage,
  res: ServerResponse,
  headers: Record<string, string | number>,
  file: CacheableFile,
): Promise<void> {
  const coding = file.compressible ? chooseCoding(req) : 'identity';
  const coded = coding === 'identity' ? null : await file.coded(coding);
  const sent: Sent = coded ?? file;
  const withTag: Record<string, string | number> = { ...headers, etag: sent.etag };
  if (file.compressible) withTag.vary = 'accept-encoding';
  if (coded) withTag['content-encoding'] = coding;
  if (fresh(req.headers, { etag: sent.etag })) {
    res.writeHead(304, withTag);
    return void res.end();
  }
  sendBody(res, 200, withTag, sent.body);
}
