/** The passes over a whole planned file, once every row is planned: the new paths it needs. */

import type { PlannedRow } from './import-plan.js';
import { pathsAbove } from './sheet-state.js';

/**
 * Keeps, of the paths the rows named, the ones a row that will be written needs (its own path
 * and the new ones above it): a refused row, which `--skip-errors` skips, created its path all
 * the same, and an empty workstream (a 合计 row's, a mistyped path's) stayed in the tree and
 * the report.
 */
export function keepCreatedFor(rows: readonly PlannedRow[], created: string[]): void {
  const needed = new Set<string>();
  for (const r of rows) {
    if (r.action === 'error') continue;
    for (const p of [...pathsAbove(r.path), r.path]) needed.add(p);
  }
  const kept = created.filter((p) => needed.has(p));
  created.splice(0, created.length, ...kept);
}

/**
 * A workstream the file creates under a path also gets children from the file when another row
 * names a path below it; items (new or moved) cannot go into it then. Found once every row is
 * planned, whatever the rows' order, so a preview refuses what the write would.
 */
export function withoutItemsInParents(
  rows: PlannedRow[],
  created: readonly string[],
  column: string,
): PlannedRow[] {
  const parents = new Set(created.flatMap(pathsAbove));
  return rows.map((r) => {
    const placed = r.action === 'create' || (r.item !== null && r.edits.moveTo !== undefined);
    if (!placed || !parents.has(r.path)) return r;
    const error = {
      row: r.row,
      column,
      message: `工作流“${r.path}”在本文件中有下级，事项只能加在最下层`,
    };
    return { ...r, action: 'error', errors: [...r.errors, error] };
  });
}
