import type { ResolvedPath } from './plan-paths.js';
import type { SheetItem } from './sheet-state.js';

/** What a row changes on an existing item besides its status and percent. */
export interface ItemEdits {
  readonly name?: string;
  readonly weight?: number;
  /** Only when the file's note cell is filled: an empty cell keeps the note. */
  readonly note?: string;
  /** The path of the leaf workstream it moves to (one the import may create). */
  readonly moveTo?: string;
}

export interface RowValues {
  readonly name: string;
  readonly ws: ResolvedPath | null;
  readonly weight: number | null;
  readonly note: string | null;
  readonly noteGiven: boolean;
}

/**
 * Compares a matched item with its row: a different name or workstream (possible only through
 * the ID column), weight or note becomes an edit, each with its line for the preview. Pure.
 */
export function planEdits(
  item: SheetItem,
  row: RowValues,
  pathOf: (workstreamId: number) => string,
): { edits: ItemEdits; changes: string[] } {
  const edits: { -readonly [K in keyof ItemEdits]: ItemEdits[K] } = {};
  const changes: string[] = [];
  if (row.name !== '' && row.name !== item.name) {
    edits.name = row.name;
    changes.push(`名称 ${item.name}→${row.name}`);
  }
  if (row.ws && row.ws.id !== item.workstreamId) {
    edits.moveTo = row.ws.path;
    changes.push(`工作流 ${pathOf(item.workstreamId)}→${row.ws.path}`);
  }
  if (row.weight !== null && row.weight !== item.weight) {
    edits.weight = row.weight;
    changes.push(`权重 ${item.weight}→${row.weight}`);
  }
  if (row.noteGiven && row.note !== null && row.note !== item.note) {
    edits.note = row.note;
    changes.push(item.note === null ? '备注 新增' : '备注 修改');
  }
  return { edits, changes };
}
