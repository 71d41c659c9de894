import { DomainError } from '../domain/errors.js';
import { assertDepth, assertMoveKeepsTree, childPath, depthOfPath } from '../domain/tree-rules.js';
import type { Em } from '../db/orm.js';
import type { WorkstreamRecord } from '../db/records.js';
import {
  countLiveItems,
  deepestBelow,
  findWorkstream,
  placeAmongSiblings,
} from '../db/queries/workstream.queries.js';
import { lockInitiative } from '../db/queries/initiative.queries.js';
import { inTransaction } from './transaction.js';
import { EVERYWHERE, type WriteScope } from './write-scope.js';

export interface MoveWorkstreamProps {
  readonly em: Em;
  readonly id: number;
  /** The new parent, or null for the top level. Moves stay inside the initiative. */
  readonly parentId: number | null;
  readonly position?: number | null;
  readonly scope?: WriteScope;
}

/** Moves a workstream and its subtree: one prefix rewrite of the subtree's paths. */
export async function moveWorkstream(props: MoveWorkstreamProps): Promise<WorkstreamRecord> {
  if (
    props.position !== undefined &&
    props.position !== null &&
    (!Number.isInteger(props.position) || props.position < 0)
  ) {
    throw new DomainError('INVALID_INPUT', '位置必须是非负整数', ['position']);
  }
  return inTransaction(props.em, async (tem) => {
    const seen = await findWorkstream(tem, props.id);
    if (!seen || !(props.scope ?? EVERYWHERE)(seen.initiativeId))
      throw new DomainError('NOT_FOUND', `工作流不存在：${props.id}`, ['id']);
    await lockInitiative(tem, seen.initiativeId);
    // Read again under the lock: a concurrent move may have changed the path.
    const node = await findWorkstream(tem, props.id);
    if (!node) throw new DomainError('NOT_FOUND', `工作流不存在：${props.id}`, ['id']);
    const parent = props.parentId === null ? null : await findWorkstream(tem, props.parentId);
    if (props.parentId !== null && (!parent || parent.initiativeId !== node.initiativeId)) {
      throw new DomainError('NOT_FOUND', `上级工作流不存在：${props.parentId}`, ['parentId']);
    }
    assertMoveKeepsTree(node.path, parent?.path ?? null);
    if (parent && (await countLiveItems(tem, parent.id)) > 0) {
      throw new DomainError('INVALID_INPUT', '目标上级已有事项，不能再添加下级工作流', [
        'parentId',
      ]);
    }
    const newPath = childPath(parent?.path ?? null, node.id);
    const depthDelta = depthOfPath(newPath) - node.depth;
    assertDepth((await deepestBelow(tem, node.initiativeId, node.path)) + depthDelta);
    const position = await placeAmongSiblings(
      tem,
      node.initiativeId,
      props.parentId,
      props.position,
    );
    await tem.execute(
      `update workstream set path = ? || substr(path, ?), depth = depth + ?
        where initiative_id = ? and path like ?`,
      [newPath, node.path.length + 1, depthDelta, node.initiativeId, `${node.path}%`],
      'run',
    );
    await tem.execute(
      'update workstream set parent_id = ?, position = ?, updated_at = ? where id = ?',
      [props.parentId, position, new Date(), node.id],
      'run',
    );
    return (await findWorkstream(tem, node.id))!;
  });
}
