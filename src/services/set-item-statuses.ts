import type { ChangeEvent } from '../domain/change-events.js';
import { effectiveTime } from '../domain/effective-time.js';
import { assertBulkSize, DomainError, DomainErrors } from '../domain/errors.js';
import type { ItemStatus } from '../domain/item-status.js';
import { nextPercent } from '../domain/item-rules.js';
import { cleanNote } from '../domain/tree-rules.js';
import { dialectOf } from '../db/em.js';
import type { ItemRecord } from '../db/records.js';
import { findItemsWithStages } from '../db/queries/item.queries.js';
import { writeItemStatuses } from '../db/queries/item-writes.queries.js';
import { itemsCodec } from './item-codec.js';
import { itemToChange } from './item-entries.js';
import { assertStageAgrees } from '../domain/item-rules.js';
import type { UseCase } from './write-pipeline/use-case.js';

export interface StatusUpdate {
  readonly itemId: number;
  readonly status: ItemStatus;
  /** Whole number 0–100; when absent see `nextPercent` (DONE → 100, NOT_STARTED → 0, else kept). */
  readonly percent?: number | null;
  /** When given, the update applies only if the item is still at this version. */
  readonly expectedVersion?: number | null;
  /** Why, for the change log. */
  readonly note?: string | null;
  /** When it happened (back-dating); absent: now. */
  readonly effectiveAt?: Date | null;
}

export interface SetItemStatusesProps {
  readonly updates: readonly StatusUpdate[];
  /** One update sent as `setItemStatus`: errors name the input's fields without a list index. */
  readonly single?: boolean;
  /** Every update's effective time unless it gives its own; absent: now. */
  readonly effectiveAt?: Date | null;
}

function fieldOf(props: SetItemStatusesProps, index: number, name: string): string[] {
  return props.single ? [name] : ['updates', String(index), name];
}

/** What can be refused without reading an item: duplicates, percents, notes. */
function validate(props: SetItemStatusesProps): void {
  assertBulkSize(props.updates.length, 'updates', '更新');
  const seen = new Set<number>();
  const errors: DomainError[] = [];
  props.updates.forEach((u, i) => {
    if (seen.has(u.itemId))
      errors.push(
        new DomainError(
          'INVALID_INPUT',
          '同一事项在一次调用中只能出现一次',
          fieldOf(props, i, 'itemId'),
        ),
      );
    seen.add(u.itemId);
    try {
      if (u.percent !== null && u.percent !== undefined)
        nextPercent(u.status, 0, u.percent, fieldOf(props, i, 'percent'));
      cleanNote(u.note, fieldOf(props, i, 'note'));
    } catch (err) {
      if (err instanceof DomainError) errors.push(err);
      else throw err;
    }
  });
  if (errors.length > 0) throw new DomainErrors(errors);
}

/** A call-level effectiveAt refused for several items is one error, not one per item. */
function distinct(errors: readonly DomainError[]): DomainError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = JSON.stringify([e.code, e.message, e.field]);
    return !seen.has(key) && Boolean(seen.add(key));
  });
}

/**
 * Changes the status (and percent) of up to 100 items, all or nothing. The hot path: one read
 * of the items (kept prepared statements on SQLite), one update per item; the pipeline adds
 * one counter upsert and one log insert.
 */
export const setItemStatuses: UseCase<SetItemStatusesProps, ItemRecord[]> = {
  name: 'setItemStatuses',
  lockItems: (props) => props.updates.map((u) => u.itemId),
  validate,
  codec: itemsCodec,
  // One event per update, in order (any refused update aborts the call before events exist).
  effectiveField: (props, i) =>
    props.updates[i]?.effectiveAt || props.single
      ? fieldOf(props, i, 'effectiveAt')
      : ['effectiveAt'],
  async run({ tem, now, inScope }, props) {
    const ids = props.updates.map((u) => u.itemId);
    const read = await findItemsWithStages(tem, ids, { dialect: dialectOf(tem) });
    const current = new Map(read.items.map((item) => [item.id, item]));
    const staged = read.stages;
    const errors: DomainError[] = [];
    const next: ItemRecord[] = [];
    const events: ChangeEvent[] = [];
    props.updates.forEach((u, i) => {
      const at = (name: string) => fieldOf(props, i, name);
      const item = itemToChange(current.get(u.itemId), u.expectedVersion, inScope, at);
      if (item instanceof DomainError) {
        errors.push(item);
        return;
      }
      try {
        const own = u.effectiveAt !== null && u.effectiveAt !== undefined;
        const effectiveAt = effectiveTime(
          own ? u.effectiveAt : props.effectiveAt,
          now,
          item.effectiveFrom,
          own || props.single ? at('effectiveAt') : ['effectiveAt'],
        );
        const percent = nextPercent(u.status, item.percent, u.percent, at('percent'));
        assertStageAgrees(item, staged.get(item.id), { status: u.status, percent }, at('status'));
        const updated = {
          ...item,
          status: u.status,
          percent,
          version: item.version + 1,
          updatedAt: now,
        };
        next.push(updated);
        events.push({
          type: 'ItemStatusChanged',
          initiativeId: item.initiativeId,
          workstreamId: item.workstreamId,
          itemId: item.id,
          version: updated.version,
          weight: item.weight,
          from: { status: item.status, percent: item.percent },
          to: { status: u.status, percent },
          effectiveAt,
          note: cleanNote(u.note, at('note')),
        });
      } catch (err) {
        if (err instanceof DomainError) errors.push(err);
        else throw err;
      }
    });
    if (errors.length > 0) throw new DomainErrors(distinct(errors));
    await writeItemStatuses(tem, next, now);
    return { result: next, events };
  },
};
