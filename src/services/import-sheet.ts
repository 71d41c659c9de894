import { basename } from 'node:path';
import { DomainError } from '../domain/errors.js';
import { asOneLine } from '../domain/text-rules.js';
import type { Em } from '../db/em.js';
import { findInitiativeByKey } from '../db/queries/initiative.queries.js';
import { inReadSnapshot } from '../db/read-snapshot.js';
import type { ImportPlan } from '../sheets/import-plan.js';
import type { SheetInfo } from '../sheets/read-sheet.js';
import { planInThread, planOffThread } from '../sheets/sheet-planner.js';
import type { OffThreadOptions } from '../sheets/sheet-thread.js';
import { loadSheetState } from './load-sheet-state.js';
import { applyImportPlan, type Progress } from './apply-import.js';
import type { WriteScope } from './write-scope.js';

export interface ImportSheetProps {
  readonly em: Em;
  readonly initiativeKey: string;
  /** Its base name becomes the change log's actor, `import:<file>`. */
  readonly fileName: string;
  /**
   * Who uploads it, named in the actor as `<by> (import:<file>)`: the token's name over HTTP;
   * null on the command line, whose user is the operator.
   */
  readonly by: string | null;
  readonly bytes: Uint8Array;
  readonly dryRun: boolean;
  /** Apply the good rows even when some rows are wrong. */
  readonly skipErrors: boolean;
  /** Delete the initiative's items that the file does not list. */
  readonly prune: boolean;
  /** Which initiatives the caller may change (the CLI: every one; HTTP: the token's). */
  readonly scope: WriteScope;
  readonly onProgress?: Progress;
  /**
   * Read and plan the file on a worker thread, each step within a deadline (the server, whose
   * event loop serves others meanwhile); the command line reads it on its own thread.
   */
  readonly offThread?: OffThreadOptions;
}

export interface ImportResult {
  readonly sheet: SheetInfo;
  readonly plan: ImportPlan;
  readonly actor: string;
  /** Whether anything was written. */
  readonly applied: boolean;
  /** Why nothing was written, when the plan had errors. */
  readonly refused: string | null;
}

/** The change log's actor for a file: `import:<base name>`, after who uploaded it if known. */
export function importActor(fileName: string, by: string | null): string {
  // The name is the uploader's: stored in the log and sent in live events and webhooks, it
  // follows the one-line text rule (a control or bidi character becomes U+FFFD).
  const base = asOneLine(basename(fileName.replaceAll('\\', '/')), 100);
  const source = `import:${base || 'sheet'}`;
  return by === null ? source : `${by} (${source})`;
}

/**
 * `jindu import` and the dashboard's upload: reads the file, plans every row against the
 * initiative, and (unless a dry run) applies the plan through the item and workstream services,
 * all or nothing. A file with a wrong row writes nothing unless skipErrors; prune never runs
 * beside a wrong row, since that row's item would look absent.
 */
export async function importSheet(props: ImportSheetProps): Promise<ImportResult> {
  const planner = props.offThread ? planOffThread(props.offThread) : planInThread();
  let sheet: SheetInfo;
  let plan: ImportPlan;
  let initiativeId: number;
  try {
    // The initiative first: a file for one the caller may not write is not parsed at all, and
    // its answer (NOT_FOUND) is the same whatever the file holds.
    const initiative = await findInitiativeByKey(props.em.fork() as Em, props.initiativeKey);
    if (!initiative || !props.scope(initiative.id))
      throw new DomainError('NOT_FOUND', `项目不存在：${props.initiativeKey}`, ['initiative']);
    initiativeId = initiative.id;
    sheet = await planner.read(props.bytes, props.fileName);
    // One state of the initiative, its tree and items read in a snapshot (on SQLite the loop
    // turns between the pages of its items: 10,000 read at once held it 30–45 ms).
    const state = await inReadSnapshot(props.em, (em) =>
      loadSheetState(em, initiative, sheet.structureVersions),
    );
    plan = await planner.plan(state, props.prune);
  } finally {
    await planner.close();
  }
  const actor = importActor(props.fileName, props.by);
  const errors = plan.summary.error;
  // Prune never runs beside a wrong row or without rows: the preview lists no deletion then
  // (it listed every item of the initiative as 删除, then said it would not delete them).
  const pruneRefused = props.prune && (errors > 0 || plan.rows.length === 0);
  const shown = pruneRefused
    ? { ...plan, prune: [], summary: { ...plan.summary, prune: 0 } }
    : plan;
  const base = { sheet, plan: shown, actor };
  let refused: string | null = null;
  if (errors > 0 && !props.skipErrors) refused = `${errors} 行有错误，未写入任何数据`;
  else if (errors > 0 && props.prune) refused = '有错误行时不能同时使用 --prune，未写入任何数据';
  else if (plan.rows.length === 0 && props.prune)
    refused = '文件没有数据行：--prune 会删除项目的全部事项，未写入任何数据';
  if (props.dryRun || refused !== null) return { ...base, applied: false, refused };
  await applyImportPlan({
    em: props.em,
    initiativeId,
    plan,
    actor,
    scope: props.scope,
    onProgress: props.onProgress,
  });
  return { ...base, applied: true, refused: null };
}
