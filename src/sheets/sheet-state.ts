import type { ItemStatus, StatusLabelOverrides } from '../domain/item-status.js';
import { PATH_SEPARATOR, type NamedThen } from '../domain/structure-paths.js';

/** What an import compares a file with: one initiative's workstreams and live items. */
export interface SheetState {
  readonly initiativeId: number;
  readonly statusLabels: StatusLabelOverrides | null;
  /**
   * Every workstream by its path of names joined with '/', e.g. `迁移/Hive迁移-风控报表`; of
   * siblings that share a name, the first (see `ambiguous`).
   */
  readonly workstreams: ReadonlyMap<string, SheetWorkstream>;
  /** Every workstream by id, siblings of one name included. */
  readonly byId: ReadonlyMap<number, SheetWorkstream>;
  /** Paths that name more than one workstream (siblings of one name): a path cannot tell them apart. */
  readonly ambiguous: ReadonlySet<string>;
  readonly items: readonly SheetItem[];
  /**
   * The stage workflow governing each workstream (its stages as JSON, null: none), and the
   * initiative's own, which a new top-level workstream follows: a staged item moves only
   * where the same stages govern.
   */
  readonly workflows: ReadonlyMap<number, string | null>;
  readonly topWorkflow: string | null;
  /** The structure as the file's rows were exported from it (their `结构版本`). */
  readonly structure: StructureThen;
}

/**
 * What an import knows of the structure at the versions a file names: the initiative's
 * version now, and for each older version the file names (at most MAX_STRUCTURE_VERSIONS) its
 * workstreams by path then (null: siblings of one name shared it).
 */
export interface StructureThen {
  readonly version: number;
  readonly pathsAt: ReadonlyMap<number, ReadonlyMap<string, NamedThen>>;
}

export interface SheetWorkstream {
  readonly id: number;
  readonly parentId: number | null;
  readonly path: string;
  readonly hasChildren: boolean;
  readonly manual: boolean;
  /** Its level in the tree, 0 at the top (a name may hold '/': the path's parts do not say). */
  readonly depth: number;
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
  /** Its stage when it follows a stage workflow (status and percent come from the stage). */
  readonly stage: string | null;
}

export { PATH_SEPARATOR };

/** The paths above a path, from the top down: `a/b/c` → `a`, `a/b`. */
export function pathsAbove(path: string): string[] {
  const parts = path.split(PATH_SEPARATOR);
  return parts.slice(1).map((_, n) => parts.slice(0, n + 1).join(PATH_SEPARATOR));
}
