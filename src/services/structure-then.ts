import type { Em } from '../db/em.js';
import {
  findPathEntriesUpTo,
  findStructureVersion,
} from '../db/queries/structure-version.queries.js';
import { replayStructure } from '../domain/replay-structure.js';
import { workstreamsByNamedPath, type NamedThen } from '../domain/structure-paths.js';
import type { StructureThen } from '../sheets/sheet-state.js';
import { MAX_STRUCTURE_VERSIONS } from '../sheets/structure-version.js';

/** Every row of the log, whatever its times: a version is a set of rows, not a moment. */
const ALL_OF_IT = { asOf: Number.POSITIVE_INFINITY, knownAt: Number.POSITIVE_INFINITY };

/**
 * The initiative's structure version now, and the paths of each older version a file names
 * (read in the caller's snapshot). One read of the log up to the newest of them, one replay
 * each; a version past today's, or past the most a file may name, the plan refuses per row.
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
  const rows = await findPathEntriesUpTo(em, initiativeId, Math.max(...older));
  for (const v of older) {
    const { workstreams } = replayStructure(
      rows.filter((r) => r.id <= v),
      ALL_OF_IT,
    );
    pathsAt.set(v, workstreamsByNamedPath(workstreams));
  }
  return { version, pathsAt };
}
