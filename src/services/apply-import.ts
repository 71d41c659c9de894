import type { ChangeEvent } from '../domain/change-events.js';
import { MAX_BULK } from '../domain/errors.js';
import type { Em } from '../db/em.js';
import { turnInWrite } from '../db/write-turn.js';
import { findInitiativesByIds } from '../db/queries/initiative.queries.js';
import { assertPlanCurrent } from '../sheets/plan-current.js';
import type { ImportPlan, PlannedRow } from '../sheets/import-plan.js';
import { PATH_SEPARATOR } from '../sheets/sheet-state.js';
import { createItemsIn, type NewItem } from './create-items.js';
import { createWorkstreams } from './create-workstreams.js';
import { deleteItems } from './delete-item.js';
import { loadSheetState } from './load-sheet-state.js';
import { moveItems } from './move-item.js';
import { setItemStatuses } from './set-item-statuses.js';
import { updateItems } from './update-item.js';
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
 * The whole import as one write: new workstreams (createWorkstreams), then new items
 * (createItemsIn), then matched items' edits (updateItems for name, weight and note, then
 * moveItems), then setItemStatuses, then prune (deleteItems): the mutations' use-cases or their
 * bulk forms, with the same rules, 100 rows a step, in one transaction under the initiative's
 * lock. The pipeline logs every event with the import's actor and applies the counters; any
 * failure (a row someone changed meanwhile: STALE_VERSION) rolls the whole file back.
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
      for (const part of chunks(plan.newWorkstreams)) {
        // A parent made by an earlier step has its id; one made by this step, its place in it.
        const inPart = new Map(part.map((path, i) => [path, i]));
        const workstreams = part.map((path) => {
          const cut = path.lastIndexOf(PATH_SEPARATOR);
          const name = path.slice(cut + 1);
          if (cut < 0) return { name };
          const parentPath = path.slice(0, cut);
          const parentIndex = inPart.get(parentPath);
          return parentIndex === undefined
            ? { name, parentId: idOf.get(parentPath)! }
            : { name, parentIndex };
        });
        const made = await runStep(at, events, createWorkstreams, { initiativeId, workstreams });
        made.forEach((ws, i) => idOf.set(part[i]!, ws.id));
        await tick(part.length);
      }
      // New items by workstream (each workstream's in file order), 100 a step across them.
      const creates = new Map<number, PlannedRow[]>();
      for (const row of ok.filter((r) => r.action === 'create')) {
        const wsId = idOf.get(row.path)!;
        const rows = creates.get(wsId);
        if (rows) rows.push(row);
        else creates.set(wsId, [row]);
      }
      const placed = [...creates].flatMap(([workstreamId, rows]) =>
        rows.map((r) => ({ workstreamId, row: r })),
      );
      for (const part of chunks(placed)) {
        const groups: { workstreamId: number; items: NewItem[] }[] = [];
        for (const { workstreamId, row: r } of part) {
          const item = {
            name: r.name,
            status: r.status,
            percent: r.percent,
            weight: r.weight,
            note: r.note,
          };
          const last = groups.at(-1);
          if (last?.workstreamId === workstreamId) last.items.push(item);
          else groups.push({ workstreamId, items: [item] });
        }
        await runStep(at, events, createItemsIn, { groups });
        await tick(part.length);
      }
      const updates = ok.filter((r) => r.action === 'update');
      // Each use-case checks the version the plan saw and bumps it; the next one expects that.
      const version = new Map(updates.map((r) => [r.item!.id, r.item!.version]));
      const seen = (items: readonly { id: number; version: number }[]) =>
        items.forEach((i) => version.set(i.id, i.version));
      for (const part of chunks(updates)) {
        const edited = part.filter(
          ({ edits: e }) => e.name !== undefined || e.weight !== undefined || e.note !== undefined,
        );
        if (edited.length > 0)
          seen(
            await runStep(at, events, updateItems, {
              updates: edited.map(({ item, edits: { name, weight, note } }) => ({
                itemId: item!.id,
                name,
                weight,
                note,
                expectedVersion: version.get(item!.id),
              })),
            }),
          );
        const moved = part.filter((r) => r.edits.moveTo !== undefined);
        if (moved.length > 0)
          seen(
            await runStep(at, events, moveItems, {
              moves: moved.map(({ item, edits }) => ({
                itemId: item!.id,
                workstreamId: idOf.get(edits.moveTo!)!,
                expectedVersion: version.get(item!.id),
              })),
            }),
          );
        const edits = part.filter((r) => !r.statusChanged).length;
        if (edits > 0) await tick(edits);
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
      for (const part of chunks(plan.prune)) {
        const deletes = part.map((item) => ({ itemId: item.id, expectedVersion: item.version }));
        await runStep(at, events, deleteItems, { deletes });
        await tick(part.length);
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
