import { DomainError } from '../domain/errors.js';
import type { Em } from '../db/orm.js';
import { insertChanges, workstreamEvent } from '../db/queries/item.queries.js';
import { findWorkstream } from '../db/queries/workstream.queries.js';
import { lockInitiative } from '../db/queries/initiative.queries.js';
import { inTransaction } from './transaction.js';
import { EVERYWHERE, type WriteScope } from './write-scope.js';

export interface DeleteWorkstreamProps {
  readonly em: Em;
  readonly id: number;
  readonly actor?: string;
  readonly scope?: WriteScope;
}

/**
 * Soft-deletes a workstream with its whole subtree. Its items and counters stay as they were,
 * unreachable, so every figure drops them at once and nothing is lost.
 */
export async function deleteWorkstream(props: DeleteWorkstreamProps): Promise<number> {
  return inTransaction(props.em, async (tem) => {
    const seen = await findWorkstream(tem, props.id);
    if (seen) await lockInitiative(tem, seen.initiativeId);
    const node = seen && (await findWorkstream(tem, props.id)); // again, under the lock
    if (!node || !(props.scope ?? EVERYWHERE)(node.initiativeId))
      throw new DomainError('NOT_FOUND', `工作流不存在：${props.id}`, ['id']);
    const now = new Date();
    await tem.execute(
      'update workstream set deleted_at = ?, updated_at = ? where initiative_id = ? and path like ? and deleted_at is null',
      [now, now, node.initiativeId, `${node.path}%`],
      'run',
    );
    await insertChanges(
      tem,
      [workstreamEvent(node, 'WORKSTREAM_DELETE', props.actor ?? 'system')],
      now,
    );
    return node.id;
  });
}
