import { Worker } from 'node:worker_threads';
import {
  notLoadedError,
  purposeOf,
  rebuilt,
  retryError,
  timeoutError,
  tooLargeError,
  type Purpose,
} from './sheet-thread-errors.js';
import type { PlannerMessage, PlannerReply, PlannerRequest } from './sheet-worker.js';

/**
 * The thread's heap: a file that needs more to parse (or an export that needs more to write) is
 * refused as too large, and the server goes on (the files allowed, 10 MB and 32 MB unpacked,
 * need far less).
 */
const HEAP_MB = 1024;
/**
 * How long the thread may take to load before a request waiting on it gives up: SheetJS loads in
 * well under a second compiled, a few seconds from the TypeScript sources on a busy machine. A
 * thread that never says it is ready (its module stuck while loading) is ended then, so the
 * requests waiting on it are answered, and the next one starts a new thread.
 */
const LOAD_TIMEOUT_MS = 60_000;
/** The watchdog's step while the thread loads (requests' steps count from 1). */
const LOADING = 0;

export interface OffThreadOptions {
  /** How long one step of a job (a file's read, its plan, a part, the write) may take. */
  readonly timeoutMs: number;
}

export type Answered = Extract<PlannerReply, { ok: true }>;

export interface SheetThreadOptions {
  /** The thread's module (the tests give a stand-in); by default the sheet worker. */
  readonly entry?: URL;
  /** Its heap, in MB (default 1,024). */
  readonly heapMb?: number;
  /** How long it may take to say it is ready once a request waits on it (default 60 s). */
  readonly loadTimeoutMs?: number;
}

interface Waiting {
  /** Which request this is, of all the thread was asked: a job asks one thing at a time. */
  readonly step: number;
  /** How long the thread may take over it once it is the thread's to do. */
  readonly timeoutMs: number;
  readonly purpose: Purpose;
  readonly settle: (reply: PlannerReply | Error) => void;
}

/**
 * The process's sheet thread, started on the first upload or download and kept for the next
 * ones (it holds SheetJS's code, and nothing of a file once its job is done). It keeps the
 * process alive only while a job waits on it. Kept rather than started per file also because
 * ending a thread that had loaded the TypeScript compiler's native hooks (a run from the sources)
 * made the next one crash the process on loading them again: it is ended only when it must be (a
 * step past its deadline, out of memory), which the compiled server survives.
 *
 * The thread answers in the order asked, so the oldest request waiting is the one it is working
 * on: that one has a deadline, counted from when the thread is ready (loading SheetJS is not the
 * file's time) and the request reaches the head. Past it, or out of memory, the thread is ended:
 * the file at the head is refused, and the jobs queued behind it are told to retry. Loading has
 * a deadline of its own, counted from the thread's start: past it every waiting job is told to
 * retry, none of their files being the cause.
 */
export class SheetThread {
  private readonly worker: Worker;
  private readonly heapMb: number;
  private readonly loadTimeoutMs: number;
  private readonly startedAt = Date.now();
  private readonly waiting = new Map<number, Waiting>();
  private lastJob = 0;
  private lastStep = 0;
  private ready = false;
  private watchdog: { step: number; timer: NodeJS.Timeout } | null = null;
  /** Why the thread was ended, once it was: every later request is told to retry. */
  failed: string | null = null;

  constructor(options: SheetThreadOptions = {}) {
    this.heapMb = options.heapMb ?? HEAP_MB;
    this.loadTimeoutMs = options.loadTimeoutMs ?? LOAD_TIMEOUT_MS;
    this.worker = new Worker(options.entry ?? workerEntry(), {
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: this.heapMb },
    });
    this.worker.unref();
    this.worker.on('message', (message: PlannerMessage<PlannerReply> | { ready: true }) => {
      if ('ready' in message) {
        this.ready = true;
        this.watch();
      } else this.waiting.get(message.job)?.settle(message.body);
    });
    this.worker.on('error', (err: Error & { code?: string }) => {
      if (err.code !== 'ERR_WORKER_OUT_OF_MEMORY')
        return this.stop(() => err, '处理表格文件的线程出错');
      this.stop((purpose) => tooLargeError(this.heapMb, purpose), '另一个文件处理时超出内存上限');
    });
    this.worker.on('exit', (code) =>
      this.stop(
        () => new Error(`the sheet thread stopped (exit code ${code})`),
        '处理表格文件的线程意外停止',
      ),
    );
  }

  newJob(): number {
    return ++this.lastJob;
  }

  /** One request of a job; a job asks one thing at a time. */
  ask(job: number, body: PlannerRequest, timeoutMs: number): Promise<Answered> {
    return new Promise((resolve, reject) => {
      if (this.failed) return reject(retryError(this.failed, purposeOf(body)));
      if (this.waiting.has(job)) return reject(new Error(`job ${job} asked twice at once`));
      if (this.waiting.size === 0) this.worker.ref();
      const settle = (reply: PlannerReply | Error) => {
        this.waiting.delete(job);
        if (this.waiting.size === 0) this.worker.unref();
        this.watch();
        if (reply instanceof Error) reject(reply);
        else if (!reply.ok) reject(rebuilt(reply.error));
        else resolve(reply);
      };
      const purpose = purposeOf(body);
      this.waiting.set(job, { step: ++this.lastStep, timeoutMs, purpose, settle });
      try {
        this.worker.postMessage({ job, body } satisfies PlannerMessage<PlannerRequest>);
      } catch (err) {
        // Not sent (a value that cannot be copied): it is no request of the thread's.
        return settle(err as Error);
      }
      this.watch();
    });
  }

  /**
   * Keeps the deadline on the request the thread is working on: the oldest one waiting, once
   * the thread is ready; before, the thread's loading deadline (watched as step LOADING).
   */
  private watch(): void {
    const head = this.failed ? undefined : this.waiting.values().next().value;
    const step = head && (this.ready ? head.step : LOADING);
    if (this.watchdog?.step === step) return;
    if (this.watchdog) clearTimeout(this.watchdog.timer);
    this.watchdog = null;
    if (!head || step === undefined) return;
    const [waitMs, culprit, why] =
      step === LOADING
        ? ([
            this.startedAt + this.loadTimeoutMs - Date.now(),
            (purpose: Purpose) => notLoadedError(this.loadTimeoutMs / 1000, purpose),
            '处理表格文件的线程未能启动',
          ] as const)
        : ([
            head.timeoutMs,
            (purpose: Purpose) => timeoutError(head.timeoutMs / 1000, purpose),
            '另一个文件处理超时',
          ] as const);
    const timer = setTimeout(
      // After one more turn: an answer (or the ready message) that came in while the loop was
      // held, past the deadline too, is read first, in the turn's poll phase, and then this is
      // no longer what the thread is working on.
      () =>
        setImmediate(() => {
          if (this.watchdog?.step === step) this.stop(culprit, why);
        }),
      Math.max(0, waitMs),
    );
    this.watchdog = { step, timer };
  }

  /**
   * Ends the thread: `culprit` for the request it was working on, a retry for those queued
   * behind it (`why` says what happened), and the same for any later request of their jobs.
   */
  private stop(culprit: (purpose: Purpose) => Error, why: string): void {
    if (this.failed) return;
    this.failed = why;
    if (this.watchdog) clearTimeout(this.watchdog.timer);
    this.watchdog = null;
    const [head, ...queued] = [...this.waiting.values()];
    head?.settle(culprit(head.purpose));
    for (const { purpose, settle } of queued) settle(retryError(why, purpose));
    void this.worker.terminate();
  }
}

let thread: SheetThread | null = null;

/** The process's thread, started again after one that had to be ended. */
export function sharedThread(): SheetThread {
  if (!thread || thread.failed) thread = new SheetThread();
  return thread;
}

/** A job's requests, each answered by the kind it expects. */
export function jobOn(on: SheetThread, timeoutMs: number) {
  const job = on.newJob();
  const ask = async <K extends Answered['kind']>(body: PlannerRequest, kind: K) => {
    const reply = await on.ask(job, body, timeoutMs);
    if (reply.kind !== kind) throw new Error('the sheet thread answered out of turn');
    return reply as Extract<Answered, { kind: K }>;
  };
  // What the thread keeps of this job goes (a thread that failed keeps nothing). Not waited
  // for: the thread may be working on another job's file first.
  const end = () => {
    if (!on.failed) void on.ask(job, { kind: 'end' }, timeoutMs).catch(() => undefined);
  };
  return { ask, end };
}

/**
 * The thread's module: the compiled JavaScript beside this file, or, run from the TypeScript
 * sources (the tests, `jindu` before a build), a script that registers the same compiler first.
 */
function workerEntry(): URL {
  return import.meta.url.endsWith('.ts')
    ? new URL('./sheet-worker-source.mjs', import.meta.url)
    : new URL('./sheet-worker.js', import.meta.url);
}
