import { assertBulkSize, DomainError, DomainErrors, notFound } from '../domain/errors.js';
import { isItemStatus, type ItemStatus } from '../domain/item-status.js';
import { nextPercent } from '../domain/item-rules.js';
import type { ChangeEvent } from '../domain/change-events.js';
import { effectiveTime } from '../domain/effective-time.js';
import { assertName, cleanNote } from '../domain/tree-rules.js';
import { assertItemWeight } from '../domain/units.js';
import { ItemSchema } from '../db/entities/index.js';
import { releaseWritten } from '../db/release-written.js';
import { toItem, type ItemRecord } from '../db/records.js';
import { countLiveChildren, findWorkstream } from '../db/queries/workstream.queries.js';
import { itemsCodec } from './item-codec.js';
import type { UseCase } from './write-pipeline/use-case.js';

export interface NewItem {
  readonly name: string;
  readonly status?: ItemStatus | null;
  readonly percent?: number | null;
  readonly weight?: number | null;
  readonly note?: string | null;
}

export interface CreateItemsProps {
  readonly workstreamId: number;
  readonly items: readonly NewItem[];
  /** When they came into being (back-dating); absent: now. Not before their workstream. */
  readonly effectiveAt?: Date | null;
}

interface ValidItem {
  readonly name: string;
  readonly status: ItemStatus;
  readonly percent: number;
  readonly weight: number;
  readonly note: string | null;
}

function validate(items: readonly NewItem[]): ValidItem[] {
  assertBulkSize(items.length, 'items', '事项');
  const errors: DomainError[] = [];
  const valid = items.map((item, i) => {
    const at = (name: string) => ['items', String(i), name];
    try {
      const status = item.status ?? 'NOT_STARTED';
      if (!isItemStatus(status))
        throw new DomainError('INVALID_INPUT', `未知状态：${String(status)}`, at('status'));
      return {
        name: assertName(item.name, at('name')),
        status,
        percent: nextPercent(status, 0, item.percent, at('percent')),
        weight: assertItemWeight(item.weight ?? 1, at('weight')),
        note: cleanNote(item.note, at('note')),
      };
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      errors.push(err);
      return null;
    }
  });
  if (errors.length > 0) throw new DomainErrors(errors);
  return valid as ValidItem[];
}

/** Adds up to 100 items to a leaf workstream; the pipeline logs one ItemCreated per item. */
export const createItems: UseCase<CreateItemsProps, ItemRecord[]> = {
  name: 'createItems',
  validate: (props) => void validate(props.items),
  codec: itemsCodec,
  // Children may not appear under the workstream meanwhile.
  lockTarget: async (tem, props) =>
    (await findWorkstream(tem, props.workstreamId))?.initiativeId ?? null,
  async run({ tem, now, inScope }, props) {
    const items = validate(props.items);
    const ws = await findWorkstream(tem, props.workstreamId);
    if (!ws || !inScope(ws.initiativeId)) throw notFound('工作流', ['workstreamId']);
    const effectiveAt = effectiveTime(props.effectiveAt, now, ws.effectiveFrom, ['effectiveAt']);
    if ((await countLiveChildren(tem, ws)) > 0) {
      throw new DomainError('INVALID_INPUT', '事项只能加在没有下级的工作流上', ['workstreamId']);
    }
    if (ws.manualPercentBp !== null) {
      throw new DomainError(
        'INVALID_INPUT',
        '人工填报进度的工作流不能再添加事项，请先清除人工进度',
        ['workstreamId'],
      );
    }
    const entities = items.map((item) =>
      tem.create(ItemSchema, {
        ...item,
        initiative: ws.initiativeId,
        workstream: ws.id,
        version: 1,
        effectiveFrom: effectiveAt,
      }),
    );
    await tem.flush();
    const records = entities.map((e) =>
      toItem({
        ...e,
        initiative_id: ws.initiativeId,
        workstream_id: ws.id,
        deleted_at: null,
        created_at: e.createdAt,
        updated_at: e.updatedAt,
      }),
    );
    releaseWritten(tem, entities); // copied out: nothing reads them again
    const events: ChangeEvent[] = records.map((r) => ({
      type: 'ItemCreated',
      initiativeId: ws.initiativeId,
      workstreamId: ws.id,
      itemId: r.id,
      version: 1,
      state: { status: r.status, percent: r.percent, weight: r.weight },
      effectiveAt,
    }));
    return { result: records, events };
  },
};
