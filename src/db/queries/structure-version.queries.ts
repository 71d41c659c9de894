import type { LogEntry } from '../../domain/replay-items.js';
import { PATH_KINDS } from '../../domain/structure-paths.js';
import type { Em } from '../em.js';
import { ENTRY_COLUMNS, toEntry } from './as-of.queries.js';
import { placeholders } from './sql.js';

/**
 * An initiative's structure version: the id of its newest row that changed a workstream's path
 * (PATH_KINDS), 0 when it has none. Those writes hold the initiative's lock when they log, so
 * their rows are numbered in commit order, and what a read snapshot sees of them is exactly the
 * rows up to this id: an export written at version V was written from the paths those rows make.
 */
export async function findStructureVersion(em: Em, initiativeId: number): Promise<number> {
  const [row] = await em.execute(
    `select max(id) as last from change_log
      where initiative_id = ? and item_id is null and kind in (${placeholders(PATH_KINDS)})`,
    [initiativeId, ...PATH_KINDS],
  );
  return Number(row?.last ?? 0);
}

/** The initiative's rows that changed a workstream's path, up to a version, in id order. */
export async function findPathEntriesUpTo(
  em: Em,
  initiativeId: number,
  version: number,
): Promise<LogEntry[]> {
  const rows = await em.execute(
    `select ${ENTRY_COLUMNS} from change_log
      where initiative_id = ? and item_id is null and kind in (${placeholders(PATH_KINDS)})
        and id <= ?
      order by id`,
    [initiativeId, ...PATH_KINDS, version],
  );
  return rows.map(toEntry);
}
