import { write as fsWrite, writeSync } from 'node:fs';

/** fs.write's shape: bytes written, or an error (EAGAIN and the like). */
export type WriteBytes = (
  fd: number,
  buffer: Buffer,
  offset: number,
  length: number,
  position: null,
  done: (err: NodeJS.ErrnoException | null, written: number) => void,
) => void;

export interface LogDestinationOptions {
  /** Lines are written once this many characters are pending (default 16,384). */
  readonly batchChars?: number;
  /** What is pending is written at least this often, in ms (default 250). */
  readonly flushMs?: number;
  /** At most this many characters wait for a file that takes none; beyond, lines are dropped. */
  readonly maxPendingChars?: number;
  /** How a flush with a callback waits at most, in ms, for a file that takes nothing (default 2,000). */
  readonly flushWaitMs?: number;
  /** How bytes reach the file (fs.write; the tests replace it). */
  readonly write?: WriteBytes;
  /** Where a line that says what went wrong with the file goes (default: stderr). */
  readonly complain?: (text: string) => void;
}

const WARN = 40;
/** A full non-blocking pipe (EAGAIN) is tried again this much later. */
const RETRY_MS = 10;
const live = new Set<LogDestination>();
let exitHooked = false;

const toStderr = (text: string) => {
  try {
    writeSync(2, text);
  } catch {
    // nowhere left to say it
  }
};

/**
 * Where the server's log lines go (pino's destination): a file descriptor, in order, in
 * writes of about 16 kB, at least every 250 ms, at once for a warning or worse (pino tells the
 * level: `pino.metadata`), and what is pending when the process exits.
 *
 * pino's own destination (sonic-boom) batched the same way at a higher price: its bookkeeping
 * per line (it measures the pending string's UTF-8 length again on every write) cost a
 * `{ __typename }` request more than formatting the line did; this one appends the line to an
 * array. `bench/s1-ab.ts`: see "Twenty-eighth session" in docs/performance-log.md.
 *
 * One write is in flight at a time, on libuv's thread pool (`fs.write`), so a reader that
 * stops reading (a full pipe) holds that write, not the event loop: lines wait behind it, up
 * to `maxPendingChars`, then are dropped. A file that refuses them (EPIPE: the reader is
 * gone) drops them. Either way the server goes on, and says so once on stderr. pino's
 * `flushSync` after a fatal line writes at once only when no write is in flight (the line
 * would otherwise land ahead of it); at exit the rest of a write waiting out a full pipe goes
 * first.
 */
export class LogDestination {
  /** Set by pino before each write (it sets them when `pino.metadata` is true). */
  lastLevel = 0;
  private pending: string[] = [];
  private chars = 0;
  /** A warning or worse is pending: written as soon as the write in flight is done. */
  private urgent = false;
  /** The write in flight: its bytes, how far the file has taken them, and whether it waits out a full pipe. */
  private inFlight: { bytes: Buffer; offset: number; waiting: boolean } | null = null;
  /** A write failed part-way: the next bytes start a new line. */
  private midLine = false;
  /** Lines were dropped since the last write that went through. */
  private dropping = false;
  /** pino's flush callbacks, called once nothing is pending or in flight. */
  private waiters: ((err?: Error) => void)[] = [];
  private readonly batchChars: number;
  private readonly maxPendingChars: number;
  private readonly flushWaitMs: number;
  private readonly writeBytes: WriteBytes;
  private readonly complain: (text: string) => void;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly fd: number,
    options: LogDestinationOptions = {},
  ) {
    (this as unknown as Record<symbol, boolean>)[Symbol.for('pino.metadata')] = true;
    this.batchChars = options.batchChars ?? 16_384;
    this.maxPendingChars = options.maxPendingChars ?? 8 * 1024 * 1024;
    this.flushWaitMs = options.flushWaitMs ?? 2_000;
    this.writeBytes = options.write ?? (fsWrite as unknown as WriteBytes);
    this.complain = options.complain ?? toStderr;
    this.timer = setInterval(() => this.start(), options.flushMs ?? 250);
    this.timer.unref();
    live.add(this);
    if (!exitHooked) {
      exitHooked = true;
      process.on('exit', () => {
        for (const destination of live) destination.writeAtExit();
      });
    }
  }

  /** pino's call: one line, with its newline. */
  write(line: string): boolean {
    if (this.chars >= this.maxPendingChars) {
      this.drop('the reader does not keep up (a full pipe)');
      return true;
    }
    this.pending.push(line);
    this.chars += line.length;
    if (this.lastLevel >= WARN) this.urgent = true;
    if (this.chars >= this.batchChars || this.urgent) this.start();
    return true;
  }

  /**
   * Starts writing what is pending (after the write in flight, if there is one). With a
   * callback (pino's `log.flush(done)`: a server stopping), calls it once all of it is
   * written, or with an error after `flushWaitMs` if the file takes nothing meanwhile.
   */
  flush(done?: (err?: Error) => void): void {
    if (done) {
      if (!this.inFlight && this.pending.length === 0) return done();
      let called = false;
      const once = (err?: Error) => {
        if (called) return;
        called = true;
        clearTimeout(late);
        done(err);
      };
      const late = setTimeout(
        () => once(new Error(`log lines not yet written to fd ${this.fd}`)),
        this.flushWaitMs,
      );
      this.waiters.push(once);
    }
    this.start();
  }

  /**
   * pino's call after a fatal line. With a write in flight the line is already queued behind
   * it (a fatal line is urgent), so nothing more is done: written now it could land ahead of
   * that write. Otherwise what is pending is written now, synchronously.
   */
  flushSync(): void {
    if (!this.inFlight) this.writeNow();
  }

  /**
   * At exit, when there is no later: the rest of a write waiting out a full pipe, then what is
   * pending, synchronously. (A write the thread pool is doing at that moment may be cut short.)
   */
  private writeAtExit(): void {
    const waiting = this.inFlight?.waiting ? this.inFlight : null;
    if (waiting) {
      this.inFlight = null;
      if (!this.writeSyncAll(waiting.bytes, waiting.offset)) return;
    }
    this.writeNow();
  }

  private writeNow(): void {
    if (this.pending.length > 0) this.writeSyncAll(this.take(), 0);
  }

  /**
   * Writes bytes synchronously, a full pipe (EAGAIN, or nothing taken) waited out for up to a
   * second, as the asynchronous path retries it; false, said on stderr, if it could not.
   */
  private writeSyncAll(bytes: Buffer, offset: number): boolean {
    const pause = new Int32Array(new SharedArrayBuffer(4));
    for (let tries = 0; offset < bytes.length;) {
      let written = 0;
      try {
        written = writeSync(this.fd, bytes, offset);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN')
          return this.lost(bytes, offset, (err as Error).message);
      }
      if (written > 0) offset += written;
      else if (tries++ < 1000)
        Atomics.wait(pause, 0, 0, 1); // a millisecond for the reader
      else return this.lost(bytes, offset, 'the reader does not keep up (a full pipe)');
    }
    return true;
  }

  private lost(bytes: Buffer, offset: number, why: string): false {
    this.midLine ||= offset > 0; // what comes next starts a new line
    this.complain(
      `log lines lost: ${bytes.length - offset} bytes not written to fd ${this.fd}: ${why}\n`,
    );
    return false;
  }

  /** Writes what is pending and lets the destination go (a command done with its logger). */
  end(): void {
    this.writeAtExit();
    clearInterval(this.timer);
    live.delete(this);
  }

  private take(): Buffer {
    const text = (this.midLine ? '\n' : '') + this.pending.join('');
    this.midLine = false;
    this.pending = [];
    this.chars = 0;
    this.urgent = false;
    return Buffer.from(text);
  }

  private start(): void {
    if (this.inFlight) return;
    if (this.pending.length === 0) {
      // Everything asked for is written, unless some of it was dropped.
      const err = this.dropping ? new Error(`log lines were dropped: fd ${this.fd}`) : undefined;
      for (const done of this.waiters.splice(0)) done(err);
      return;
    }
    this.inFlight = { bytes: this.take(), offset: 0, waiting: false };
    this.send();
  }

  private send(): void {
    const w = this.inFlight!;
    this.writeBytes(this.fd, w.bytes, w.offset, w.bytes.length - w.offset, null, (err, written) => {
      if (this.inFlight !== w) return; // written at exit meanwhile
      if (err?.code === 'EAGAIN' || (!err && written === 0)) {
        // A full non-blocking pipe: the same bytes again shortly, lines waiting behind them.
        w.waiting = true;
        setTimeout(() => {
          if (this.inFlight !== w) return;
          w.waiting = false;
          this.send();
        }, RETRY_MS).unref();
        return;
      }
      if (err) {
        this.drop(err.message);
        this.midLine = w.offset > 0 || this.midLine;
      } else if (w.offset + written < w.bytes.length) {
        w.offset += written;
        return this.send();
      } else if (this.dropping) {
        this.dropping = false;
        this.complain(`log lines are written to fd ${this.fd} again; some before were dropped\n`);
      }
      this.inFlight = null;
      // More waiting: a full batch, a warning, or someone waiting for everything now.
      if (this.chars >= this.batchChars || this.urgent || this.waiters.length > 0) this.start();
    });
  }

  private drop(why: string): void {
    if (this.dropping) return;
    this.dropping = true;
    this.complain(`log lines dropped: fd ${this.fd}: ${why}\n`);
  }
}
