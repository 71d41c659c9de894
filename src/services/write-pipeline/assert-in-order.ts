import { reportTimeText } from '../../domain/report-day.js';
import type { ChangeEvent } from '../../domain/change-events.js';
import { DomainError } from '../../domain/errors.js';
import type { Em } from '../../db/em.js';
import { findLatestEffective } from '../../db/queries/write-order.queries.js';
import { assertStructureInOrder } from './structure-order.js';

/** The object an event changes: its item, else its workstream, else its initiative. */
function objectOf(e: ChangeEvent): string {
  if ('itemId' in e) return `item:${e.itemId}`;
  if ('workstreamId' in e) return `workstream:${e.workstreamId}`;
  return `initiative:${e.initiativeId}`;
}

/**
 * Refuses an event that takes effect before the latest change already logged for its object
 * (INVALID_INPUT on `field(i)`): each object's log then runs forward in effective time in the
 * order it was recorded, so a replay at (now, now) is exactly the live state and an object's
 * state at any time is its last row then. A correction is a new row at or after the latest.
 * Only back-dated events can break that, so only they cost a query (one per kind of object).
 * Structural events are also kept in order across the initiative (`assertStructureInOrder`).
 */
export async function assertInEffectiveOrder(
  tem: Em,
  events: readonly ChangeEvent[],
  now: Date,
  field: (eventIndex: number) => readonly string[],
): Promise<void> {
  await assertStructureInOrder(tem, events, now, field);
  const earliest = new Map<string, { at: number; index: number }>();
  events.forEach((e, index) => {
    if (e.effectiveAt.getTime() >= now.getTime()) return;
    const key = objectOf(e);
    const prev = earliest.get(key);
    if (!prev || e.effectiveAt.getTime() < prev.at)
      earliest.set(key, { at: e.effectiveAt.getTime(), index });
  });
  if (earliest.size === 0) return;
  const ids = { items: [] as number[], workstreams: [] as number[], initiatives: [] as number[] };
  for (const key of earliest.keys()) {
    const [kind, id] = key.split(':');
    ids[kind === 'item' ? 'items' : kind === 'workstream' ? 'workstreams' : 'initiatives'].push(
      Number(id),
    );
  }
  for (const { kind, id, latest } of await findLatestEffective(tem, ids)) {
    const event = earliest.get(`${kind}:${id}`);
    if (event && event.at < latest) {
      throw new DomainError(
        'INVALID_INPUT',
        `生效时间早于该对象最近一次变更的生效时间（${reportTimeText(latest)}）；更正请用不早于它的时间`,
        [...field(event.index)],
      );
    }
  }
}
