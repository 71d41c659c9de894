import { assertBulkSize, DomainError, DomainErrors, notFound } from '../domain/errors.js';
import { isItemStatus, type ItemStatus } from '../domain/item-status.js';
import { nextPercent } from '../domain/item-rules.js';
import type { ChangeEvent } from '../domain/change-events.js';
import { effectiveTime } from '../domain/effective-time.js';
import { assertName, cleanNote } from '../domain/tree-rules.js';
import { assertItemWeight } from '../domain/units.js';
import { ItemSchema } from '../db/entities/index.js';
import { releaseWritten } from '../db/release-written.js';
import type { Em } from '../db/em.js';
import { toItem, type ItemRecord, type WorkstreamRecord } from '../db/records.js';
import {
  findWorkstream,
  findWorkstreamsByIds,
  hasLiveChildren,
  withLiveChildren,
} from '../db/queries/workstream.queries.js';
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

/** Items go only into a workstream without children or a manual percent. */
function assertLeaf(ws: WorkstreamRecord, hasChildren: boolean, at: readonly string[]): void {
  if (hasChildren)
    throw new DomainError('INVALID_INPUT', '事项只能加在没有下级的工作流上', [...at]);
  if (ws.manualPercentBp !== null) {
    throw new DomainError('INVALID_INPUT', '人工填报进度的工作流不能再添加事项，请先清除人工进度', [
      ...at,
    ]);
  }
}

interface Placed {
  readonly ws: WorkstreamRecord;
  readonly items: readonly ValidItem[];
  readonly effectiveAt: Date;
}

/** Inserts checked items (one statement for all of them) and the events the pipeline logs. */
async function insertItems(tem: Em, groups: readonly Placed[]) {
  const entities = groups.map(({ ws, items, effectiveAt }) =>
    items.map((item) =>
      tem.create(ItemSchema, {
        ...item,
        initiative: ws.initiativeId,
        workstream: ws.id,
        version: 1,
        effectiveFrom: effectiveAt,
      }),
    ),
  );
  await tem.flush();
  const records: ItemRecord[] = [];
  const events: ChangeEvent[] = [];
  groups.forEach(({ ws, effectiveAt }, g) => {
    for (const e of entities[g]!) {
      const r = toItem({
        ...e,
        initiative_id: ws.initiativeId,
        workstream_id: ws.id,
        deleted_at: null,
        created_at: e.createdAt,
        updated_at: e.updatedAt,
      });
      records.push(r);
      events.push({
        type: 'ItemCreated',
        initiativeId: ws.initiativeId,
        workstreamId: ws.id,
        itemId: r.id,
        version: 1,
        state: { status: r.status, percent: r.percent, weight: r.weight },
        effectiveAt,
      });
    }
  });
  releaseWritten(tem, entities.flat()); // copied out: nothing reads them again
  return { result: records, events };
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
    assertLeaf(ws, await hasLiveChildren(tem, ws), ['workstreamId']);
    return insertItems(tem, [{ ws, items, effectiveAt }]);
  },
};

export interface CreateItemsInProps {
  /** Up to 100 items in all, each group into one leaf workstream of one initiative. */
  readonly groups: readonly { readonly workstreamId: number; readonly items: readonly NewItem[] }[];
}

/**
 * createItems into several workstreams at once, created now: an import's new items, with the
 * same rules, in three statements for all of them instead of three a workstream (an import of
 * one item into each of 4,000 new workstreams).
 */
export const createItemsIn: UseCase<CreateItemsInProps, ItemRecord[]> = {
  name: 'createItemsIn',
  validate: (props) => void validate(props.groups.flatMap((g) => g.items)),
  // Children may not appear under the workstreams meanwhile.
  lockTarget: async (tem, props) =>
    (await findWorkstream(tem, props.groups[0]?.workstreamId ?? 0))?.initiativeId ?? null,
  async run({ tem, now, inScope }, props) {
    const items = validate(props.groups.flatMap((g) => g.items));
    const ids = [...new Set(props.groups.map((g) => g.workstreamId))];
    const found = new Map((await findWorkstreamsByIds(tem, ids)).map((w) => [w.id, w] as const));
    const at = (i: number) => ['groups', String(i), 'workstreamId'];
    const targets = props.groups.map((g, i) => {
      const ws = found.get(g.workstreamId);
      if (!ws || !inScope(ws.initiativeId)) throw notFound('工作流', at(i));
      return ws;
    });
    const initiatives = new Set(targets.map((ws) => ws.initiativeId));
    if (initiatives.size > 1)
      throw new DomainError('INVALID_INPUT', '一次只能在一个项目中添加事项', ['groups']);
    const parents = await withLiveChildren(tem, targets[0]!.initiativeId, ids);
    let next = 0;
    const groups = props.groups.map((g, i): Placed => {
      const ws = targets[i]!;
      assertLeaf(ws, parents.has(ws.id), at(i));
      return { ws, items: items.slice(next, (next += g.items.length)), effectiveAt: now };
    });
    return insertItems(tem, groups);
  },
};
