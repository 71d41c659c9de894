/** What an import will do with a file: planned by plan-import.ts, written by apply-import.ts. */

import type { ItemStatus } from '../domain/item-status.js';
import type { SheetItem } from './sheet-state.js';
import type { ItemEdits } from './plan-edits.js';

export type RowAction = 'create' | 'update' | 'unchanged' | 'error';

export interface RowError {
  readonly row: number;
  /** The column's header as the file wrote it. */
  readonly column: string;
  readonly message: string;
}

export interface PlannedRow {
  readonly row: number;
  readonly action: RowAction;
  readonly path: string;
  readonly name: string;
  /** The matched item (update / unchanged), or null. */
  readonly item: SheetItem | null;
  readonly status: ItemStatus | null;
  readonly percent: number | null;
  readonly weight: number | null;
  readonly note: string | null;
  /** Name, workstream, weight and note changes of a matched item (updateItem, moveItem). */
  readonly edits: ItemEdits;
  /** Whether a matched item's status or percent changes (setItemStatuses). */
  readonly statusChanged: boolean;
  /** What an update changes, e.g. `状态 处理中→完成`. */
  readonly changes: readonly string[];
  readonly errors: readonly RowError[];
}

export interface ImportPlan {
  readonly rows: readonly PlannedRow[];
  /** Workstream paths to create, parents before children. */
  readonly newWorkstreams: readonly string[];
  /** Items not in the file (only with prune). */
  readonly prune: readonly SheetItem[];
  readonly summary: Readonly<Record<RowAction | 'prune' | 'newWorkstreams', number>>;
  /**
   * The initiative's structure version the plan read its paths in: a write that finds another
   * (a workstream made, renamed, moved, deleted or restored since) is refused (plan-current.ts).
   */
  readonly structureVersion: number;
}

export interface PlanOptions {
  readonly prune: boolean;
  /** An ID cell's item id, or null when it is not one of ours. */
  readonly itemIdOf: (text: string) => number | null;
}
