import { effectiveTime } from '../domain/effective-time.js';
import { notFound } from '../domain/errors.js';
import { versionMismatch } from '../domain/item-rules.js';
import { dialectOf } from '../db/em.js';
import { findItemsByIds, markItemDeleted } from '../db/queries/item.queries.js';
import type { UseCase } from './write-pipeline/use-case.js';

export interface DeleteItemProps {
  readonly itemId: number;
  readonly expectedVersion?: number | null;
  /** When it happened (back-dating); absent: now. */
  readonly effectiveAt?: Date | null;
}

/** Soft-deletes an item: out of every figure at once, still in the change log. */
export const deleteItem: UseCase<DeleteItemProps, number> = {
  name: 'deleteItem',
  lockItems: (props) => [props.itemId],
  async run({ tem, now, inScope }, props) {
    const [item] = await findItemsByIds(tem, [props.itemId], { dialect: dialectOf(tem) });
    if (!item || item.deleted || !inScope(item.initiativeId)) throw notFound('事项', ['id']);
    const stale = versionMismatch(props.expectedVersion, item.version, ['expectedVersion']);
    if (stale) throw stale;
    const effectiveAt = effectiveTime(props.effectiveAt, now, item.effectiveFrom, ['effectiveAt']);
    await markItemDeleted(tem, item.id, item.version + 1, now);
    return {
      result: item.id,
      events: [
        {
          type: 'ItemDeleted',
          initiativeId: item.initiativeId,
          workstreamId: item.workstreamId,
          itemId: item.id,
          version: item.version + 1,
          state: { status: item.status, percent: item.percent, weight: item.weight },
          effectiveAt,
        },
      ],
    };
  },
};
