import { DomainError } from '../domain/errors.js';
import { itemDelta } from '../domain/tally.js';
import { dialectOf, type Em } from '../db/orm.js';
import {
  applyTallyDeltas,
  findItemsByIds,
  insertChanges,
  markItemDeleted,
} from '../db/queries/item.queries.js';
import { inTransaction } from './transaction.js';
import { EVERYWHERE, type WriteScope } from './write-scope.js';

export interface DeleteItemProps {
  readonly em: Em;
  readonly itemId: number;
  readonly expectedVersion?: number | null;
  readonly actor: string;
  readonly scope?: WriteScope;
}

/** Soft-deletes an item: out of every figure at once, still in the change log. */
export async function deleteItem(props: DeleteItemProps): Promise<number> {
  return inTransaction(props.em, async (tem) => {
    const [item] = await findItemsByIds(tem, [props.itemId], { dialect: dialectOf(tem) });
    if (!item || item.deleted || !(props.scope ?? EVERYWHERE)(item.initiativeId))
      throw new DomainError('NOT_FOUND', `事项不存在：${props.itemId}`, ['id']);
    const expected = props.expectedVersion;
    if (expected !== null && expected !== undefined && expected !== item.version) {
      throw new DomainError(
        'STALE_VERSION',
        `事项已被他人修改（当前版本 ${item.version}），请刷新后重试`,
        ['expectedVersion'],
      );
    }
    const now = new Date();
    await markItemDeleted(tem, item.id, item.version + 1, now);
    await applyTallyDeltas(tem, item.initiativeId, [
      {
        workstreamId: item.workstreamId,
        delta: itemDelta(item.status, item.weight, item.percent, -1),
      },
    ]);
    await insertChanges(
      tem,
      [
        {
          initiativeId: item.initiativeId,
          workstreamId: item.workstreamId,
          itemId: item.id,
          kind: 'DELETE',
          fromStatus: item.status,
          fromPercent: item.percent,
          toStatus: null,
          toPercent: null,
          version: item.version + 1,
          actor: props.actor,
          note: null,
        },
      ],
      now,
    );
    return item.id;
  });
}
