import { connect } from 'node:net';
import { excerpt, type Exchange } from './fuzz-checks.js';
import type { RawCase } from './fuzz-raw-http.js';

/** Sends raw bytes; resolves when the answer is complete, the peer closes, or time runs out. */
export function sendRaw(port: number, c: RawCase): Promise<Exchange> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const socket = connect({ port, host: '127.0.0.1' });
    const finish = (error?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const parsed = parseHttpResponse(Buffer.concat(chunks), c.head ?? false);
      resolve({
        request: `raw ${c.name}: ${JSON.stringify(
          excerpt(c.payload.toString('latin1'), 400).replace(
            /jindu_[\w-]{43}/g,
            'jindu_<admin token>',
          ),
        )}`,
        status: parsed?.status,
        headers: parsed?.headers ?? {},
        text: parsed?.body ?? '',
        error: error ?? (chunks.length ? undefined : 'closed without an answer'),
        head: c.head,
        noAnswerOk: c.noAnswerOk,
      });
    };
    const timer = setTimeout(() => finish('timed out'), c.timeoutMs ?? 5_000);
    socket.on('connect', () => {
      socket.write(c.payload, () => {
        if (c.halfClose) socket.end();
      });
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (parseHttpResponse(Buffer.concat(chunks), c.head ?? false)?.complete) finish();
    });
    socket.on('end', () => finish());
    socket.on('close', () => finish());
    socket.on('error', (err: NodeJS.ErrnoException) => finish(err.code ?? err.message));
  });
}

/** The first final (non-1xx) response in `buf`, and whether all of it has arrived. */
function parseHttpResponse(buf: Buffer, head: boolean) {
  let rest = buf;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) return null;
    const lines = rest.subarray(0, end).toString('latin1').split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1]);
    if (!status) return null;
    const bodyBytes = rest.subarray(end + 4);
    if (status < 200) {
      rest = bodyBytes;
      continue;
    }
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon > 0)
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    if (head || status === 204 || status === 304)
      return { status, headers, body: '', complete: true };
    if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
      const parts: Buffer[] = [];
      let at = 0;
      for (;;) {
        const lineEnd = bodyBytes.indexOf('\r\n', at);
        if (lineEnd < 0) break;
        const size = parseInt(bodyBytes.subarray(at, lineEnd).toString('latin1'), 16);
        if (Number.isNaN(size)) break;
        if (size === 0)
          return { status, headers, body: Buffer.concat(parts).toString('utf8'), complete: true };
        if (bodyBytes.length < lineEnd + 2 + size) break;
        parts.push(bodyBytes.subarray(lineEnd + 2, lineEnd + 2 + size));
        at = lineEnd + 2 + size + 2;
      }
      return { status, headers, body: Buffer.concat(parts).toString('utf8'), complete: false };
    }
    const length = headers['content-length'];
    if (length !== undefined) {
      const n = Number(length);
      return {
        status,
        headers,
        body: bodyBytes.subarray(0, n).toString('utf8'),
        complete: bodyBytes.length >= n,
      };
    }
    return { status, headers, body: bodyBytes.toString('utf8'), complete: false };
  }
}
