import { assertBulkSize, DomainError, DomainErrors } from '../domain/errors.js';
import type { ItemStatus } from '../domain/item-status.js';
import { nextPercent } from '../domain/item-rules.js';
import { itemDelta, mergeDeltas } from '../domain/tally.js';
import { cleanNote } from '../domain/tree-rules.js';
import { dialectOf, type Em } from '../db/orm.js';
import type { ItemRecord } from '../db/records.js';
import {
  applyTallyDeltas,
  findItemsByIds,
  insertChanges,
  writeItemStatuses,
  type ChangeRow,
} from '../db/queries/item.queries.js';
import { idempotent, type Idempotency } from './idempotency.js';
import { itemsCodec } from './item-codec.js';
import { inTransaction } from './transaction.js';
import { EVERYWHERE, type WriteScope } from './write-scope.js';
import { groupTallyDeltas, type WorkstreamDelta } from './tally-deltas.js';

export interface StatusUpdate {
  readonly itemId: number;
  readonly status: ItemStatus;
  /** Whole number 0–100; when absent see `nextPercent` (DONE → 100, NOT_STARTED → 0, else kept). */
  readonly percent?: number | null;
  /** When given, the update applies only if the item is still at this version. */
  readonly expectedVersion?: number | null;
  /** Why, for the change log. */
  readonly note?: string | null;
}

export interface SetItemStatusesProps {
  readonly em: Em;
  readonly updates: readonly StatusUpdate[];
  readonly actor: string;
  /** Where each update's fields sit in the caller's input, for `userErrors.field`. */
  readonly fieldOf?: (index: number, name: string) => string[];
  readonly scope?: WriteScope;
  /** A retry with the same key returns the first answer and applies nothing. */
  readonly idempotency?: Idempotency | null;
}

const bulkField = (index: number, name: string) => ['updates', String(index), name];

/**
 * Changes the status (and percent) of up to 100 items, all or nothing: one transaction updates
 * the items, their workstreams' counters (atomic upserts) and the change log.
 */
export async function setItemStatuses(props: SetItemStatusesProps): Promise<ItemRecord[]> {
  const { updates, actor } = props;
  const fieldOf = props.fieldOf ?? bulkField;
  assertBulkSize(updates.length, 'updates', '更新');
  const seen = new Set<number>();
  const upfront: DomainError[] = [];
  updates.forEach((u, i) => {
    if (seen.has(u.itemId))
      upfront.push(
        new DomainError('INVALID_INPUT', '同一事项在一次调用中只能出现一次', fieldOf(i, 'itemId')),
      );
    seen.add(u.itemId);
    try {
      if (u.percent !== null && u.percent !== undefined)
        nextPercent(u.status, 0, u.percent, fieldOf(i, 'percent'));
      cleanNote(u.note, fieldOf(i, 'note'));
    } catch (err) {
      if (err instanceof DomainError) upfront.push(err);
      else throw err;
    }
  });
  if (upfront.length > 0) throw new DomainErrors(upfront);

  return inTransaction(props.em, (tem) =>
    idempotent(
      tem,
      props.idempotency,
      { operation: 'setItemStatuses', input: updates },
      itemsCodec,
      async () => {
        const current = new Map(
          (await findItemsByIds(tem, [...seen], { dialect: dialectOf(tem) })).map((item) => [
            item.id,
            item,
          ]),
        );
        const errors: DomainError[] = [];
        const next: ItemRecord[] = [];
        const deltas: WorkstreamDelta[] = [];
        const changes: ChangeRow[] = [];
        const now = new Date();
        updates.forEach((u, i) => {
          const item = current.get(u.itemId);
          if (!item || item.deleted || !(props.scope ?? EVERYWHERE)(item.initiativeId)) {
            errors.push(
              new DomainError('NOT_FOUND', `事项不存在：${u.itemId}`, fieldOf(i, 'itemId')),
            );
            return;
          }
          if (
            u.expectedVersion !== null &&
            u.expectedVersion !== undefined &&
            u.expectedVersion !== item.version
          ) {
            errors.push(
              new DomainError(
                'STALE_VERSION',
                `事项已被他人修改（当前版本 ${item.version}，期望 ${u.expectedVersion}），请刷新后重试`,
                fieldOf(i, 'expectedVersion'),
              ),
            );
            return;
          }
          const percent = nextPercent(u.status, item.percent, u.percent, fieldOf(i, 'percent'));
          const updated: ItemRecord = {
            ...item,
            status: u.status,
            percent,
            version: item.version + 1,
            updatedAt: now,
          };
          next.push(updated);
          deltas.push(
            {
              initiativeId: item.initiativeId,
              workstreamId: item.workstreamId,
              delta: itemDelta(item.status, item.weight, item.percent, -1),
            },
            {
              initiativeId: item.initiativeId,
              workstreamId: item.workstreamId,
              delta: itemDelta(u.status, item.weight, percent, 1),
            },
          );
          changes.push({
            initiativeId: item.initiativeId,
            workstreamId: item.workstreamId,
            itemId: item.id,
            kind: 'STATUS',
            fromStatus: item.status,
            fromPercent: item.percent,
            toStatus: u.status,
            toPercent: percent,
            version: updated.version,
            actor,
            note: cleanNote(u.note, fieldOf(i, 'note')),
          });
        });
        if (errors.length > 0) throw new DomainErrors(errors);
        await writeItemStatuses(tem, next, now);
        for (const [initiativeId, group] of groupTallyDeltas(deltas)) {
          await applyTallyDeltas(tem, initiativeId, mergeDeltas(group));
        }
        await insertChanges(tem, changes, now);
        return next;
      },
    ),
  );
}
