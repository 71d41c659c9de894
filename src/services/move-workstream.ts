import { effectiveTime } from '../domain/effective-time.js';
import { DomainError, notFound } from '../domain/errors.js';
import { assertDepth, assertMoveKeepsTree, childPath, depthOfPath } from '../domain/tree-rules.js';
import type { WorkstreamRecord } from '../db/records.js';
import {
  hasLiveItems,
  deepestBelow,
  findWorkstream,
  placeAmongSiblings,
} from '../db/queries/workstream.queries.js';
import { moveSubtree } from '../db/queries/workstream-writes.queries.js';
import type { UseCase } from './write-pipeline/use-case.js';
import { assertPosition } from './workstream-input.js';

export interface MoveWorkstreamProps {
  readonly id: number;
  /** The new parent, or null for the top level. Moves stay inside the initiative. */
  readonly parentId: number | null;
  readonly position?: number | null;
  /** When it happened (back-dating); absent: now. */
  readonly effectiveAt?: Date | null;
}

/** Moves a workstream and its subtree: one prefix rewrite of the subtree's paths. */
export const moveWorkstream: UseCase<MoveWorkstreamProps, WorkstreamRecord> = {
  name: 'moveWorkstream',
  validate: (props) => assertPosition(props.position),
  lockTarget: async (tem, props) => (await findWorkstream(tem, props.id))?.initiativeId ?? null,
  async run({ tem, now, inScope }, props) {
    // Read under the lock: a concurrent move may have changed the path.
    const node = await findWorkstream(tem, props.id);
    if (!node || !inScope(node.initiativeId)) throw notFound('工作流', ['id']);
    const parent = props.parentId === null ? null : await findWorkstream(tem, props.parentId);
    if (props.parentId !== null && (!parent || parent.initiativeId !== node.initiativeId)) {
      throw notFound('上级工作流', ['parentId']);
    }
    const since = new Date(
      Math.max(node.effectiveFrom.getTime(), parent?.effectiveFrom.getTime() ?? 0),
    );
    const effectiveAt = effectiveTime(props.effectiveAt, now, since, ['effectiveAt']);
    assertMoveKeepsTree(node.path, parent?.path ?? null);
    if (parent && (await hasLiveItems(tem, parent.id))) {
      throw new DomainError('INVALID_INPUT', '目标上级已有事项，不能再添加下级工作流', [
        'parentId',
      ]);
    }
    const path = childPath(parent?.path ?? null, node.id);
    const depthDelta = depthOfPath(path) - node.depth;
    assertDepth((await deepestBelow(tem, node)) + depthDelta);
    const position = await placeAmongSiblings(
      tem,
      node.initiativeId,
      props.parentId,
      props.position,
    );
    await moveSubtree(tem, node, { parentId: props.parentId, path, position }, now);
    return {
      result: (await findWorkstream(tem, node.id))!,
      events: [
        {
          type: 'WorkstreamMoved',
          initiativeId: node.initiativeId,
          workstreamId: node.id,
          from: { parentId: node.parentId, position: node.position },
          to: { parentId: props.parentId, position },
          effectiveAt,
        },
      ],
    };
  },
};
