import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRAIN_BYTES, DRAIN_MS, DRAIN_QUIET_MS } from '../../src/server/body-drain.js';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.js';
import { statusCodes } from '../helpers/raw-http.js';

/**
 * A body the server refuses, as a client on a socket sees it. Most clients (fetch, HTTP
 * libraries) write the whole body before they read; a server that closes with the body unread
 * sends a TCP reset, and the client reads that instead of the refusal.
 */

const MB = 1024 * 1024;

interface Exchange {
  /** All the server sent, as text. */
  readonly raw: string;
  /** How the connection ended: the server's FIN, or an error such as ECONNRESET. */
  readonly ended: 'end' | string;
  /** Body bytes the client wrote before it stopped. */
  readonly written: number;
}

/**
 * Writes `head`, then `size` bytes of body in 64 kB pieces (waiting whenever the socket is
 * full), then `after`; reads until the connection ends. The body is written whole before
 * anything is read, as fetch does. `chunked` frames the body as chunks and never ends it.
 */
function send(
  port: number,
  head: string,
  size: number,
  options: { after?: string; chunked?: boolean; pieceDelayMs?: number } = {},
): Promise<Exchange> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let written = 0;
    let open = true;
    const socket: Socket = connect(port, '127.0.0.1', async () => {
      socket.write(head);
      const piece = Buffer.alloc(64 * 1024, 'x');
      const framed = options.chunked
        ? Buffer.concat([
            Buffer.from(`${piece.length.toString(16)}\r\n`),
            piece,
            Buffer.from('\r\n'),
          ])
        : piece;
      while (open && written < size) {
        const part = options.chunked
          ? framed
          : piece.subarray(0, Math.min(piece.length, size - written));
        written += options.chunked ? piece.length : part.length;
        if (!socket.write(part))
          await new Promise<void>((r) => {
            // Both listeners go once either fires: a 'close' left per wait piled up on the socket.
            const go = () => {
              socket.off('drain', go);
              socket.off('close', go);
              r();
            };
            socket.on('drain', go);
            socket.on('close', go);
          });
        if (options.pieceDelayMs) await new Promise((r) => setTimeout(r, options.pieceDelayMs));
      }
      if (open && options.after) socket.write(options.after);
    });
    const done = (ended: string) => {
      if (!open) return;
      open = false;
      resolve({ raw: Buffer.concat(parts).toString('utf8'), ended, written });
    };
    socket.on('data', (c: Buffer) => parts.push(c));
    socket.on('end', () => done('end'));
    socket.on('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
    socket.on('close', () => done('close'));
  });
}

/** The JSON error code of the first answer in `raw` that has a body. */
const firstCode = (raw: string) => {
  const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
  const json = body.slice(0, body.indexOf('}]}') + 3);
  return JSON.parse(json).errors[0].extensions.code as string;
};

describe('refused bodies on the wire', () => {
  let app: HttpTestApp;
  let port: number;

  beforeAll(async () => {
    app = await startHttpApp('sqlite');
    port = Number(new URL(app.url).port);
  });
  afterAll(() => app?.close());

  const graphqlHead = (length: number | 'chunked', extra = '') =>
    `POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n${
      length === 'chunked' ? 'transfer-encoding: chunked' : `content-length: ${length}`
    }\r\n${extra}\r\n`;
  const typename = '{"query":"{ __typename }"}';
  const typenameRequest = `${graphqlHead(typename.length, 'connection: close\r\n')}${typename}`;

  it('a GraphQL body of 40 MB, written whole before reading, gets its 413, and the connection serves the next request', async () => {
    // Each try was a reset about as often as not, before the body was read to its end.
    for (let i = 0; i < 3; i++) {
      const { raw, ended } = await send(port, graphqlHead(40 * MB), 40 * MB, {
        after: typenameRequest,
      });
      expect(ended).toBe('end');
      expect(statusCodes(raw)).toEqual([413, 200]);
      expect(firstCode(raw)).toBe('PAYLOAD_TOO_LARGE');
      expect(raw).toContain('"__typename":"Query"');
    }
  });

  it('a client that asks to close gets its 413 too: the body is read before the connection ends', async () => {
    for (let i = 0; i < 3; i++) {
      const { raw, ended } = await send(
        port,
        graphqlHead(40 * MB, 'connection: close\r\n'),
        40 * MB,
      );
      expect(ended).toBe('end');
      expect(statusCodes(raw)).toEqual([413]);
      expect(firstCode(raw)).toBe('PAYLOAD_TOO_LARGE');
    }
  });

  it('any refusal of a body not read, not only a 413, reaches a client that asks to close', async () => {
    // A path that does not exist, a method a path does not take, a request without Host:
    // answered before the body is read, as a 413 is.
    const cases: [string, number, string][] = [
      [`POST /nope HTTP/1.1\r\nhost: 127.0.0.1\r\n`, 404, 'NOT_FOUND'],
      [`PUT /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\n`, 405, 'METHOD_NOT_ALLOWED'],
      [`POST /livez HTTP/1.1\r\nhost: 127.0.0.1\r\n`, 405, 'METHOD_NOT_ALLOWED'],
      [`POST /graphql HTTP/1.1\r\n`, 400, 'BAD_REQUEST'],
    ];
    for (const [start, status, code] of cases)
      for (let i = 0; i < 3; i++) {
        const head = `${start}content-type: application/json\r\ncontent-length: ${40 * MB}\r\nconnection: close\r\n\r\n`;
        const { raw, ended } = await send(port, head, 40 * MB);
        expect(ended, start).toBe('end');
        expect(statusCodes(raw), start).toEqual([status]);
        expect(firstCode(raw), start).toBe(code);
      }
  });

  it('a client that asks to close and stops sending midway hears its 413 once the body stops coming', async () => {
    const started = Date.now();
    const { raw, ended } = await send(
      port,
      `${graphqlHead(200_000, 'connection: close\r\n')}${typename}`,
      0,
    );
    expect(ended).toBe('end');
    expect(statusCodes(raw)).toEqual([413]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(DRAIN_QUIET_MS - 50);
    expect(Date.now() - started).toBeLessThan(DRAIN_MS);
  });

  it('a client that asks to close and trickles its body past the drain time still hears its 413', async () => {
    // The drain before the answer ended at its bound by cutting the connection: no answer.
    const started = Date.now();
    const { raw } = await send(port, graphqlHead('chunked', 'connection: close\r\n'), DRAIN_BYTES, {
      chunked: true,
      pieceDelayMs: DRAIN_QUIET_MS / 5,
    });
    expect(statusCodes(raw)).toEqual([413]);
    expect(firstCode(raw)).toBe('PAYLOAD_TOO_LARGE');
    expect(Date.now() - started).toBeGreaterThanOrEqual(DRAIN_MS - 100);
    expect(Date.now() - started).toBeLessThan(DRAIN_MS + 2_000);
  });

  it('an upload of 40 MB gets its 413, whether its length is announced or not', async () => {
    const head = (framing: string) =>
      `POST /api/import?initiative=hive&file=big.csv HTTP/1.1\r\nhost: 127.0.0.1\r\n` +
      `authorization: Bearer ${app.adminToken}\r\n${framing}\r\nconnection: close\r\n\r\n`;
    const announced = await send(port, head(`content-length: ${40 * MB}`), 40 * MB);
    expect(announced.ended).toBe('end');
    expect(statusCodes(announced.raw)).toEqual([413]);
    expect(firstCode(announced.raw)).toBe('PAYLOAD_TOO_LARGE');
    // Read past 10 MB, then refused: the route stopped reading midway. An async iterator left
    // there destroyed the socket before the refusal was written.
    const chunked = await send(port, head('transfer-encoding: chunked'), 40 * MB, {
      chunked: true,
      after: '0\r\n\r\n',
    });
    expect(chunked.ended).toBe('end');
    expect(statusCodes(chunked.raw)).toEqual([413]);
    expect(firstCode(chunked.raw)).toBe('PAYLOAD_TOO_LARGE');
  });

  it('a refused body that never ends is read up to the bound, then the connection is cut', async () => {
    const started = Date.now();
    const { raw, written } = await send(port, graphqlHead('chunked'), 4 * DRAIN_BYTES, {
      chunked: true,
    });
    expect(statusCodes(raw)).toEqual([413]);
    // Cut once DRAIN_BYTES past the limit were dropped (socket buffers hold a few MB more).
    expect(written).toBeGreaterThan(DRAIN_BYTES);
    expect(written).toBeLessThan(DRAIN_BYTES + 32 * MB);
    expect(Date.now() - started).toBeLessThan(DRAIN_MS);
  });

  it('a refused body that trickles is cut after the drain time', async () => {
    const started = Date.now();
    const { raw, written } = await send(port, graphqlHead('chunked'), DRAIN_BYTES, {
      chunked: true,
      pieceDelayMs: 50,
    });
    expect(statusCodes(raw)).toEqual([413]);
    expect(written).toBeLessThan(DRAIN_BYTES / 2);
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(DRAIN_MS - 100);
    expect(took).toBeLessThan(DRAIN_MS + 5_000);
  });

  describe('while a refused body is dropped', () => {
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const chunk = (text: string) => `${text.length.toString(16)}\r\n${text}\r\n`;
    /** Runs `script` on a connection; resolves with all the server sent once it ends it. */
    const session = (script: (socket: Socket) => Promise<void>) =>
      new Promise<string>((resolve) => {
        const parts: Buffer[] = [];
        const socket = connect(port, '127.0.0.1', () => void script(socket).catch(() => {}));
        socket.on('data', (c: Buffer) => parts.push(c));
        socket.on('close', () => resolve(Buffer.concat(parts).toString('utf8')));
        socket.on('error', () => {});
      });
    /**
     * Node checks the requests' deadlines every 30 s: the check is run here by hand. Both
     * timeouts are set, since Node swaps them when the headers' is the longer.
     */
    const withRequestTimeout = async (ms: number, body: (check: () => void) => Promise<void>) => {
      const { server } = app;
      const before = { headers: server.headersTimeout, request: server.requestTimeout };
      server.headersTimeout = ms;
      server.requestTimeout = ms;
      const interval = Object.getOwnPropertySymbols(server).find(
        (s) => s.description === 'http.server.connectionsCheckingInterval',
      )!;
      const check = () => (server as any)[interval]._onTimeout();
      try {
        await body(check);
      } finally {
        server.headersTimeout = before.headers;
        server.requestTimeout = before.request;
      }
    };

    it('a body that cannot be parsed after the 413 ends the connection with no second answer', async () => {
      // The server wrote a 400 after the 413, as if to a request of its own.
      const raw = await session(async (socket) => {
        socket.write(graphqlHead('chunked') + chunk('x'.repeat(101 * 1024)));
        await sleep(200);
        socket.write('zz\r\n');
      });
      expect(statusCodes(raw)).toEqual([413]);
    });

    it('a request timeout met while the body is dropped is not a second answer', async () => {
      // Kept open, the server wrote a 408 after the 413; asked to close, a 408 instead of it.
      await withRequestTimeout(500, async (check) => {
        for (const close of [false, true]) {
          const raw = await session(async (socket) => {
            socket.write(
              graphqlHead('chunked', close ? 'connection: close\r\n' : '') +
                chunk('x'.repeat(101 * 1024)),
            );
            for (let i = 0; i < 8; i++) {
              await sleep(100);
              socket.write(chunk('x'));
            }
            check();
            await sleep(100);
            socket.write(`0\r\n\r\n${close ? '' : typenameRequest}`);
          });
          expect(statusCodes(raw)).toEqual(close ? [413] : [413, 200]);
          expect(firstCode(raw)).toBe('PAYLOAD_TOO_LARGE');
        }
      });
    });
  });

  describe('Expect: 100-continue', () => {
    /** Sends headers only; sends `body` once the server says 100 Continue. */
    const ask = (head: string, body: string) =>
      new Promise<string>((resolve, reject) => {
        const parts: Buffer[] = [];
        let sent = false;
        const socket = connect(port, '127.0.0.1', () => socket.write(head));
        socket.on('data', (c: Buffer) => {
          parts.push(c);
          if (
            !sent &&
            Buffer.concat(parts).toString().startsWith('HTTP/1.1 100 Continue\r\n\r\n')
          ) {
            sent = true;
            socket.write(body);
          }
        });
        socket.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
        socket.on('error', reject);
      });
    const expect100 = 'expect: 100-continue\r\n';

    it('a body too large is refused before the client sends it', async () => {
      const raw = await ask(graphqlHead(MB, expect100), 'x'.repeat(MB));
      expect(statusCodes(raw)).toEqual([413]);
      expect(raw.toLowerCase()).toContain('connection: close');
    });

    it('an upload without a token is refused before the client sends it', async () => {
      const raw = await ask(
        `POST /api/import?initiative=hive&file=a.csv HTTP/1.1\r\nhost: 127.0.0.1\r\n` +
          `content-length: 5\r\n${expect100}\r\n`,
        'a,b\r\n',
      );
      expect(statusCodes(raw)).toEqual([401]);
      expect(firstCode(raw)).toBe('UNAUTHENTICATED');
    });

    it('a request the server takes hears 100 Continue, sends its body, and is answered', async () => {
      const raw = await ask(
        graphqlHead(typename.length, `${expect100}connection: close\r\n`),
        typename,
      );
      expect(statusCodes(raw)).toEqual([100, 200]);
      expect(raw).toContain('"__typename":"Query"');
    });

    it('a request without a body is answered as any other, and its connection kept', async () => {
      // Without 100 Continue, Node closed the connection after the answer.
      const raw = await ask(
        `GET /livez HTTP/1.1\r\nhost: 127.0.0.1\r\n${expect100}\r\n` +
          `GET /livez HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n`,
        '',
      );
      expect(statusCodes(raw)).toEqual([100, 200, 200]);
    });

    it('a client that sends its body without waiting is refused as any other, and the connection kept', async () => {
      // The refusal closed the connection with the body unread: the client read a reset.
      for (let i = 0; i < 3; i++) {
        const { raw, ended } = await send(
          port,
          `POST /api/import?initiative=hive&file=a.csv HTTP/1.1\r\nhost: 127.0.0.1\r\n` +
            `content-length: ${8 * MB}\r\n${expect100}\r\n`,
          8 * MB,
          { after: typenameRequest },
        );
        expect(ended).toBe('end');
        expect(statusCodes(raw)).toEqual([100, 401, 200]);
      }
    });
  });
});
