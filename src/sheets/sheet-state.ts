import type { ItemStatus, StatusLabelOverrides } from '../domain/item-status.js';

/** What an import compares a file with: one initiative's workstreams and live items. */
export interface SheetState {
  readonly initiativeId: number;
  readonly statusLabels: StatusLabelOverrides | null;
  /** Every workstream by its path of names joined with '/', e.g. `迁移/Hive迁移-风控报表`. */
  readonly workstreams: ReadonlyMap<string, SheetWorkstream>;
  readonly items: readonly SheetItem[];
}

export interface SheetWorkstream {
  readonly id: number;
  readonly path: string;
  readonly hasChildren: boolean;
  readonly manual: boolean;
}

export interface SheetItem {
  readonly id: number;
  readonly workstreamId: number;
  readonly name: string;
  readonly status: ItemStatus;
  readonly percent: number;
  readonly weight: number;
  readonly note: string | null;
  readonly version: number;
}

export const PATH_SEPARATOR = '/';
