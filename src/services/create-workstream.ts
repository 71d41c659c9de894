import { DomainError } from '../domain/errors.js';
import { assertDepth, assertName, childPath, depthOfPath } from '../domain/tree-rules.js';
import { WorkstreamSchema } from '../db/entities/index.js';
import type { Em } from '../db/orm.js';
import type { WorkstreamRecord } from '../db/records.js';
import { findInitiativesByIds, lockInitiative } from '../db/queries/initiative.queries.js';
import {
  countLiveItems,
  findWorkstream,
  placeAmongSiblings,
} from '../db/queries/workstream.queries.js';
import { inTransaction } from './transaction.js';
import { EVERYWHERE, type WriteScope } from './write-scope.js';
import { workstreamColumns, type WorkstreamFields } from './workstream-input.js';

export interface CreateWorkstreamProps extends WorkstreamFields {
  readonly em: Em;
  readonly initiativeId: number;
  /** Absent or null: a top-level workstream. */
  readonly parentId?: number | null;
  readonly name: string;
  /** Place among its siblings (0 first); absent: last. */
  readonly position?: number | null;
  readonly scope?: WriteScope;
}

/** Adds a workstream at the top level or under a parent that holds no items. */
export async function createWorkstream(props: CreateWorkstreamProps): Promise<WorkstreamRecord> {
  const name = assertName(props.name);
  const cols = workstreamColumns(props);
  if (
    props.position !== undefined &&
    props.position !== null &&
    (!Number.isInteger(props.position) || props.position < 0)
  ) {
    throw new DomainError('INVALID_INPUT', '位置必须是非负整数', ['position']);
  }
  return inTransaction(props.em, async (tem) => {
    const [initiative] = await findInitiativesByIds(tem, [props.initiativeId]);
    if (!initiative || !(props.scope ?? EVERYWHERE)(initiative.id))
      throw new DomainError('NOT_FOUND', `项目不存在：${props.initiativeId}`, ['initiativeId']);
    await lockInitiative(tem, initiative.id);
    const parentId = props.parentId ?? null;
    const parent = parentId === null ? null : await findWorkstream(tem, parentId);
    if (parentId !== null && (!parent || parent.initiativeId !== initiative.id)) {
      throw new DomainError('NOT_FOUND', `上级工作流不存在：${parentId}`, ['parentId']);
    }
    if (parent && (await countLiveItems(tem, parent.id)) > 0) {
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
      ...cols,
    });
    await tem.flush();
    entity.path = childPath(parent?.path ?? null, entity.id);
    entity.depth = depthOfPath(entity.path);
    await tem.flush();
    const created = await findWorkstream(tem, entity.id);
    return created!;
  });
}
