import { DomainError } from '../domain/errors.js';
import type { ImportPlan } from './import-plan.js';
import { PATH_SEPARATOR, type SheetState } from './sheet-state.js';

/**
 * Refuses a plan the initiative has moved away from since it was checked (STALE_VERSION: import
 * again): any workstream made, renamed, moved, deleted or restored (the structure version moved:
 * the plan names workstreams by path, and a path may name another one now, as when two were
 * renamed each to the other's name), a workstream it writes into gone, an item it would create
 * already there, an item it updates or prunes gone (one merely changed is the use-cases' own
 * STALE_VERSION, per row). The plan is made outside the write's lock and this runs under it, so
 * a file is written against the state it was checked against, or not at all (HTTP 409, never a
 * 404 for an id it never named).
 */
export function assertPlanCurrent(plan: ImportPlan, state: SheetState): void {
  const planned = new Set(plan.newWorkstreams);
  const items = new Set(state.items.map((i) => i.id));
  const known = (path: string) => state.workstreams.has(path) || planned.has(path);
  const parentOf = (path: string) => {
    const cut = path.lastIndexOf(PATH_SEPARATOR);
    return cut < 0 ? null : path.slice(0, cut);
  };
  // An item a create row would make that exists now (the same file imported twice at once, or
  // an item added by hand meanwhile): the file would make it twice.
  const named = new Set(state.items.map((i) => `${i.workstreamId}\u0000${i.name}`));
  const madeMeanwhile = (path: string, name: string) => {
    const ws = state.workstreams.get(path);
    return ws !== undefined && named.has(`${ws.id}\u0000${name}`);
  };
  const stale =
    plan.structureVersion !== state.structure.version ||
    plan.newWorkstreams.some((path) => {
      const parent = parentOf(path);
      return state.workstreams.has(path) || (parent !== null && !known(parent));
    }) ||
    plan.rows.some(
      (r) =>
        (r.action === 'create' && (!known(r.path) || madeMeanwhile(r.path, r.name))) ||
        (r.action === 'update' &&
          (!items.has(r.item!.id) || (r.edits.moveTo !== undefined && !known(r.edits.moveTo)))),
    ) ||
    plan.prune.some((i) => !items.has(i.id));
  if (stale) throw new DomainError('STALE_VERSION', '项目在检查后已被修改，请重新导入');
}
