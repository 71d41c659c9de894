import { effectiveTime } from '../domain/effective-time.js';
import { notFound } from '../domain/errors.js';
import { findWorkstream } from '../db/queries/workstream.queries.js';
import { deleteSubtree } from '../db/queries/workstream-writes.queries.js';
import type { UseCase } from './write-pipeline/use-case.js';

export interface DeleteWorkstreamProps {
  readonly id: number;
  /** When it happened (back-dating); absent: now. */
  readonly effectiveAt?: Date | null;
}

/**
 * Soft-deletes a workstream with its whole subtree. Its items and counters stay as they were,
 * unreachable, so every figure drops them at once and nothing is lost.
 */
export const deleteWorkstream: UseCase<DeleteWorkstreamProps, number> = {
  name: 'deleteWorkstream',
  lockTarget: async (tem, props) => (await findWorkstream(tem, props.id))?.initiativeId ?? null,
  async run({ tem, now, inScope }, props) {
    const node = await findWorkstream(tem, props.id);
    if (!node || !inScope(node.initiativeId)) throw notFound('工作流', ['id']);
    const effectiveAt = effectiveTime(props.effectiveAt, now, node.effectiveFrom, ['effectiveAt']);
    const subtree = await deleteSubtree(tem, node, now);
    return {
      result: node.id,
      events: [
        {
          type: 'WorkstreamDeleted',
          initiativeId: node.initiativeId,
          workstreamId: node.id,
          subtree,
          effectiveAt,
        },
      ],
    };
  },
};
