import type { BaselineType, ChangeEventType } from './change-events.js';
import type { WorkstreamReplayState } from './replay-structure.js';

/** What a workstream's path is made of. */
export type PathState = Pick<WorkstreamReplayState, 'name' | 'parentId' | 'deleted'>;

/** A log row with its data read (once, however many versions replay it). */
export interface ParsedRow {
  readonly id: number;
  readonly workstreamId: number;
  readonly kind: string;
  readonly data: Record<string, any>;
}

/** Joins a workstream's name to its parent's path, as sheets write paths (`迁移/Hive迁移-风控报表`). */
export const PATH_SEPARATOR = '/';

/**
 * The log rows that change a workstream's path: its name, its place, or whether it is there.
 * Every write of one holds the initiative's lock when it logs (run-write.ts `lockTarget`), so
 * they are numbered in commit order; rows of other kinds (health, metrics) may not be.
 */
export const PATH_KINDS = [
  'WorkstreamBaseline',
  'WorkstreamCreated',
  'WorkstreamRenamed',
  'WorkstreamMoved',
  'WorkstreamDeleted',
  'WorkstreamRestored',
] as const satisfies readonly (ChangeEventType | BaselineType)[];

/**
 * A path of a version: the workstream it named, or the ids of the siblings of one name that
 * shared it (it named none of them alone).
 */
export type NamedThen = number | readonly number[];

/**
 * Every live workstream of a replayed structure by its path of names: the id, or the ids of
 * the siblings of one name that share the path. A workstream deleted, or under one deleted or
 * not yet known, has no path.
 */
export function workstreamsByNamedPath(
  workstreams: ReadonlyMap<number, PathState>,
): Map<string, NamedThen> {
  const paths = new Map<number, string | null>();
  const pathOf = (id: number, seen: Set<number>): string | null => {
    if (paths.has(id)) return paths.get(id)!;
    const ws = workstreams.get(id);
    if (!ws || ws.deleted || seen.has(id)) return null;
    seen.add(id);
    const parent = ws.parentId === null ? '' : pathOf(ws.parentId, seen);
    const path =
      parent === null ? null : parent === '' ? ws.name : parent + PATH_SEPARATOR + ws.name;
    paths.set(id, path);
    return path;
  };
  const byPath = new Map<string, NamedThen>();
  for (const id of workstreams.keys()) {
    const path = pathOf(id, new Set());
    if (path === null) continue;
    const before = byPath.get(path);
    byPath.set(
      path,
      before === undefined ? id : [...(typeof before === 'number' ? [before] : before), id],
    );
  }
  return byPath;
}

/**
 * Each workstream's name, parent and deletion after `rows` (PATH_KINDS rows of one initiative,
 * in the order replayStructure applies them: effective order, ties by id), as replayStructure
 * leaves them. Without the places among siblings, which say nothing of a path and cost it a
 * pass over every workstream per row created or moved: 16 versions of 10,000 workstreams took
 * it seconds.
 */
export function replayPaths(rows: readonly ParsedRow[]): Map<number, PathState> {
  const all = new Map<number, { name: string; parentId: number | null; deleted: boolean }>();
  for (const { workstreamId: id, kind, data } of rows) {
    const ws = all.get(id);
    switch (kind) {
      case 'WorkstreamCreated':
      case 'WorkstreamBaseline':
        all.set(id, {
          name: data.state.name,
          parentId: data.state.parentId,
          deleted: Boolean(data.deleted),
        });
        break;
      case 'WorkstreamDeleted':
      case 'WorkstreamRestored':
        for (const member of [id, ...((data.subtree as number[] | undefined) ?? [])]) {
          const m = all.get(member);
          if (m) m.deleted = kind === 'WorkstreamDeleted';
        }
        break;
      case 'WorkstreamMoved':
        if (ws) ws.parentId = data.to.parentId;
        break;
      case 'WorkstreamRenamed':
        if (ws) ws.name = data.to;
        break;
    }
  }
  return all;
}
