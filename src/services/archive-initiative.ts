import { notFound } from '../domain/errors.js';
import type { InitiativeRecord } from '../db/records.js';
import { findInitiativesByIds } from '../db/queries/initiative.queries.js';
import { setInitiativeArchived } from '../db/queries/initiative-writes.queries.js';
import type { UseCase } from './write-pipeline/use-case.js';

export interface ArchiveInitiativeProps {
  readonly initiativeId: number;
}

/**
 * Archives (`archived`) or brings back an initiative. Archived, it leaves `initiatives`, the
 * weekly report and `jindu report --all`, and stays readable by key and id, its figures intact.
 * Archiving what is archived (or restoring what is active) changes nothing and logs nothing.
 */
function archiving(archived: boolean): UseCase<ArchiveInitiativeProps, InitiativeRecord> {
  return {
    name: archived ? 'archiveInitiative' : 'restoreInitiative',
    // Two concurrent (un)archivings of one initiative log in commit order.
    lockTarget: async (_tem, props) => props.initiativeId,
    async run({ tem, now, inScope }, props) {
      const [current] = await findInitiativesByIds(tem, [props.initiativeId]);
      if (!current || !inScope(current.id)) throw notFound('项目', ['initiativeId']);
      if ((current.archivedAt !== null) === archived) return { result: current, events: [] };
      await setInitiativeArchived(tem, current.id, archived ? now : null, now);
      return {
        result: { ...current, archivedAt: archived ? now : null },
        events: [
          {
            type: archived ? 'InitiativeArchived' : 'InitiativeRestored',
            initiativeId: current.id,
            effectiveAt: now,
          },
        ],
      };
    },
  };
}

export const archiveInitiative = archiving(true);
export const restoreInitiative = archiving(false);
