/**
 * An export writes the initiative's structure version (`结构版本`) on every row: the paths in
 * the file are the paths of that version. A workstream renamed or moved since would otherwise
 * read as a path the file asks for, and an unedited row would move its item back (into a
 * workstream made anew under the old name). An import reads each path as it named a workstream
 * then, and writes to that workstream where it stands now.
 */
import { DomainError } from '../domain/errors.js';
import type { NamedThen } from '../domain/structure-paths.js';
import { parseWholeNumber } from './parse-cells.js';
import type { Field } from './columns.js';
import {
  PATH_SEPARATOR,
  type SheetState,
  type SheetWorkstream,
  type StructureThen,
} from './sheet-state.js';

/**
 * How many older versions one file may name: each costs a replay of the structure's log. An
 * export names one; rows pasted together from a few exports, a few.
 */
export const MAX_STRUCTURE_VERSIONS = 16;

/** The version a cell names, as a number column reads (`12`, `１２`, `12.0`); null when empty. */
function versionIn(text: string): number | null {
  return text.trim() === '' ? null : parseWholeNumber(text, '结构版本');
}

/** The versions a file's rows name, first seen first, up to one past the most it may name. */
export function structureVersionsOf(sheet: {
  readonly rows: readonly { readonly cells: ReadonlyMap<Field, string> }[];
}): number[] {
  const found = new Set<number>();
  for (const row of sheet.rows) {
    let version: number | null;
    try {
      version = versionIn(row.cells.get('structure') ?? '');
    } catch {
      continue; // not a number: the row's own error, when it is planned
    }
    if (version === null || version < 0) continue;
    found.add(version);
    if (found.size > MAX_STRUCTURE_VERSIONS) break;
  }
  return [...found];
}

/**
 * The paths of the version a row names: null when that is the version now (its paths are
 * today's) or the cell is empty (a sheet made by hand, or an as-of export).
 */
export function pathsAtVersion(
  structure: StructureThen,
  text: string,
): ReadonlyMap<string, NamedThen> | null {
  const version = versionIn(text);
  if (version === null) return null;
  if (version < 0) throw new DomainError('INVALID_INPUT', `结构版本不能是负数，收到“${text}”`);
  if (version > structure.version)
    throw new DomainError(
      'INVALID_INPUT',
      `结构版本 ${version} 比本项目现在的（${structure.version}）还新：这一行不是从本项目导出的`,
    );
  if (version === structure.version) return null;
  const paths = structure.pathsAt.get(version);
  if (!paths)
    throw new DomainError(
      'INVALID_INPUT',
      `文件中有超过 ${MAX_STRUCTURE_VERSIONS} 种结构版本：请重新导出后再改`,
    );
  return paths;
}

/** A path read at the version it was written in. */
export type PathThen =
  /** It named no workstream then, or siblings of one name: read as written, against today. */
  | { readonly kind: 'as-written' }
  /** It named this workstream then. */
  | { readonly kind: 'workstream'; readonly workstream: SheetWorkstream }
  /** It names a new workstream below one that stood then (`anchor`): below where that one is now. */
  | { readonly kind: 'below'; readonly path: string; readonly anchor: SheetWorkstream }
  /** The workstream it (or the part above its new names) named then has been deleted since. */
  | { readonly kind: 'gone'; readonly path: string };

/**
 * Reads `text` against the paths of its version: the longest leading part (whole names
 * between '/') that named one workstream then decides, so a new workstream below a renamed
 * one goes below it, not below a copy made under its old name. A whole path that siblings of
 * one name shared then names the one `own` is (the workstream of the row's item, by its ID)
 * when it was one of them: the row leaves its item where it is, wherever that one stands now.
 */
export function readPathThen(
  text: string,
  then: ReadonlyMap<string, NamedThen>,
  now: ReadonlyMap<number, SheetWorkstream>,
  own: number | null = null,
): PathThen {
  const read = readPathAsIs(text, then, now, own);
  if (read.kind !== 'as-written') return read;
  // Spaces around a '/' (`迁移 / 乙`), which a path read against today's tree drops too.
  const trimmed = text
    .split(PATH_SEPARATOR)
    .map((part) => part.trim())
    .join(PATH_SEPARATOR);
  return trimmed === text ? read : readPathAsIs(trimmed, then, now, own);
}

function readPathAsIs(
  text: string,
  then: ReadonlyMap<string, NamedThen>,
  now: ReadonlyMap<number, SheetWorkstream>,
  own: number | null,
): PathThen {
  for (let end = text.length; end > 0; end = text.lastIndexOf(PATH_SEPARATOR, end - 1)) {
    const part = text.slice(0, end);
    const id = then.get(part);
    if (id === undefined) continue;
    if (typeof id !== 'number') {
      const mine = end === text.length && own !== null && id.includes(own) ? now.get(own) : null;
      return mine ? { kind: 'workstream', workstream: mine } : { kind: 'as-written' };
    }
    const workstream = now.get(id);
    if (!workstream) return { kind: 'gone', path: part };
    if (end === text.length) return { kind: 'workstream', workstream };
    return { kind: 'below', path: workstream.path + text.slice(end), anchor: workstream };
  }
  return { kind: 'as-written' };
}

/**
 * The first part of a path read below a workstream that names, today, a workstream not under
 * it (one whose name holds '/', or below a sibling of the same name), or null. The plan and the
 * write find workstreams by path, so the row would land in that one, not below the anchor.
 */
export function belowElsewhere(
  read: { readonly path: string; readonly anchor: SheetWorkstream },
  state: Pick<SheetState, 'workstreams' | 'byId'>,
): string | null {
  const under = (id: number) => {
    for (
      let w = state.byId.get(id);
      w;
      w = w.parentId === null ? undefined : state.byId.get(w.parentId)
    )
      if (w.id === read.anchor.id) return true;
    return false;
  };
  const from = read.anchor.path.length + 1;
  for (
    let cut = read.path.indexOf(PATH_SEPARATOR, from);
    ;
    cut = read.path.indexOf(PATH_SEPARATOR, cut + 1)
  ) {
    const part = cut < 0 ? read.path : read.path.slice(0, cut);
    const ws = state.workstreams.get(part);
    if (ws && !under(ws.id)) return part;
    if (cut < 0) return null;
  }
}
