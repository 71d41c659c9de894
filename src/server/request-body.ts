import type { IncomingMessage } from 'node:http';
import { beginBody } from './body-drain.js';
import { assertIdentityEncoding, HttpError, MAX_BODY_BYTES } from './http-json.js';

const gone = () => Object.assign(new Error('aborted'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });

/**
 * Reads the body up to `limit` bytes (past it, `tooLarge()` without reading the rest; the
 * answer's `finish` drains it). Listens to the stream's events rather than iterating it: an
 * async iterator costs a few kilobytes of promises and closures per request, a tenth of what
 * `{ __typename }` allocates, and leaving one early destroys the socket before the refusal is
 * written.
 */
export function readBodyBytes<T = Buffer>(
  req: IncomingMessage,
  limit: number,
  tooLarge: () => HttpError,
  finish: (bytes: Buffer) => T = (bytes) => bytes as T,
): Promise<T> {
  try {
    assertIdentityEncoding(req);
  } catch (err) {
    return Promise.reject(err);
  }
  if (Number(req.headers['content-length'] ?? 0) > limit) return Promise.reject(tooLarge());
  if (req.destroyed) return Promise.reject(gone());
  beginBody(req);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      settle();
      req.pause();
      reject(tooLarge());
    };
    const onEnd = () => {
      settle();
      try {
        resolve(finish(Buffer.concat(chunks, size)));
      } catch (err) {
        reject(err);
      }
    };
    const onError = (err: Error) => {
      settle();
      reject(err);
    };
    // Closed before its end: the client went away (isClientAbort knows the code).
    const onClose = () => {
      settle();
      reject(gone());
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** A JSON request's body as text, or a 400: decoded leniently, bad bytes would become U+FFFD
 * in stored names without a word. */
function utf8(bytes: Buffer): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', '请求体不是有效的 UTF-8');
  }
}

/** Reads a JSON request's body up to the limit (past it, a 413); UTF-8 or a 400. */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  const tooLarge = () =>
    new HttpError(413, 'PAYLOAD_TOO_LARGE', `请求体超过 ${limit / 1024} kB 上限`);
  return readBodyBytes(req, limit, tooLarge, utf8);
}
