import { setImmediate as turn } from 'node:timers/promises';
import type { Em } from '../db/em.js';
import {
  findPathEntriesUpTo,
  findStructureVersion,
} from '../db/queries/structure-version.queries.js';
import { byEffective } from '../domain/replay-items.js';
import {
  replayPaths,
  workstreamsByNamedPath,
  type NamedThen,
  type ParsedRow,
} from '../domain/structure-paths.js';
import type { StructureThen } from '../sheets/sheet-state.js';
import { MAX_STRUCTURE_VERSIONS } from '../sheets/structure-version.js';

/**
 * The initiative's structure version now, and the paths of each older version a file names
 * (read in the caller's snapshot). One read of the log up to the newest of them, one replay
 * of the paths each (replayPaths: linear in the rows); a version past today's, or past the
 * most a file may name, the plan refuses per row.
 */
export async function loadStructureThen(
  em: Em,
  initiativeId: number,
  versions: readonly number[],
): Promise<StructureThen> {
  const version = await findStructureVersion(em, initiativeId);
  const older = versions.slice(0, MAX_STRUCTURE_VERSIONS).filter((v) => v < version);
  const pathsAt = new Map<number, ReadonlyMap<string, NamedThen>>();
  if (older.length === 0) return { version, pathsAt };
  // Every row of the log, whatever its times (a version is a set of rows, not a moment), in
  // the order a replay applies them, each row's data read once.
  const rows: ParsedRow[] = (await findPathEntriesUpTo(em, initiativeId, Math.max(...older)))
    .sort(byEffective)
    .map((r) => ({
      id: r.id,
      workstreamId: r.workstreamId!,
      kind: r.kind,
      data: r.data ? (JSON.parse(r.data) as Record<string, any>) : {},
    }));
  for (const v of older) {
    // 10,000 workstreams replay in about 8 ms; the loop turns between versions.
    if (pathsAt.size > 0) await turn();
    pathsAt.set(v, workstreamsByNamedPath(replayPaths(rows.filter((r) => r.id <= v))));
  }
  return { version, pathsAt };
}
