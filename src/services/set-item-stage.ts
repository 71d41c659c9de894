import { effectiveTime } from '../domain/effective-time.js';
import { DomainError } from '../domain/errors.js';
import { findStage, governingHolder, resolveStages, stageCredit } from '../domain/stages.js';
import { idsOfPath } from '../domain/live-figures.js';
import { cleanNote } from '../domain/tree-rules.js';
import { dialectOf, type Em } from '../db/em.js';
import type { ItemRecord } from '../db/records.js';
import { findItemsByIds } from '../db/queries/item.queries.js';
import { writeItemStatuses } from '../db/queries/item-writes.queries.js';
import {
  findItemStage,
  findWorkflows,
  saveItemStage,
  saveWorkflow,
  stagedItemPaths,
} from '../db/queries/report-model.queries.js';
import { itemsCodec } from './item-codec.js';
import { changeableItem, initiativeOfItem } from './item-entries.js';
import { initiativeInScope, workflowFor, workstreamOfInitiative } from './report-model-lookup.js';
import type { UseCase } from './write-pipeline/use-case.js';

export interface SetItemStageProps {
  readonly itemId: number;
  /** A stage of the workflow that governs the item's workstream. */
  readonly stage: string;
  /** Free text printed after the stage (待评审…); absent or null: none. */
  readonly note?: string | null;
  readonly expectedVersion?: number | null;
  readonly effectiveAt?: Date | null;
}

/**
 * Moves an item to a stage of its workflow. Its credit follows the stage (domain/stages.ts), so
 * the event carries the item's status and percent before and after, as a status change does.
 */
export const setItemStage: UseCase<SetItemStageProps, ItemRecord[]> = {
  name: 'setItemStage',
  // Its item's version, as setItemStatus's; and its initiative, so no workflow changes under it.
  lockItems: (props) => [props.itemId],
  lockTarget: (tem, props) => initiativeOfItem(tem, props.itemId),
  validate: (props) => void cleanNote(props.note, ['note']),
  codec: itemsCodec,
  async run({ tem, now, inScope }, props) {
    const [found] = await findItemsByIds(tem, [props.itemId], { dialect: dialectOf(tem) });
    const item = changeableItem(found, props.expectedVersion, inScope, (name) => [name]);
    const ws = await workstreamOfInitiative(tem, item.initiativeId, item.workstreamId, ['itemId']);
    const stages = await workflowFor(tem, ws);
    if (!stages)
      throw new DomainError('INVALID_INPUT', '该事项所在的工作流没有定义阶段', ['stage']);
    const stage = findStage(stages, props.stage, ['stage']);
    const credit = stageCredit(stages, stage);
    const effectiveAt = effectiveTime(props.effectiveAt, now, item.effectiveFrom, ['effectiveAt']);
    const before = await findItemStage(tem, item.id);
    const note = cleanNote(props.note, ['note']);
    const version = item.version + 1;
    const updated = { ...item, ...credit, version, updatedAt: now };
    await writeItemStatuses(tem, [updated], now);
    await saveItemStage(tem, {
      itemId: item.id,
      initiativeId: item.initiativeId,
      stage: stage.name,
      note,
      since: before?.stage === stage.name ? before.since : effectiveAt,
    });
    return {
      result: [updated],
      events: [
        {
          type: 'ItemStageChanged',
          initiativeId: item.initiativeId,
          workstreamId: item.workstreamId,
          itemId: item.id,
          version,
          weight: item.weight,
          from: { stage: before?.stage ?? null, status: item.status, percent: item.percent },
          to: { stage: stage.name, ...credit },
          stageNote: note,
          effectiveAt,
        },
      ],
    };
  },
};

export interface DefineStagesProps {
  readonly initiativeId: number;
  /** A workstream of the initiative; absent: the initiative's own workflow. */
  readonly workstreamId?: number | null;
  readonly stages: readonly { readonly name: string; readonly percent?: number | null }[];
  readonly effectiveAt?: Date | null;
}

/**
 * A workflow defined at `target` (a workstream, or the initiative: null) governs the items below
 * it that no nearer workflow governs; it may not be (re)defined while one of them has a stage,
 * whichever workflow governs it now (a new workflow on a parent takes its items over).
 */
async function assertNoStagedItemsGoverned(
  tem: Em,
  initiativeId: number,
  target: number | null,
): Promise<void> {
  const paths = await stagedItemPaths(tem, initiativeId);
  if (paths.length === 0) return;
  const defined = new Set((await findWorkflows(tem, [initiativeId])).map((w) => w.workstreamId));
  defined.add(target);
  const governed = paths.some(
    (path) => governingHolder(idsOfPath(path).reverse(), (id) => defined.has(id)) === target,
  );
  if (governed)
    throw new DomainError('INVALID_INPUT', '已有事项处于某个阶段，不能再修改阶段定义', ['stages']);
}

/**
 * Sets the stage workflow of an initiative or a workstream. Refused while items under it have a
 * stage: re-crediting them silently would move figures no one changed.
 */
export const defineStages: UseCase<
  DefineStagesProps,
  { stages: { name: string; percent: number }[] }
> = {
  name: 'defineStages',
  // No item may enter a stage meanwhile (setItemStage takes the same lock).
  lockTarget: async (_tem, props) => props.initiativeId,
  validate: (props) => void resolveStages(props.stages),
  async run({ tem, now, inScope }, props) {
    const stages = resolveStages(props.stages);
    const initiative = await initiativeInScope(tem, props.initiativeId, inScope);
    const wsId = props.workstreamId ?? null;
    if (wsId !== null) await workstreamOfInitiative(tem, initiative.id, wsId, ['workstreamId']);
    await assertNoStagedItemsGoverned(tem, initiative.id, wsId);
    const effectiveAt = effectiveTime(props.effectiveAt, now, initiative.effectiveFrom, [
      'effectiveAt',
    ]);
    await saveWorkflow(tem, {
      initiativeId: initiative.id,
      workstreamId: wsId,
      stages: JSON.stringify(stages),
    });
    return {
      result: { stages },
      events: [
        {
          type: 'StagesDefined',
          initiativeId: initiative.id,
          scopeWorkstreamId: wsId,
          stages,
          effectiveAt,
        },
      ],
    };
  },
};
