import { Worker } from 'node:worker_threads';
import { DomainError } from '../domain/errors.js';
import { itemIdOfRef } from './item-ref.js';
import { planImport, type ImportPlan, type PlannedRow } from './plan-import.js';
import { readSheet, type ReadSheet } from './read-sheet.js';
import { SheetError } from './sheet-error.js';
import type { SheetItem, SheetState } from './sheet-state.js';
import type {
  PlanList,
  PlannerError,
  PlannerMessage,
  PlannerReply,
  PlannerRequest,
} from './sheet-worker.js';

/** What an import is told of the file once it is read. */
export type SheetInfo = Pick<ReadSheet, 'format' | 'encoding'>;

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
      return { format: sheet.format, encoding: sheet.encoding };
    },
    async plan(state, prune) {
      if (!sheet) throw new Error('plan before read');
      return planImport(sheet, state, { prune, itemIdOf: itemIdOfRef });
    },
    async close() {},
  };
}

type Answered = Extract<PlannerReply, { ok: true }>;

/**
 * The process's sheet thread, started on the first upload and kept for the next ones (it holds
 * SheetJS's code, and nothing of a file once its import is done). It keeps the process alive
 * only while a job waits on it. Kept rather than started per file also because ending a thread
 * that had loaded the TypeScript compiler's native hooks (a run from the sources) made the next
 * one crash the process on loading them again.
 */
class SheetThread {
  private readonly worker = new Worker(workerEntry(), {
    execArgv: [],
    resourceLimits: { maxOldGenerationSizeMb: HEAP_MB },
  });
  private readonly waiting = new Map<number, (reply: PlannerReply | Error) => void>();
  private last = 0;
  failed: Error | null = null;

  constructor() {
    this.worker.unref();
    this.worker.on('message', ({ job, body }: PlannerMessage<PlannerReply>) => {
      this.waiting.get(job)?.(body);
    });
    const fail = (err: Error & { code?: string }) => {
      this.failed ??=
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new SheetError('TOO_LARGE', `文件太复杂：读取时超出 ${HEAP_MB} MB 内存上限`)
          : err;
      for (const settle of this.waiting.values()) settle(this.failed);
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) =>
      fail(new Error(`the sheet thread stopped (exit code ${code})`)),
    );
  }

  newJob(): number {
    return ++this.last;
  }

  /** One request of a job; a job asks one thing at a time. */
  ask(job: number, body: PlannerRequest): Promise<Answered> {
    return new Promise((resolve, reject) => {
      if (this.failed) return reject(this.failed);
      if (this.waiting.size === 0) this.worker.ref();
      this.waiting.set(job, (reply) => {
        this.waiting.delete(job);
        if (this.waiting.size === 0) this.worker.unref();
        if (reply instanceof Error) reject(reply);
        else if (!reply.ok) reject(rebuilt(reply.error));
        else resolve(reply);
      });
      this.worker.postMessage({ job, body } satisfies PlannerMessage<PlannerRequest>);
    });
  }
}

let thread: SheetThread | null = null;

/**
 * On the sheet thread: the server's event loop goes on answering other requests (and health
 * checks) while a big file is parsed and planned.
 */
export function planOffThread(): SheetPlanner {
  if (!thread || thread.failed) thread = new SheetThread();
  const on = thread;
  const job = on.newJob();
  const ask = async <K extends Answered['kind']>(body: PlannerRequest, kind: K) => {
    const reply = await on.ask(job, body);
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
      if (!on.failed) void on.ask(job, { kind: 'end' }).catch(() => undefined);
    },
  };
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
