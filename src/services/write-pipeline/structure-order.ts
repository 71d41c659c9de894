import { reportTimeText } from '../../domain/report-day.js';
import type { ChangeEvent } from '../../domain/change-events.js';
import { DomainError } from '../../domain/errors.js';
import type { Em } from '../../db/em.js';
import { findLatestStructureTime } from '../../db/queries/write-order.queries.js';

/**
 * What a back-dated event must not precede, as `initiativeId:workstreamId` (the workstream part
 * empty for the whole tree), or null. A workstream created under another, moved, deleted or
 * restored reshapes the tree, so it must not precede any structural row of its initiative; an
 * item created in or moved into a workstream only needs that workstream as it then stood, so it
 * must not precede that workstream's own structural rows (its creation, moves, deletion,
 * restoration).
 */
function scopeOf(e: ChangeEvent): string | null {
  switch (e.type) {
    case 'WorkstreamCreated':
      return e.state.parentId === null ? null : `${e.initiativeId}:`;
    case 'WorkstreamMoved':
    case 'WorkstreamDeleted':
    case 'WorkstreamRestored':
      return `${e.initiativeId}:`;
    case 'ItemCreated':
    case 'ItemMoved':
      return `${e.initiativeId}:${e.workstreamId}`;
    default:
      return null;
  }
}

/**
 * Refuses a back-dated structural event that takes effect before the latest structural row it
 * depends on (INVALID_INPUT on `field(i)`, naming that time). Each move is checked against the
 * tree as it stands now; slipped in before a later move it would be replayed against a tree it
 * was never checked against (A under B back-dated before B was moved under A and back out: a
 * cycle in effective time, and the tree vanishes from as-of reads). Keeping the structure's log
 * in effective order makes every as-of tree one that the live checks once accepted.
 */
export async function assertStructureInOrder(
  tem: Em,
  events: readonly ChangeEvent[],
  now: Date,
  field: (eventIndex: number) => readonly string[],
): Promise<void> {
  const earliest = new Map<string, { at: number; index: number }>();
  events.forEach((e, index) => {
    const scope = scopeOf(e);
    if (scope === null || e.effectiveAt.getTime() >= now.getTime()) return;
    const prev = earliest.get(scope);
    if (!prev || e.effectiveAt.getTime() < prev.at)
      earliest.set(scope, { at: e.effectiveAt.getTime(), index });
  });
  for (const [scope, event] of earliest) {
    const [initiativeId, workstreamId] = scope.split(':');
    const latest = await findLatestStructureTime(
      tem,
      Number(initiativeId),
      workstreamId ? Number(workstreamId) : null,
      event.at,
    );
    if (latest !== null && event.at < latest)
      throw new DomainError(
        'INVALID_INPUT',
        `生效时间早于项目结构最近一次变更的生效时间（${reportTimeText(latest)}）；调整结构请用不早于它的时间`,
        [...field(event.index)],
      );
  }
}
