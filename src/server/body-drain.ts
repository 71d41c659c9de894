import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Requests whose client waits for `100 Continue` before it sends its body, with their answer and
 * whether their connection could have stayed open. Node sends `100 Continue` as soon as it has
 * read the headers, before any check: a client then sent a 40 MB body only to be refused (413,
 * 401). Here the interim answer goes out when a route starts to read the body; an answer given
 * before that closes the connection, since the client may or may not send what it announced.
 */
const continueOwed = new WeakMap<IncomingMessage, { res: ServerResponse; keepAlive: boolean }>();

/** Called for a request with `Expect: 100-continue` (the server's `checkContinue` event). */
export function awaitContinue(req: IncomingMessage, res: ServerResponse): void {
  const body =
    req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length']) > 0;
  // Nothing to wait for: the interim answer goes out at once, as Node sends it, since Node closes
  // the connection after a final answer given to an `Expect` without one.
  if (!body) return void res.writeContinue();
  continueOwed.set(req, { res, keepAlive: res.shouldKeepAlive });
  res.shouldKeepAlive = false;
}

/** Sends the `100 Continue` a client waits for, if it waits: the body is about to be read. */
export function beginBody(req: IncomingMessage): void {
  const owed = continueOwed.get(req);
  if (owed === undefined) return;
  continueOwed.delete(req);
  owed.res.shouldKeepAlive = owed.keepAlive;
  owed.res.writeContinue();
}

/**
 * How much of a refused body is read and dropped, at most, and for how long, before the
 * connection is cut. A client that sends its whole body before it reads (fetch, most HTTP
 * libraries) gets a TCP reset instead of the answer when the server closes with its body
 * unread; read to its end, the refusal reaches it. The bounds keep a body that never ends from
 * holding the connection: an upload refused at 10 MB (sheets) or 100 kB (GraphQL) is read to its
 * end up to 64 MB.
 */
export const DRAIN_BYTES = 64 * 1024 * 1024;
export const DRAIN_MS = 5_000;

/** True when the body announced is past what a refusal reads: the answer closes at once. */
export function tooLargeToDrain(req: IncomingMessage): boolean {
  return Number(req.headers['content-length']) > DRAIN_BYTES;
}

/** How long a refused body may pause before the server takes it to have stopped coming. */
export const DRAIN_QUIET_MS = 500;

/** The drain of each request whose body is being dropped: a request is drained once. */
const drains = new WeakMap<IncomingMessage, Promise<void>>();

/**
 * Connections whose current request's refused body is being read and dropped, and whether its
 * answer is out (or going out) already. The server's `clientError` reads it: a request timeout
 * or a body that cannot be parsed, met during a drain, must not get an answer of its own
 * written after the refusal's.
 */
const draining = new WeakMap<Duplex, { answered: boolean }>();

/** Whether a refused body is being dropped on this connection, and if its answer is out. */
export function drainOn(socket: Duplex): { readonly answered: boolean } | undefined {
  return draining.get(socket);
}

/**
 * Reads what is left of a request's body and drops it, within the bounds above; resolves when
 * the body has ended, or the connection went away, or a bound was reached, or (given `quietMs`)
 * no byte came for that long. Node reads the rest of a body no one read too, but without a
 * bound, and not a body a route began to read and paused.
 *
 * Without `quietMs` the answer is already out, and a bound reached cuts the connection. With
 * it the answer waits for the drain (beforeRefusal): a bound reached ends the wait and the
 * answer goes out (the connection closes after it), or a body that trickles past 5 s would get
 * no answer at all. Bytes that come after the drain resolved are still read and dropped until
 * the connection closes, so that it closes without a reset.
 */
export function drainUnreadBody(req: IncomingMessage, quietMs?: number): Promise<void> {
  if (req.complete || req.destroyed || continueOwed.has(req)) return Promise.resolve();
  const running = drains.get(req);
  if (running) return running;
  const drain = new Promise<void>((resolve) => {
    const socket = req.socket;
    let left = DRAIN_BYTES;
    let quiet: NodeJS.Timeout | undefined;
    let settled = false;
    const state = { answered: quietMs === undefined };
    draining.set(socket, state);
    // The answer goes out once the drain resolves (or is out already).
    const done = () => {
      state.answered = true;
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(quiet);
      resolve();
    };
    const over = () => {
      if (draining.get(socket) === state) draining.delete(socket);
      done();
    };
    const bound = () => {
      if (settled) return;
      if (quietMs !== undefined) return done();
      over();
      socket.destroy();
    };
    const timer = setTimeout(bound, DRAIN_MS);
    timer.unref();
    const waitQuiet = () => {
      if (quietMs === undefined || settled) return;
      clearTimeout(quiet);
      quiet = setTimeout(done, quietMs);
    };
    req.on('data', (chunk: Buffer) => {
      left -= chunk.length;
      if (left < 0) bound();
      else waitQuiet();
    });
    req.once('end', over);
    req.once('close', over);
    req.resume();
    waitQuiet();
  });
  drains.set(req, drain);
  return drain;
}

/**
 * Before a refusal of a request whose body is not read whole: the headers its answer needs.
 * A connection that stays open is drained after the answer (the server's `finish`). One that
 * the answer closes, because the client asked to, is drained first, until the body ends or
 * stops coming: closed with bytes unread, it would be reset, and the client would read the
 * reset rather than the answer.
 */
export async function beforeRefusal(
  req: IncomingMessage,
  res: ServerResponse,
): Promise<Record<string, string>> {
  // A client may send its body without waiting for 100 Continue (RFC 9110, 10.1.1): once bytes
  // of it are here, it is refused as any other body, not closed on with the rest unread.
  if (continueOwed.has(req) && req.readableLength > 0) beginBody(req);
  if (req.complete || continueOwed.has(req)) return {};
  if (tooLargeToDrain(req)) return { connection: 'close' };
  if (!res.shouldKeepAlive) await drainUnreadBody(req, DRAIN_QUIET_MS);
  return {};
}
