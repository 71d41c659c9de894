import { writeSync } from 'node:fs';

/** A synchronous write (fs.writeSync's shape): bytes written, or it throws (EAGAIN and the like). */
export type WriteSync = (fd: number, buffer: Buffer, offset: number, length: number) => number;

export interface LogDestinationOptions {
  /** Lines are written once this many characters are pending (default 16,384). */
  readonly batchChars?: number;
  /** What is pending is written at least this often, in ms (default 250). */
  readonly flushMs?: number;
  /** At most this many characters wait for a full pipe; lines beyond are dropped (default 8 M). */
  readonly maxPendingChars?: number;
  /** How bytes reach the file (fs.writeSync; the tests replace it). */
  readonly write?: WriteSync;
  /** Where a line that says what went wrong with the file goes (default: stderr). */
  readonly complain?: (text: string) => void;
}

const WARN = 40;
/** A full non-blocking pipe: the bytes stay pending and are tried again this much later. */
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
 * writes of about 16 kB, flushed at least every 250 ms and at once for a warning or worse (pino
 * tells the level: `pino.metadata`). What is pending is written out when the process exits.
 *
 * pino's own destination (sonic-boom) batched the same way at a higher price: its bookkeeping
 * per line (it measures the pending string's UTF-8 length again on every write) cost a
 * `{ __typename }` request more than formatting the line did; this one appends the line to an
 * array. `bench/s1-ab.ts --fresh`, 10 rounds of new processes: 1.36× bare Apollo against 1.49×
 * with sonic-boom (lower in 7 of the 10 rounds).
 *
 * Writes are synchronous, as with pino's default destination, so nothing is in flight when
 * the process exits. A full pipe (a non-blocking stdout whose reader lags) keeps the bytes, in
 * order, for a retry; a file that refuses them (EPIPE: the reader is gone) drops them. Either
 * way the server goes on, and says so once on stderr.
 */
export class LogDestination {
  /** Set by pino before each write (it sets them when `pino.metadata` is true). */
  lastLevel = 0;
  private pending: string[] = [];
  private chars = 0;
  /** Bytes a full pipe did not take: written before anything pending. */
  private leftover: Buffer | null = null;
  private retry: NodeJS.Timeout | null = null;
  /** Lines were dropped since the last write that went through. */
  private dropping = false;
  private readonly batchChars: number;
  private readonly maxPendingChars: number;
  private readonly writeBytes: WriteSync;
  private readonly complain: (text: string) => void;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly fd: number,
    options: LogDestinationOptions = {},
  ) {
    (this as unknown as Record<symbol, boolean>)[Symbol.for('pino.metadata')] = true;
    this.batchChars = options.batchChars ?? 16_384;
    this.maxPendingChars = options.maxPendingChars ?? 8 * 1024 * 1024;
    this.writeBytes = options.write ?? writeSync;
    this.complain = options.complain ?? toStderr;
    this.timer = setInterval(() => this.flush(), options.flushMs ?? 250);
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
    if (this.chars + (this.leftover?.length ?? 0) >= this.maxPendingChars) {
      this.drop('a full pipe takes none');
      return true;
    }
    this.pending.push(line);
    this.chars += line.length;
    if (this.chars >= this.batchChars || this.lastLevel >= WARN) this.flush();
    return true;
  }

  /**
   * Writes what is pending, as far as the file takes it now. With a callback (pino's
   * `log.flush(done)`: a server stopping), waits out a full pipe first, then calls it.
   */
  flush(done?: (err?: Error) => void): void {
    if (done) {
      this.flushSync();
      return done();
    }
    this.writePending();
  }

  private writePending(): void {
    if (this.leftover === null && this.pending.length === 0) return;
    let bytes = this.leftover ?? Buffer.alloc(0);
    if (this.pending.length > 0) {
      const text = Buffer.from(this.pending.join(''));
      bytes = bytes.length > 0 ? Buffer.concat([bytes, text]) : text;
      this.pending = [];
      this.chars = 0;
    }
    this.leftover = null;
    let offset = 0;
    while (offset < bytes.length) {
      try {
        offset += this.writeBytes(this.fd, bytes, offset, bytes.length - offset);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') {
          this.leftover = bytes.subarray(offset);
          this.retry ??= setTimeout(() => {
            this.retry = null;
            this.writePending();
          }, RETRY_MS).unref();
          return;
        }
        this.drop((err as Error).message);
        return;
      }
    }
    if (this.dropping) {
      this.dropping = false;
      this.complain(
        `log lines are written to fd ${this.fd} again; some before this were dropped\n`,
      );
    }
  }

  private drop(why: string): void {
    if (this.dropping) return;
    this.dropping = true;
    this.complain(`log lines dropped: fd ${this.fd}: ${why}\n`);
  }

  /** Writes everything pending before it returns, waiting out a full pipe (up to a second). */
  flushSync(): void {
    const wait = new Int32Array(new SharedArrayBuffer(4));
    for (let tries = 0; tries < 1000; tries++) {
      this.writePending();
      if (this.leftover === null) return;
      Atomics.wait(wait, 0, 0, 1); // a millisecond for the reader
    }
  }

  /** Writes what is pending and lets the destination go (a command done with its logger). */
  end(): void {
    this.flushSync();
    clearInterval(this.timer);
    if (this.retry) clearTimeout(this.retry);
    live.delete(this);
  }
}
