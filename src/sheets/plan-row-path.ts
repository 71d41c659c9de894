/** Where one row of an import goes: the workstream its path names, read as it was exported. */

import type { Field } from './columns.js';
import { resolvePath, type PathPlan, type ResolvedPath } from './plan-paths.js';
import type { SheetState } from './sheet-state.js';
import { belowElsewhere, pathsAtVersion, readPathThen } from './structure-version.js';

/** One row's cells, and how its plan says what is wrong with one of them. */
export interface RowCells {
  cell(field: Field): string | undefined;
  /** run(), or null with its DomainError said on `field`. */
  check<T>(field: Field, run: () => T): T | null;
  refuse(field: Field, message: string): void;
}

/**
 * The workstream a row's path names, or one the import will create (id null); null when the
 * path is refused (said on the row). The path is read at the row's structure version first
 * (structure-version.ts), then against today's tree. A path that siblings of one name share
 * names `own` (the workstream of the row's item, by its ID) when it is one of them, so an
 * export reads back unchanged; any other use of such a path cannot say which one is meant.
 */
export function rowWorkstream(
  row: RowCells,
  state: SheetState,
  paths: PathPlan,
  own: number | null,
): ResolvedPath | null {
  const rawPath = (row.cell('path') ?? '').trim();
  const then = row.check('structure', () =>
    pathsAtVersion(state.structure, row.cell('structure') ?? ''),
  );
  const read = then ? readPathThen(rawPath, then, state.byId, own) : null;
  let ws: ResolvedPath | null;
  if (read?.kind === 'workstream') ws = { ...read.workstream };
  else if (read?.kind === 'gone') {
    row.refuse('path', `工作流“${read.path}”在导出后已被删除；请重新导出后再改`);
    return null;
  } else if (read?.kind === 'below') {
    const elsewhere = belowElsewhere(read, state);
    if (elsewhere !== null) {
      row.refuse(
        'path',
        `工作流“${rawPath}”导出时在“${read.anchor.path}”之下，但“${elsewhere}”现在是另一个工作流，无法区分；请重新导出后再改`,
      );
      return null;
    }
    ws = row.check('path', () => resolvePath(paths, read.path));
  } else ws = row.check('path', () => resolvePath(paths, rawPath));
  if (!ws || ws.id === null || !state.ambiguous.has(ws.path)) return ws;
  const mine = own === null ? undefined : state.byId.get(own);
  if (mine?.path === ws.path) return { ...mine };
  row.refuse('path', `有多个同名工作流“${ws.path}”，无法区分是哪一个；请先给它们改不同的名字`);
  return null;
}
