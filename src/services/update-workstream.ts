import { lockInitiative } from '../db/queries/initiative.queries.js';
import { DomainError } from '../domain/errors.js';
import { assertName } from '../domain/tree-rules.js';
import { WorkstreamSchema } from '../db/entities/index.js';
import type { Em } from '../db/orm.js';
import type { WorkstreamRecord } from '../db/records.js';
import {
  countLiveChildren,
  countLiveItems,
  findWorkstream,
} from '../db/queries/workstream.queries.js';
import { inTransaction } from './transaction.js';
import { EVERYWHERE, type WriteScope } from './write-scope.js';
import { workstreamColumns, type WorkstreamFields } from './workstream-input.js';

export interface UpdateWorkstreamProps extends WorkstreamFields {
  readonly em: Em;
  readonly id: number;
  readonly name?: string | null;
  readonly scope?: WriteScope;
}

/** Changes a workstream's own fields; a manual percent only fits a workstream without items. */
export async function updateWorkstream(props: UpdateWorkstreamProps): Promise<WorkstreamRecord> {
  const cols = workstreamColumns(props);
  const name = props.name === undefined || props.name === null ? undefined : assertName(props.name);
  return inTransaction(props.em, async (tem) => {
    // Under the initiative's lock (PostgreSQL), like the structural changes: a concurrent delete
    // or a new child or item cannot slip in between the checks and the update.
    const seen = await findWorkstream(tem, props.id);
    if (seen) await lockInitiative(tem, seen.initiativeId);
    const current = seen && (await findWorkstream(tem, props.id));
    if (!current || !(props.scope ?? EVERYWHERE)(current.initiativeId))
      throw new DomainError('NOT_FOUND', `工作流不存在：${props.id}`, ['id']);
    if (cols.manualPercentBp !== undefined && cols.manualPercentBp !== null) {
      if (
        (await countLiveItems(tem, current.id)) > 0 ||
        (await countLiveChildren(tem, current.id)) > 0
      ) {
        throw new DomainError('INVALID_INPUT', '已有事项或下级的工作流不能设置人工进度', [
          'manualPercent',
        ]);
      }
    }
    await tem.nativeUpdate(
      WorkstreamSchema,
      { id: current.id },
      { ...cols, ...(name ? { name } : {}), updatedAt: new Date() },
    );
    return (await findWorkstream(tem, current.id))!;
  });
}
