import type { Em } from '../db/orm.js';
import { MAX_BULK } from '../domain/errors.js';
import type { ImportPlan, PlannedRow } from '../sheets/plan-import.js';
import { PATH_SEPARATOR } from '../sheets/sheet-state.js';
import { createItems } from './create-items.js';
import { createWorkstream } from './create-workstream.js';
import { deleteItem } from './delete-item.js';
import { findInitiativesByIds } from '../db/queries/initiative.queries.js';
import { loadSheetState } from './load-sheet-state.js';
import { setItemStatuses } from './set-item-statuses.js';
import type { WriteScope } from './write-scope.js';

export interface ApplyImportProps {
  readonly em: Em;
  readonly initiativeId: number;
  readonly plan: ImportPlan;
  readonly actor: string;
  readonly scope?: WriteScope;
  readonly onProgress?: (done: number, total: number) => void;
}

const chunks = <T>(list: readonly T[]): T[][] =>
  Array.from({ length: Math.ceil(list.length / MAX_BULK) }, (_, i) =>
    list.slice(i * MAX_BULK, (i + 1) * MAX_BULK),
  );

/**
 * Writes a checked plan through the same services the mutations use (so every change reaches
 * the counters and the change log with the import's actor): new workstreams, then createItems
 * per workstream, then setItemStatuses, 100 at a time, then prune. The only module that knows
 * which services an import calls. Each batch is one transaction; updates carry the version the
 * plan saw, so an item someone changed meanwhile stops the import with STALE_VERSION.
 */
export async function applyImportPlan(props: ApplyImportProps): Promise<void> {
  const { em, plan, actor, scope } = props;
  const ok = plan.rows.filter((r) => r.action === 'create' || r.action === 'update');
  const total = ok.length + plan.prune.length + plan.newWorkstreams.length;
  let done = 0;
  const tick = (n: number) => props.onProgress?.((done += n), total);
  props.onProgress?.(0, total);

  const [initiative] = await findInitiativesByIds(em.fork() as Em, [props.initiativeId]);
  const known = (await loadSheetState(em.fork() as Em, initiative!)).workstreams;
  const idOf = new Map([...known].map(([path, ws]) => [path, ws.id]));
  for (const path of plan.newWorkstreams) {
    const cut = path.lastIndexOf(PATH_SEPARATOR);
    const parentPath = cut < 0 ? null : path.slice(0, cut);
    const ws = await createWorkstream({
      em: em.fork() as Em,
      initiativeId: props.initiativeId,
      parentId: parentPath === null ? null : idOf.get(parentPath)!,
      name: path.slice(cut + 1),
      scope,
    });
    idOf.set(path, ws.id);
    tick(1);
  }

  const creates = new Map<number, PlannedRow[]>();
  for (const row of ok.filter((r) => r.action === 'create')) {
    const wsId = idOf.get(row.path)!;
    creates.set(wsId, [...(creates.get(wsId) ?? []), row]);
  }
  for (const [workstreamId, rows] of creates) {
    for (const part of chunks(rows)) {
      await createItems({
        em: em.fork() as Em,
        workstreamId,
        actor,
        scope,
        items: part.map((r) => ({
          name: r.name,
          status: r.status,
          percent: r.percent,
          weight: r.weight,
          note: r.note,
        })),
      });
      tick(part.length);
    }
  }
  for (const part of chunks(ok.filter((r) => r.action === 'update'))) {
    await setItemStatuses({
      em: em.fork() as Em,
      actor,
      scope,
      updates: part.map((r) => ({
        itemId: r.item!.id,
        status: r.status!,
        percent: r.percent,
        expectedVersion: r.item!.version,
      })),
    });
    tick(part.length);
  }
  for (const item of plan.prune) {
    await deleteItem({
      em: em.fork() as Em,
      itemId: item.id,
      expectedVersion: item.version,
      actor,
      scope,
    });
    tick(1);
  }
}
