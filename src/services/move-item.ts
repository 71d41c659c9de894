import { versionMismatch } from '../domain/item-rules.js';
import { effectiveTime } from '../domain/effective-time.js';
import { DomainError, notFound } from '../domain/errors.js';
import { dialectOf, type Em } from '../db/em.js';
import type { ItemRecord, WorkstreamRecord } from '../db/records.js';
import { findItemStage } from '../db/queries/report-model.queries.js';
import { findItemsByIds } from '../db/queries/item.queries.js';
import { updateItemColumns } from '../db/queries/item-writes.queries.js';
import { hasLiveChildren, findWorkstream } from '../db/queries/workstream.queries.js';
import { itemsCodec } from './item-codec.js';
import { workflowFor } from './report-model-lookup.js';
import type { UseCase } from './write-pipeline/use-case.js';

export interface MoveItemProps {
  readonly itemId: number;
  /** A workstream without children (and without a manual percent) of the same initiative. */
  readonly workstreamId: number;
  readonly expectedVersion?: number | null;
  /** When it happened (back-dating); absent: now. Not before the item or the target existed. */
  readonly effectiveAt?: Date | null;
}

/**
 * A staged item's status and percent follow its stage in its workflow: moved under another
 * workflow (or none), it would keep a stage nothing defines, and neither setItemStatus nor
 * setItemStage could change it again. It moves only where the same stages govern.
 */
async function assertSameWorkflow(tem: Em, item: ItemRecord, target: WorkstreamRecord) {
  const staged = await findItemStage(tem, item.id);
  if (!staged) return;
  const source = await findWorkstream(tem, item.workstreamId);
  const [from, to] = [source && (await workflowFor(tem, source)), await workflowFor(tem, target)];
  if (JSON.stringify(from) !== JSON.stringify(to))
    throw new DomainError(
      'INVALID_INPUT',
      `事项「${item.name}」按阶段计进度（当前阶段：${staged.stage}），只能移到同一阶段流程下的工作流`,
      ['workstreamId'],
    );
}

/**
 * Moves an item to another leaf workstream of its initiative; its credit leaves one subtree's
 * figures and enters the other's (the ItemMoved event's counter deltas). Moving across
 * initiatives is refused: an initiative's policy, labels and access scope are its own, so an
 * item that changes initiative is a delete there and a create here, done on purpose.
 */
export const moveItem: UseCase<MoveItemProps, ItemRecord[]> = {
  name: 'moveItem',
  lockItems: (props) => [props.itemId],
  codec: itemsCodec,
  // Children may not appear under the target meanwhile (as for createItems).
  lockTarget: async (tem, props) =>
    (await findItemsByIds(tem, [props.itemId]))[0]?.initiativeId ?? null,
  async run({ tem, now, inScope }, props) {
    const [item] = await findItemsByIds(tem, [props.itemId], { dialect: dialectOf(tem) });
    if (!item || item.deleted || !inScope(item.initiativeId)) throw notFound('事项', ['itemId']);
    const stale = versionMismatch(props.expectedVersion, item.version, ['expectedVersion']);
    if (stale) throw stale;
    const target = await findWorkstream(tem, props.workstreamId);
    if (!target || !inScope(target.initiativeId)) throw notFound('工作流', ['workstreamId']);
    if (target.initiativeId !== item.initiativeId)
      throw new DomainError('INVALID_INPUT', '事项只能移动到同一项目内的工作流', ['workstreamId']);
    const since = new Date(Math.max(item.effectiveFrom.getTime(), target.effectiveFrom.getTime()));
    const effectiveAt = effectiveTime(props.effectiveAt, now, since, ['effectiveAt']);
    if (target.id === item.workstreamId) return { result: [item], events: [] };
    if (await hasLiveChildren(tem, target))
      throw new DomainError('INVALID_INPUT', '事项只能移到没有下级的工作流', ['workstreamId']);
    if (target.manualPercentBp !== null)
      throw new DomainError('INVALID_INPUT', '人工填报进度的工作流不能接收事项，请先清除人工进度', [
        'workstreamId',
      ]);
    await assertSameWorkflow(tem, item, target);
    const version = item.version + 1;
    await updateItemColumns(tem, item.id, { workstreamId: target.id }, version, now);
    return {
      result: [{ ...item, workstreamId: target.id, version, updatedAt: now }],
      events: [
        {
          type: 'ItemMoved',
          initiativeId: item.initiativeId,
          workstreamId: target.id,
          itemId: item.id,
          version,
          state: { status: item.status, percent: item.percent, weight: item.weight },
          from: item.workstreamId,
          to: target.id,
          effectiveAt,
        },
      ],
    };
  },
};
