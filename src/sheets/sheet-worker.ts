import { parentPort } from 'node:worker_threads';
import { itemIdOfRef } from './item-ref.js';
import { planImport } from './plan-import.js';
import type { ImportPlan } from './import-plan.js';
import { readSheet, sheetInfo, type ReadSheet, type SheetInfo } from './read-sheet.js';
import type { SheetState } from './sheet-state.js';
import { writeSheet, type CsvEncoding, type SheetFormat, type Table } from './write-sheet.js';

/**
 * The sheet thread (sheet-thread.ts). For an import's job (sheet-planner.ts) it reads the file,
 * then plans it, then hands the plan's long lists back a part at a time; for an export's
 * (sheet-writer.ts) it takes the tables a part at a time, then writes the file. Jobs are answered
 * one request at a time, in the order asked.
 */

/** The plan's long lists, sent a part at a time. */
export type PlanList = 'rows' | 'prune';

export type PlannerRequest =
  | { readonly kind: 'read'; readonly bytes: Uint8Array; readonly fileName: string }
  | { readonly kind: 'items'; readonly part: SheetState['items'] }
  /** The state without its items: they came before, a part at a time. */
  | { readonly kind: 'plan'; readonly state: SheetState; readonly prune: boolean }
  | { readonly kind: 'part'; readonly list: PlanList; readonly from: number; readonly to: number }
  /** Rows of the export's table number `table`, appended to those sent before. */
  | {
      readonly kind: 'table';
      readonly table: number;
      readonly name: string;
      readonly rows: Table['rows'];
    }
  | { readonly kind: 'write'; readonly format: SheetFormat; readonly encoding?: CsvEncoding }
  | { readonly kind: 'end' };

export interface PlannerError {
  readonly name: string;
  readonly code?: string;
  readonly message: string;
  readonly field?: readonly string[];
  readonly stack?: string;
}

/** The plan without its long lists, and their lengths. */
export interface PlanHead {
  readonly newWorkstreams: ImportPlan['newWorkstreams'];
  readonly summary: ImportPlan['summary'];
  readonly lengths: Readonly<Record<PlanList, number>>;
}

export type PlannerReply =
  | { readonly ok: true; readonly kind: 'read'; readonly info: SheetInfo }
  | { readonly ok: true; readonly kind: 'plan'; readonly head: PlanHead }
  | { readonly ok: true; readonly kind: 'part'; readonly part: readonly unknown[] }
  | { readonly ok: true; readonly kind: 'items' }
  | { readonly ok: true; readonly kind: 'table' }
  | { readonly ok: true; readonly kind: 'write'; readonly bytes: Uint8Array }
  | { readonly ok: true; readonly kind: 'end' }
  | { readonly ok: false; readonly error: PlannerError };

export interface PlannerMessage<T> {
  readonly job: number;
  readonly body: T;
}

interface Job {
  sheet: ReadSheet | null;
  items: SheetState['items'][number][];
  plan: ImportPlan | null;
  tables: { name: string; rows: Table['rows'][number][] }[];
}
const jobs = new Map<number, Job>();

const answer = (job: Job, request: PlannerRequest): PlannerReply => {
  switch (request.kind) {
    case 'read':
      job.sheet = readSheet(request.bytes, request.fileName);
      return {
        ok: true,
        kind: 'read',
        info: sheetInfo(job.sheet),
      };
    case 'items':
      job.items.push(...request.part);
      return { ok: true, kind: 'items' };
    case 'plan': {
      if (!job.sheet) throw new Error('plan before read');
      const state = { ...request.state, items: job.items };
      const plan = planImport(job.sheet, state, {
        prune: request.prune,
        itemIdOf: itemIdOfRef,
      });
      job.plan = plan;
      job.sheet = null;
      job.items = [];
      const lengths = { rows: plan.rows.length, prune: plan.prune.length };
      return {
        ok: true,
        kind: 'plan',
        head: { newWorkstreams: plan.newWorkstreams, summary: plan.summary, lengths },
      };
    }
    case 'part':
      if (!job.plan) throw new Error('part before plan');
      return {
        ok: true,
        kind: 'part',
        part: job.plan[request.list].slice(request.from, request.to),
      };
    case 'table':
      (job.tables[request.table] ??= { name: request.name, rows: [] }).rows.push(...request.rows);
      return { ok: true, kind: 'table' };
    case 'write': {
      const bytes = writeSheet(job.tables, request.format, request.encoding);
      job.tables = [];
      return { ok: true, kind: 'write', bytes };
    }
    case 'end':
      return { ok: true, kind: 'end' };
  }
};

parentPort?.on('message', ({ job: id, body: request }: PlannerMessage<PlannerRequest>) => {
  let job = jobs.get(id);
  if (!job) jobs.set(id, (job = { sheet: null, items: [], plan: null, tables: [] }));
  let reply: PlannerReply;
  try {
    reply = answer(job, request);
  } catch (err) {
    const e = err as Error & { code?: string; field?: readonly string[] };
    reply = {
      ok: false,
      error: { name: e.name, code: e.code, message: e.message, field: e.field, stack: e.stack },
    };
  }
  if (request.kind === 'end' || !reply.ok) jobs.delete(id);
  parentPort!.postMessage({ job: id, body: reply } satisfies PlannerMessage<PlannerReply>);
});
// Loaded (SheetJS and the planner's code): the deadlines of the requests start from here.
parentPort?.postMessage({ ready: true });
