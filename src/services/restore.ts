import { DomainError, notFound } from '../domain/errors.js';
import { dialectOf } from '../db/em.js';
import type { ItemRecord, WorkstreamRecord } from '../db/records.js';
import { findItemsByIds, markItemRestored } from '../db/queries/item.queries.js';
import {
  hasLiveChildren,
  hasLiveItems,
  findWorkstream,
  findWorkstreamAnyState,
} from '../db/queries/workstream.queries.js';
import { restoreSubtree } from '../db/queries/workstream-writes.queries.js';
import { initiativeOfItem } from './item-entries.js';
import type { UseCase } from './write-pipeline/use-case.js';

export interface RestoreProps {
  readonly id: number;
}

/** Brings a deleted item back into every figure; its workstream must be live. */
export const restoreItem: UseCase<RestoreProps, ItemRecord> = {
  name: 'restoreItem',
  lockItems: (props) => [props.id],
  lockTarget: (tem, props) => initiativeOfItem(tem, props.id),
  async run({ tem, now, inScope }, props) {
    const [item] = await findItemsByIds(tem, [props.id], { dialect: dialectOf(tem) });
    if (!item || !inScope(item.initiativeId)) {
      throw notFound('事项', ['id']);
    }
    if (!item.deleted) throw new DomainError('INVALID_INPUT', '事项没有被删除', ['id']);
    const ws = await findWorkstream(tem, item.workstreamId);
    if (!ws)
      throw new DomainError('INVALID_INPUT', '事项所在的工作流已删除，请先恢复工作流', ['id']);
    // The rules createItems keeps: items only where there are no children and no manual percent.
    if ((await hasLiveChildren(tem, ws)) || ws.manualPercentBp !== null) {
      throw new DomainError('INVALID_INPUT', '事项所在的工作流现在有下级或人工进度，不能恢复事项', [
        'id',
      ]);
    }
    const version = item.version + 1;
    await markItemRestored(tem, item.id, version, now);
    return {
      result: { ...item, deleted: false, version, updatedAt: now },
      events: [
        {
          type: 'ItemRestored',
          initiativeId: item.initiativeId,
          workstreamId: item.workstreamId,
          itemId: item.id,
          version,
          state: { status: item.status, percent: item.percent, weight: item.weight },
          effectiveAt: now,
        },
      ],
    };
  },
};

/**
 * Brings back a deleted workstream with the part of its subtree deleted with it (or after);
 * what was deleted before stays deleted. Its parent must be live.
 */
export const restoreWorkstream: UseCase<RestoreProps, WorkstreamRecord> = {
  name: 'restoreWorkstream',
  lockTarget: async (tem, props) =>
    (await findWorkstreamAnyState(tem, props.id))?.initiativeId ?? null,
  async run({ tem, now, inScope }, props) {
    const node = await findWorkstreamAnyState(tem, props.id);
    if (!node || !inScope(node.initiativeId)) {
      throw notFound('工作流', ['id']);
    }
    const deletedAt = node.deletedAt;
    if (deletedAt === null) throw new DomainError('INVALID_INPUT', '工作流没有被删除', ['id']);
    if (node.parentId !== null && !(await findWorkstream(tem, node.parentId))) {
      throw new DomainError('INVALID_INPUT', '上级工作流已删除，请先恢复上级', ['id']);
    }
    if (node.parentId !== null && (await hasLiveItems(tem, node.parentId))) {
      throw new DomainError('INVALID_INPUT', '上级工作流现在有事项，不能恢复下级工作流', ['id']);
    }
    const subtree = await restoreSubtree(tem, { ...node, deletedAt }, now);
    return {
      result: (await findWorkstream(tem, node.id))!,
      events: [
        {
          type: 'WorkstreamRestored',
          initiativeId: node.initiativeId,
          workstreamId: node.id,
          subtree,
          effectiveAt: now,
        },
      ],
    };
  },
};
