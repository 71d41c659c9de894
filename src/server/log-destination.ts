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
 * gone) drops them. Either way the server goes on, and says so once on stderr.
 */
export class LogDestination {
  /** Set by pino before each write (it sets them when `pino.metadata` is true). */
  lastLevel = 0;
  private pending: string[] = [];
  private chars = 0;
  /** A warning or worse is pending: written as soon as the write in flight is done. */
  private urgent = false;
  private writing = false;
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
        for (const destination of live) destination.flushSync();
      });
    }
  }

  /** pino's call: one line, with its newline. */
  write(line: string): boolean {
    if (this.chars >= this.maxPendingChars) {
      this.drop('the file takes nothing (a full pipe)');
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
      if (!this.writing && this.pending.length === 0) return done();
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
   * Writes what is pending synchronously: at exit, when there is no later. A write still in
   * flight then may be cut short; a stopping server waits for it first (`flush(done)`).
   */
  flushSync(): void {
    if (this.pending.length === 0) return;
    const bytes = this.take();
    let offset = 0;
    try {
      while (offset < bytes.length) offset += writeSync(this.fd, bytes, offset);
    } catch {
      // At exit there is no later: what the file does not take now is lost.
    }
  }

  /** Writes what is pending and lets the destination go (a command done with its logger). */
  end(): void {
    this.flushSync();
    clearInterval(this.timer);
    live.delete(this);
  }

  private take(): Buffer {
    const bytes = Buffer.from(this.pending.join(''));
    this.pending = [];
    this.chars = 0;
    this.urgent = false;
    return bytes;
  }

  private start(): void {
    if (this.writing) return;
    if (this.pending.length === 0) {
      for (const done of this.waiters.splice(0)) done();
      return;
    }
    this.writing = true;
    this.send(this.take(), 0);
  }

  private send(bytes: Buffer, offset: number): void {
    this.writeBytes(this.fd, bytes, offset, bytes.length - offset, null, (err, written) => {
      if (err?.code === 'EAGAIN' || (!err && written === 0)) {
        // A full non-blocking pipe: the same bytes again shortly, lines waiting behind them.
        setTimeout(() => this.send(bytes, offset), RETRY_MS).unref();
        return;
      }
      if (err) this.drop(err.message);
      else if (offset + written < bytes.length) return this.send(bytes, offset + written);
      else if (this.dropping) {
        this.dropping = false;
        this.complain(`log lines are written to fd ${this.fd} again; some before were dropped\n`);
      }
      this.writing = false;
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
