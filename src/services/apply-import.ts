import type { ChangeEvent } from '../domain/change-events.js';
import { MAX_BULK } from '../domain/errors.js';
import type { Em } from '../db/em.js';
import { turnInWrite } from '../db/write-turn.js';
import { findInitiativesByIds } from '../db/queries/initiative.queries.js';
import { assertPlanCurrent } from '../sheets/plan-current.js';
import type { ImportPlan, PlannedRow } from '../sheets/import-plan.js';
import { PATH_SEPARATOR } from '../sheets/sheet-state.js';
import { createItems } from './create-items.js';
import { createWorkstream } from './create-workstream.js';
import { deleteItem } from './delete-item.js';
import { loadSheetState } from './load-sheet-state.js';
import { moveItem } from './move-item.js';
import { setItemStatuses } from './set-item-statuses.js';
import { updateItem } from './update-item.js';
import { runStep } from './write-pipeline/run-step.js';
import { runWrite } from './write-pipeline/run-write.js';
import type { UseCase } from './write-pipeline/use-case.js';
import type { WriteScope } from './write-scope.js';

export interface ApplyImportProps {
  readonly em: Em;
  readonly initiativeId: number;
  readonly plan: ImportPlan;
  readonly actor: string;
  readonly scope: WriteScope;
  /**
   * Told after each step; a promise it returns is awaited, and what it throws rolls the whole
   * import back (the command line stops there on Ctrl-C).
   */
  readonly onProgress?: Progress;
}

export type Progress = (done: number, total: number) => void | Promise<void>;

const chunks = <T>(list: readonly T[]): T[][] =>
  Array.from({ length: Math.ceil(list.length / MAX_BULK) }, (_, i) =>
    list.slice(i * MAX_BULK, (i + 1) * MAX_BULK),
  );

interface ImportRun {
  readonly initiativeId: number;
  readonly plan: ImportPlan;
}

/**
 * The whole import as one write: new workstreams, then createItems per workstream, then each
 * matched item's edits (updateItem for name, weight and note; moveItem), then setItemStatuses,
 * 100 at a time, then prune, all through the same use-cases the mutations run,
 * in one transaction under the initiative's lock. The pipeline logs every event with the
 * import's actor and applies the counters; any failure (a row someone changed meanwhile:
 * STALE_VERSION) rolls the whole file back.
 */
function importUseCase(onProgress?: Progress): UseCase<ImportRun, void> {
  return {
    name: 'importSheet',
    lockTarget: async (_tem, props) => props.initiativeId,
    async run(at, { initiativeId, plan }) {
      const events: ChangeEvent[] = [];
      const ok = plan.rows.filter((r) => r.action === 'create' || r.action === 'update');
      const total = ok.length + plan.prune.length + plan.newWorkstreams.length;
      let done = 0;
      // After each step (one use-case call, of at most 100 items: 25 ms) the event loop turns:
      // without the turns a 10,000-row file held a server's loop for a second, and the command
      // line heard no Ctrl-C (write-turn.ts).
      const tick = async (n: number) => {
        await turnInWrite(at.tem);
        await onProgress?.((done += n), total);
      };
      await onProgress?.(0, total);

      const [initiative] = await findInitiativesByIds(at.tem, [initiativeId]);
      const state = await loadSheetState(at.tem, initiative!);
      assertPlanCurrent(plan, state);
      const known = state.workstreams;
      const idOf = new Map([...known].map(([path, ws]) => [path, ws.id]));
      for (const path of plan.newWorkstreams) {
        const cut = path.lastIndexOf(PATH_SEPARATOR);
        const parentPath = cut < 0 ? null : path.slice(0, cut);
        const ws = await runStep(at, events, createWorkstream, {
          initiativeId,
          parentId: parentPath === null ? null : idOf.get(parentPath)!,
          name: path.slice(cut + 1),
        });
        idOf.set(path, ws.id);
        await tick(1);
      }
      const creates = new Map<number, PlannedRow[]>();
      for (const row of ok.filter((r) => r.action === 'create')) {
        const wsId = idOf.get(row.path)!;
        const rows = creates.get(wsId);
        if (rows) rows.push(row);
        else creates.set(wsId, [row]);
      }
      for (const [workstreamId, rows] of creates) {
        for (const part of chunks(rows)) {
          const items = part.map((r) => ({
            name: r.name,
            status: r.status,
            percent: r.percent,
            weight: r.weight,
            note: r.note,
          }));
          await runStep(at, events, createItems, { workstreamId, items });
          await tick(part.length);
        }
      }
      const updates = ok.filter((r) => r.action === 'update');
      // Each use-case checks the version the plan saw and bumps it; the next one expects that.
      const version = new Map(updates.map((r) => [r.item!.id, r.item!.version]));
      const seen = (items: readonly { id: number; version: number }[]) =>
        items.forEach((i) => version.set(i.id, i.version));
      for (const r of updates) {
        const { name, weight, note, moveTo } = r.edits;
        const itemId = r.item!.id;
        if (name !== undefined || weight !== undefined || note !== undefined)
          seen(
            await runStep(at, events, updateItem, {
              itemId,
              name,
              weight,
              note,
              expectedVersion: version.get(itemId),
            }),
          );
        if (moveTo !== undefined)
          seen(
            await runStep(at, events, moveItem, {
              itemId,
              workstreamId: idOf.get(moveTo)!,
              expectedVersion: version.get(itemId),
            }),
          );
        if (!r.statusChanged) await tick(1);
      }
      for (const part of chunks(updates.filter((r) => r.statusChanged))) {
        const statuses = part.map((r) => ({
          itemId: r.item!.id,
          status: r.status!,
          percent: r.percent,
          expectedVersion: version.get(r.item!.id),
        }));
        await runStep(at, events, setItemStatuses, { updates: statuses });
        await tick(part.length);
      }
      for (const item of plan.prune) {
        await runStep(at, events, deleteItem, { itemId: item.id, expectedVersion: item.version });
        await tick(1);
      }
      return { result: undefined, events };
    },
  };
}

/** Writes a checked plan, all or nothing, as the import's actor within the caller's scope. */
export async function applyImportPlan(props: ApplyImportProps): Promise<void> {
  await runWrite(
    { em: props.em, actor: props.actor, scope: props.scope, idempotency: null, forget: () => {} },
    importUseCase(props.onProgress),
    { initiativeId: props.initiativeId, plan: props.plan },
  );
}
