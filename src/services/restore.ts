import { DomainError } from '../domain/errors.js';
import { itemDelta } from '../domain/tally.js';
import { dialectOf, type Em } from '../db/orm.js';
import type { ItemRecord, WorkstreamRecord } from '../db/records.js';
import {
  applyTallyDeltas,
  findItemsByIds,
  insertChanges,
  workstreamEvent,
} from '../db/queries/item.queries.js';
import {
  countLiveChildren,
  countLiveItems,
  findWorkstream,
  findWorkstreamAnyState,
} from '../db/queries/workstream.queries.js';
import { lockInitiative } from '../db/queries/initiative.queries.js';
import { inTransaction } from './transaction.js';
import { EVERYWHERE, type WriteScope } from './write-scope.js';

export interface RestoreProps {
  readonly em: Em;
  readonly id: number;
  readonly actor: string;
  readonly scope?: WriteScope;
}

/** Brings a deleted item back into every figure; its workstream must be live. */
export async function restoreItem(props: RestoreProps): Promise<ItemRecord> {
  return inTransaction(props.em, async (tem) => {
    const [item] = await findItemsByIds(tem, [props.id], { dialect: dialectOf(tem) });
    if (!item || !(props.scope ?? EVERYWHERE)(item.initiativeId)) {
      throw new DomainError('NOT_FOUND', `事项不存在：${props.id}`, ['id']);
    }
    if (!item.deleted) throw new DomainError('INVALID_INPUT', '事项没有被删除', ['id']);
    await lockInitiative(tem, item.initiativeId);
    const ws = await findWorkstream(tem, item.workstreamId);
    if (!ws)
      throw new DomainError('INVALID_INPUT', '事项所在的工作流已删除，请先恢复工作流', ['id']);
    // The rules createItems keeps: items only where there are no children and no manual percent.
    if ((await countLiveChildren(tem, ws.id)) > 0 || ws.manualPercentBp !== null) {
      throw new DomainError('INVALID_INPUT', '事项所在的工作流现在有下级或人工进度，不能恢复事项', [
        'id',
      ]);
    }
    const now = new Date();
    const version = item.version + 1;
    await tem.execute(
      'update item set deleted_at = null, version = ?, updated_at = ? where id = ?',
      [version, now, item.id],
      'run',
    );
    await applyTallyDeltas(tem, item.initiativeId, [
      {
        workstreamId: item.workstreamId,
        delta: itemDelta(item.status, item.weight, item.percent, 1),
      },
    ]);
    await insertChanges(
      tem,
      [
        {
          initiativeId: item.initiativeId,
          workstreamId: item.workstreamId,
          itemId: item.id,
          kind: 'RESTORE',
          fromStatus: null,
          fromPercent: null,
          toStatus: item.status,
          toPercent: item.percent,
          version,
          actor: props.actor,
          note: null,
        },
      ],
      now,
    );
    return { ...item, deleted: false, version, updatedAt: now };
  });
}

/**
 * Brings back a deleted workstream with the part of its subtree deleted with it (or after);
 * what was deleted before stays deleted. Its parent must be live.
 */
export async function restoreWorkstream(props: RestoreProps): Promise<WorkstreamRecord> {
  return inTransaction(props.em, async (tem) => {
    const seen = await findWorkstreamAnyState(tem, props.id);
    if (seen) await lockInitiative(tem, seen.initiativeId);
    const node = seen && (await findWorkstreamAnyState(tem, props.id)); // again, under the lock
    if (!node || !(props.scope ?? EVERYWHERE)(node.initiativeId)) {
      throw new DomainError('NOT_FOUND', `工作流不存在：${props.id}`, ['id']);
    }
    if (node.deletedAt === null) throw new DomainError('INVALID_INPUT', '工作流没有被删除', ['id']);
    if (node.parentId !== null && !(await findWorkstream(tem, node.parentId))) {
      throw new DomainError('INVALID_INPUT', '上级工作流已删除，请先恢复上级', ['id']);
    }
    if (node.parentId !== null && (await countLiveItems(tem, node.parentId)) > 0) {
      throw new DomainError('INVALID_INPUT', '上级工作流现在有事项，不能恢复下级工作流', ['id']);
    }
    const now = new Date();
    await tem.execute(
      'update workstream set deleted_at = null, updated_at = ? where initiative_id = ? and path like ? and deleted_at >= ?',
      [now, node.initiativeId, `${node.path}%`, node.deletedAt],
      'run',
    );
    await insertChanges(tem, [workstreamEvent(node, 'WORKSTREAM_RESTORE', props.actor)], now);
    return (await findWorkstream(tem, node.id))!;
  });
}
