import type { ChangeEvent } from '../domain/change-events.js';
import { effectiveTime } from '../domain/effective-time.js';
import { assertBulkSize } from '../domain/errors.js';
import { dialectOf } from '../db/em.js';
import { findItemsByIds } from '../db/queries/item.queries.js';
import { markItemsDeleted } from '../db/queries/item-writes.queries.js';
import { assertDistinctItems, changeableItem, type FieldOf } from './item-entries.js';
import type { UseCase, WriteStep } from './write-pipeline/use-case.js';

export interface DeleteItemProps {
  readonly itemId: number;
  readonly expectedVersion?: number | null;
  /** When it happened (back-dating); absent: now. */
  readonly effectiveAt?: Date | null;
}

/** The deletes of one call, checked against one read of their items. */
async function applyDeletes(
  { tem, now, inScope }: WriteStep,
  deletes: readonly DeleteItemProps[],
  fieldOf: FieldOf,
) {
  const found = new Map(
    (
      await findItemsByIds(
        tem,
        deletes.map((d) => d.itemId),
        { dialect: dialectOf(tem) },
      )
    ).map((i) => [i.id, i]),
  );
  const written: { id: number; version: number }[] = [];
  const events = deletes.map((d, i): ChangeEvent => {
    const at = (name: string) => fieldOf(i, name);
    const item = changeableItem(found.get(d.itemId), d.expectedVersion, inScope, at);
    written.push({ id: item.id, version: item.version + 1 });
    return {
      type: 'ItemDeleted',
      initiativeId: item.initiativeId,
      workstreamId: item.workstreamId,
      itemId: item.id,
      version: item.version + 1,
      state: { status: item.status, percent: item.percent, weight: item.weight },
      effectiveAt: effectiveTime(d.effectiveAt, now, item.effectiveFrom, at('effectiveAt')),
    };
  });
  await markItemsDeleted(tem, written, now);
  return events;
}

/** Soft-deletes an item: out of every figure at once, still in the change log. */
export const deleteItem: UseCase<DeleteItemProps, number> = {
  name: 'deleteItem',
  lockItems: (props) => [props.itemId],
  async run(step, props) {
    // The deleteItem mutation names the item `id`.
    const events = await applyDeletes(step, [props], (_, name) => [
      name === 'itemId' ? 'id' : name,
    ]);
    return { result: props.itemId, events };
  },
};

export interface DeleteItemsProps {
  /** Up to 100, each item once. */
  readonly deletes: readonly DeleteItemProps[];
}

const inDeletes: FieldOf = (i, name) => ['deletes', String(i), name];

/** deleteItem for up to 100 items at once, all or nothing: an import's prune. */
export const deleteItems: UseCase<DeleteItemsProps, number[]> = {
  name: 'deleteItems',
  lockItems: (props) => props.deletes.map((d) => d.itemId),
  validate(props) {
    assertBulkSize(props.deletes.length, 'deletes', '删除');
    assertDistinctItems(props.deletes, inDeletes);
  },
  async run(step, props) {
    const events = await applyDeletes(step, props.deletes, inDeletes);
    return { result: props.deletes.map((d) => d.itemId), events };
  },
};
