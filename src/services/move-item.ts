import type { ChangeEvent } from '../domain/change-events.js';
import { effectiveTime } from '../domain/effective-time.js';
import { assertBulkSize, DomainError, notFound } from '../domain/errors.js';
import { dialectOf } from '../db/em.js';
import type { ItemRecord } from '../db/records.js';
import { findWorkflows } from '../db/queries/report-model.queries.js';
import { findItemsWithStages } from '../db/queries/item.queries.js';
import { writeItemWorkstreams } from '../db/queries/item-writes.queries.js';
import { findWorkstreamsByIds, withLiveChildren } from '../db/queries/workstream.queries.js';
import {
  assertDistinctItems,
  changeableItem,
  initiativeOfItem,
  type FieldOf,
} from './item-entries.js';
import { itemsCodec } from './item-codec.js';
import { workflowAmong } from './report-model-lookup.js';
import type { UseCase, WriteStep } from './write-pipeline/use-case.js';

export interface MoveItemProps {
  readonly itemId: number;
  /** A workstream without children (and without a manual percent) of the same initiative. */
  readonly workstreamId: number;
  readonly expectedVersion?: number | null;
  /** When it happened (back-dating); absent: now. Not before the item or the target existed. */
  readonly effectiveAt?: Date | null;
}

/**
 * The moves of one call, checked in order against one read of their items (with stages), one
 * of their targets (and the staged items' sources), one of which targets have children and, if
 * a staged item moves, one of the workflows; then written in one statement text.
 *
 * A staged item's status and percent follow its stage in its workflow: moved under another
 * workflow (or none), it would keep a stage nothing defines, and neither setItemStatus nor
 * setItemStage could change it again. It moves only where the same stages govern.
 */
async function applyMoves(
  { tem, now, inScope }: WriteStep,
  moves: readonly MoveItemProps[],
  fieldOf: FieldOf,
) {
  const read = await findItemsWithStages(
    tem,
    moves.map((m) => m.itemId),
    { dialect: dialectOf(tem) },
  );
  const items = new Map(read.items.map((i) => [i.id, i]));
  const staged = read.items.filter((i) => read.stages.has(i.id));
  const wanted = [...moves.map((m) => m.workstreamId), ...staged.map((i) => i.workstreamId)];
  const workstreams = new Map(
    (await findWorkstreamsByIds(tem, [...new Set(wanted)])).map((w) => [w.id, w]),
  );
  // Deleted items and items out of the caller's scope are refused below as not found,
  // whichever initiative they are of.
  const initiatives = new Set(
    read.items.filter((i) => !i.deleted && inScope(i.initiativeId)).map((i) => i.initiativeId),
  );
  if (initiatives.size > 1)
    throw new DomainError('INVALID_INPUT', '一次只能在一个项目中移动事项', ['moves']);
  const [initiativeId] = initiatives;
  const targetIds = [...new Set(moves.map((m) => m.workstreamId))];
  const parents =
    initiativeId === undefined ? new Set() : await withLiveChildren(tem, initiativeId, targetIds);
  const workflows = staged.length > 0 ? await findWorkflows(tem, [...initiatives]) : [];

  const result: ItemRecord[] = [];
  const written: ItemRecord[] = [];
  const events: ChangeEvent[] = [];
  moves.forEach((m, i) => {
    const at = (name: string) => fieldOf(i, name);
    const item = changeableItem(items.get(m.itemId), m.expectedVersion, inScope, at);
    const target = workstreams.get(m.workstreamId);
    if (!target || !inScope(target.initiativeId)) throw notFound('工作流', at('workstreamId'));
    if (target.initiativeId !== item.initiativeId)
      throw new DomainError(
        'INVALID_INPUT',
        '事项只能移动到同一项目内的工作流',
        at('workstreamId'),
      );
    const since = new Date(Math.max(item.effectiveFrom.getTime(), target.effectiveFrom.getTime()));
    const effectiveAt = effectiveTime(m.effectiveAt, now, since, at('effectiveAt'));
    if (target.id === item.workstreamId) return void result.push(item);
    if (parents.has(target.id))
      throw new DomainError('INVALID_INPUT', '事项只能移到没有下级的工作流', at('workstreamId'));
    if (target.manualPercentBp !== null)
      throw new DomainError('INVALID_INPUT', '人工填报进度的工作流不能接收事项，请先清除人工进度', [
        ...at('workstreamId'),
      ]);
    const stage = read.stages.get(item.id);
    if (stage !== undefined) {
      const source = workstreams.get(item.workstreamId)!;
      const [from, to] = [workflowAmong(source, workflows), workflowAmong(target, workflows)];
      if (JSON.stringify(from) !== JSON.stringify(to))
        throw new DomainError(
          'INVALID_INPUT',
          `事项「${item.name}」按阶段计进度（当前阶段：${stage}），只能移到同一阶段流程下的工作流`,
          at('workstreamId'),
        );
    }
    const next = { ...item, workstreamId: target.id, version: item.version + 1, updatedAt: now };
    written.push(next);
    result.push(next);
    events.push({
      type: 'ItemMoved',
      initiativeId: item.initiativeId,
      workstreamId: target.id,
      itemId: item.id,
      version: next.version,
      state: { status: item.status, percent: item.percent, weight: item.weight },
      from: item.workstreamId,
      to: target.id,
      effectiveAt,
    });
  });
  await writeItemWorkstreams(tem, written, now);
  return { result, events };
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
  lockTarget: (tem, props) => initiativeOfItem(tem, props.itemId),
  run: (step, props) => applyMoves(step, [props], (_, name) => [name]),
};

export interface MoveItemsProps {
  /** Up to 100, each item once, all of one initiative. */
  readonly moves: readonly MoveItemProps[];
}

const inMoves: FieldOf = (i, name) => ['moves', String(i), name];

/** moveItem for up to 100 items of one initiative at once, all or nothing: an import's moves. */
export const moveItems: UseCase<MoveItemsProps, ItemRecord[]> = {
  name: 'moveItems',
  lockItems: (props) => props.moves.map((m) => m.itemId),
  validate(props) {
    assertBulkSize(props.moves.length, 'moves', '移动');
    assertDistinctItems(props.moves, inMoves);
  },
  codec: itemsCodec,
  lockTarget: (tem, props) => initiativeOfItem(tem, props.moves[0]?.itemId),
  run: (step, props) => applyMoves(step, props.moves, inMoves),
};
