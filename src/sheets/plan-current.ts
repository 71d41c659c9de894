import { DomainError } from '../domain/errors.js';
import type { ImportPlan } from './import-plan.js';
import type { SheetState } from './sheet-state.js';

/**
 * Refuses a plan the initiative has moved away from since it was checked (STALE_VERSION: import
 * again): any workstream made, renamed, moved, deleted or restored (the structure version moved:
 * the plan names workstreams by path, and a path may name another one now, as when two were
 * renamed each to the other's name; with the version unchanged every path the plan named or
 * would create stands as it did), an item it would create already there, an item it updates or
 * prunes gone (one merely changed is the use-cases' own STALE_VERSION, per row). The plan is
 * made outside the write's lock and this runs under it, so a file is written against the state
 * it was checked against, or not at all (HTTP 409, never a 404 for an id it never named).
 */
export function assertPlanCurrent(plan: ImportPlan, state: SheetState): void {
  const items = new Set(state.items.map((i) => i.id));
  // An item a create row would make that exists now (the same file imported twice at once, or
  // an item added by hand meanwhile): the file would make it twice.
  const named = new Set(state.items.map((i) => `${i.workstreamId}\u0000${i.name}`));
  const madeMeanwhile = (path: string, name: string) => {
    const ws = state.workstreams.get(path);
    return ws !== undefined && named.has(`${ws.id}\u0000${name}`);
  };
  const stale =
    plan.structureVersion !== state.structure.version ||
    plan.rows.some(
      (r) =>
        (r.action === 'create' && madeMeanwhile(r.path, r.name)) ||
        (r.action === 'update' && !items.has(r.item!.id)),
    ) ||
    plan.prune.some((i) => !items.has(i.id));
  if (stale) throw new DomainError('STALE_VERSION', '项目在检查后已被修改，请重新导入');
}
