import { effectiveTime } from '../domain/effective-time.js';
import { DomainError, notFound } from '../domain/errors.js';
import { assertDepth, assertName, childPath, depthOfPath } from '../domain/tree-rules.js';
import { WorkstreamSchema } from '../db/entities/index.js';
import { releaseWritten } from '../db/release-written.js';
import type { WorkstreamRecord } from '../db/records.js';
import { findInitiativesByIds } from '../db/queries/initiative.queries.js';
import {
  hasLiveItems,
  findWorkstream,
  placeAmongSiblings,
} from '../db/queries/workstream.queries.js';
import type { UseCase } from './write-pipeline/use-case.js';
import { assertPosition, workstreamColumns, type WorkstreamFields } from './workstream-input.js';
import { workstreamCreated } from './workstream-created.js';

export interface CreateWorkstreamProps extends WorkstreamFields {
  readonly initiativeId: number;
  /** Absent or null: a top-level workstream. */
  readonly parentId?: number | null;
  readonly name: string;
  /** Place among its siblings (0 first); absent: last. */
  readonly position?: number | null;
  /** When it came into being (back-dating); absent: now. Not before its parent or initiative. */
  readonly effectiveAt?: Date | null;
}

/** Adds a workstream at the top level or under a parent that holds no items. */
export const createWorkstream: UseCase<CreateWorkstreamProps, WorkstreamRecord> = {
  name: 'createWorkstream',
  validate(props) {
    assertName(props.name);
    workstreamColumns(props);
    assertPosition(props.position);
  },
  lockTarget: async (_tem, props) => props.initiativeId,
  async run({ tem, now, inScope }, props) {
    const name = assertName(props.name);
    const cols = workstreamColumns(props);
    const [initiative] = await findInitiativesByIds(tem, [props.initiativeId]);
    if (!initiative || !inScope(initiative.id)) throw notFound('项目', ['initiativeId']);
    const parentId = props.parentId ?? null;
    const parent = parentId === null ? null : await findWorkstream(tem, parentId);
    if (parentId !== null && (!parent || parent.initiativeId !== initiative.id)) {
      throw notFound('上级工作流', ['parentId']);
    }
    const since = parent?.effectiveFrom ?? initiative.effectiveFrom;
    const effectiveAt = effectiveTime(props.effectiveAt, now, since, ['effectiveAt']);
    if (parent && (await hasLiveItems(tem, parent.id))) {
      throw new DomainError('INVALID_INPUT', '上级工作流已有事项，不能再添加下级工作流', [
        'parentId',
      ]);
    }
    if (parent) assertDepth(parent.depth + 1);
    const position = await placeAmongSiblings(tem, initiative.id, parentId, props.position);
    const entity = tem.create(WorkstreamSchema, {
      initiative: initiative.id,
      parent: parentId,
      name,
      position,
      path: '',
      depth: 0,
      effectiveFrom: effectiveAt,
      ...cols,
    });
    await tem.flush();
    entity.path = childPath(parent?.path ?? null, entity.id);
    entity.depth = depthOfPath(entity.path);
    await tem.flush();
    releaseWritten(tem, [entity]); // the record is read back below
    const created = (await findWorkstream(tem, entity.id))!;
    return { result: created, events: [workstreamCreated(created, effectiveAt)] };
  },
};
