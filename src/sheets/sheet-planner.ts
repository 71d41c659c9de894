import { Worker } from 'node:worker_threads';
import { DomainError } from '../domain/errors.js';
import { itemIdOfRef } from './item-ref.js';
import { planImport } from './plan-import.js';
import type { ImportPlan, PlannedRow } from './import-plan.js';
import { readSheet, sheetInfo, type ReadSheet, type SheetInfo } from './read-sheet.js';
import { SheetError, SheetThreadError } from './sheet-error.js';
import type { SheetItem, SheetState } from './sheet-state.js';
import type {
  PlanList,
  PlannerError,
  PlannerMessage,
  PlannerReply,
  PlannerRequest,
} from './sheet-worker.js';

/** Rows (or items to prune) the thread sends back at a time. */
const PART = 1000;
/** The initiative's items sent to the thread at a time (100,000 at once held the loop 90 ms). */
const ITEMS_PART = 5000;
/**
 * The thread's heap: a file that needs more to parse is refused as too large, and the server
 * goes on (the files allowed, 10 MB and 32 MB unpacked, need far less).
 */
const HEAP_MB = 1024;
/**
 * How long the thread may take to load before a request waiting on it gives up: SheetJS loads in
 * well under a second compiled, a few seconds from the TypeScript sources on a busy machine. A
 * thread that never says it is ready (its module stuck while loading) is ended then, so the
 * uploads waiting on it are answered, and the next one starts a new thread.
 */
const LOAD_TIMEOUT_MS = 60_000;
/** The watchdog's step while the thread loads (requests' steps count from 1). */
const LOADING = 0;

/**
 * Reads one file, then plans it against the initiative's state: the two steps of an import that
 * are one long synchronous computation each (SheetJS's parse of a 10,000-row .xlsx takes about
 * 0.4 s, the plan about 0.1 s). The state is loaded between them, so a file that cannot be read
 * is refused before the initiative is looked up.
 */
export interface SheetPlanner {
  read(bytes: Uint8Array, fileName: string): Promise<SheetInfo>;
  plan(state: SheetState, prune: boolean): Promise<ImportPlan>;
  close(): Promise<void>;
}

/** On the caller's thread: the command line, which serves nothing else meanwhile. */
export function planInThread(): SheetPlanner {
  let sheet: ReadSheet | null = null;
  return {
    async read(bytes, fileName) {
      sheet = readSheet(bytes, fileName);
      return sheetInfo(sheet);
    },
    async plan(state, prune) {
      if (!sheet) throw new Error('plan before read');
      return planImport(sheet, state, { prune, itemIdOf: itemIdOfRef });
    },
    async close() {},
  };
}

type Answered = Extract<PlannerReply, { ok: true }>;

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
  readonly settle: (reply: PlannerReply | Error) => void;
}

/**
 * The process's sheet thread, started on the first upload and kept for the next ones (it holds
 * SheetJS's code, and nothing of a file once its import is done). It keeps the process alive
 * only while a job waits on it. Kept rather than started per file also because ending a thread
 * that had loaded the TypeScript compiler's native hooks (a run from the sources) made the next
 * one crash the process on loading them again: it is ended only when it must be (a step past
 * its deadline, out of memory), which the compiled server survives.
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
  failed: Error | null = null;

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
      if (err.code !== 'ERR_WORKER_OUT_OF_MEMORY') return this.stop(err, '读取文件的线程出错');
      const tooLarge = `文件太复杂：读取时超出 ${this.heapMb} MB 内存上限`;
      this.stop(new SheetError('TOO_LARGE', tooLarge), '另一个文件读取时超出内存上限');
    });
    this.worker.on('exit', (code) =>
      this.stop(
        new Error(`the sheet thread stopped (exit code ${code})`),
        '读取文件的线程意外停止',
      ),
    );
  }

  newJob(): number {
    return ++this.lastJob;
  }

  /** One request of a job; a job asks one thing at a time. */
  ask(job: number, body: PlannerRequest, timeoutMs: number): Promise<Answered> {
    return new Promise((resolve, reject) => {
      if (this.failed) return reject(this.failed);
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
      this.waiting.set(job, { step: ++this.lastStep, timeoutMs, settle });
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
            new SheetThreadError(
              'RETRY',
              `读取文件的线程 ${this.loadTimeoutMs / 1000} 秒内未能启动，本次未做任何修改，请重新上传`,
            ),
            '读取文件的线程未能启动',
          ] as const)
        : ([
            head.timeoutMs,
            new SheetThreadError(
              'TIMEOUT',
              `读取或核对文件超过 ${head.timeoutMs / 1000} 秒未完成，未做任何修改：请拆成几个较小的文件再导入`,
            ),
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
  private stop(culprit: Error, why: string): void {
    if (this.failed) return;
    const retry = new SheetThreadError('RETRY', `${why}，本次未做任何修改，请重新上传`);
    this.failed = retry;
    if (this.watchdog) clearTimeout(this.watchdog.timer);
    this.watchdog = null;
    const [head, ...queued] = [...this.waiting.values()];
    head?.settle(culprit);
    for (const { settle } of queued) settle(retry);
    void this.worker.terminate();
  }
}

let thread: SheetThread | null = null;

export interface OffThreadOptions {
  /** How long one step of the file's (its read, its plan) may take on the thread. */
  readonly timeoutMs: number;
}

/**
 * On the sheet thread: the server's event loop goes on answering other requests (and health
 * checks) while a big file is parsed and planned.
 */
export function planOffThread(options: OffThreadOptions, on = sharedThread()): SheetPlanner {
  const job = on.newJob();
  const ask = async <K extends Answered['kind']>(body: PlannerRequest, kind: K) => {
    const reply = await on.ask(job, body, options.timeoutMs);
    if (reply.kind !== kind) throw new Error('the sheet thread answered out of turn');
    return reply as Extract<Answered, { kind: K }>;
  };
  return {
    async read(bytes, fileName) {
      return (await ask({ kind: 'read', bytes, fileName }, 'read')).info;
    },
    async plan(state, prune) {
      for (let from = 0; from < state.items.length; from += ITEMS_PART)
        await ask({ kind: 'items', part: state.items.slice(from, from + ITEMS_PART) }, 'items');
      const { newWorkstreams, summary, lengths } = (
        await ask({ kind: 'plan', state: { ...state, items: [] }, prune }, 'plan')
      ).head;
      // The long lists come a part at a time, each in a turn of the event loop of its own: a
      // 10,000-row plan read back in one message held the loop for 35–60 ms.
      const list = async <T>(name: PlanList): Promise<T[]> => {
        const all: T[] = [];
        for (let from = 0; from < lengths[name]; from += PART) {
          const { part } = await ask({ kind: 'part', list: name, from, to: from + PART }, 'part');
          all.push(...(part as T[]));
        }
        return all;
      };
      const rows = await list<PlannedRow>('rows');
      const pruned = await list<SheetItem>('prune');
      return { rows, prune: pruned, newWorkstreams, summary };
    },
    async close() {
      // What the thread keeps of this file goes (a thread that failed keeps nothing). Not
      // waited for: the thread may be parsing another upload's file first.
      if (!on.failed) void on.ask(job, { kind: 'end' }, options.timeoutMs).catch(() => undefined);
    },
  };
}

/** The process's thread, started again after one that had to be ended. */
function sharedThread(): SheetThread {
  if (!thread || thread.failed) thread = new SheetThread();
  return thread;
}

/** The errors a file or a row can raise, as the caller's own classes; anything else as a bug. */
function rebuilt(e: PlannerError): Error {
  if (e.name === 'SheetError') return new SheetError(e.code as SheetError['code'], e.message);
  if (e.name === 'DomainError')
    return new DomainError(e.code as DomainError['code'], e.message, e.field);
  const err = new Error(e.message);
  err.stack = e.stack;
  return err;
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
