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
  withLiveChildren,
} from '../db/queries/workstream.queries.js';
import { itemsCodec } from './item-codec.js';
import type { UseCase, WriteStep } from './write-pipeline/use-case.js';

export interface NewItem {
  readonly name: string;
  readonly status?: ItemStatus | null;
  readonly percent?: number | null;
  readonly weight?: number | null;
  readonly note?: string | null;
}

/** A leaf workstream and the items to add to it. */
export interface ItemGroup {
  readonly workstreamId: number;
  readonly items: readonly NewItem[];
}

export interface CreateItemsProps extends ItemGroup {
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

/**
 * Where a field sits in the input, so an error names what the client sent: `items.3.name` for
 * createItems, `groups.1.items.3.name` for its form over several workstreams.
 */
interface Fields {
  /** The list whose size is checked (up to 100 items in all). */
  readonly list: string;
  readonly group: (group: number, name: string) => string[];
  readonly item: (group: number, item: number, name: string) => string[];
}

/** Every item checked at once, so a caller hears all that is wrong in one answer. */
function validate(groups: readonly ItemGroup[], fields: Fields): ValidItem[][] {
  assertBulkSize(
    groups.reduce((n, g) => n + g.items.length, 0),
    fields.list,
    '事项',
  );
  const errors: DomainError[] = [];
  const valid = groups.map((group, g) =>
    group.items.map((item, i) => {
      const at = (name: string) => fields.item(g, i, name);
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
    }),
  );
  if (errors.length > 0) throw new DomainErrors(errors);
  return valid as ValidItem[][];
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

/**
 * The creates of one call, decided against one read of their workstreams: each group into a
 * live leaf workstream of one initiative in scope, at `requested` (absent: now) but not before
 * its workstream; then one insert for all of them.
 */
async function applyCreates(
  { tem, now, inScope }: WriteStep,
  groups: readonly ItemGroup[],
  requested: Date | null | undefined,
  fields: Fields,
) {
  const items = validate(groups, fields);
  const ids = [...new Set(groups.map((g) => g.workstreamId))];
  const found = new Map((await findWorkstreamsByIds(tem, ids)).map((w) => [w.id, w] as const));
  const targets = groups.map((g, i) => {
    const ws = found.get(g.workstreamId);
    if (!ws || !inScope(ws.initiativeId)) throw notFound('工作流', fields.group(i, 'workstreamId'));
    return ws;
  });
  if (new Set(targets.map((ws) => ws.initiativeId)).size > 1)
    throw new DomainError('INVALID_INPUT', '一次只能在一个项目中添加事项', [fields.list]);
  const parents = await withLiveChildren(tem, targets[0]!.initiativeId, ids);
  const placed = targets.map((ws, i): Placed => {
    const effectiveAt = effectiveTime(requested, now, ws.effectiveFrom, ['effectiveAt']);
    assertLeaf(ws, parents.has(ws.id), fields.group(i, 'workstreamId'));
    return { ws, items: items[i]!, effectiveAt };
  });
  return insertItems(tem, placed);
}

/** Children may not appear under the workstreams meanwhile: the initiative's lock. */
const lockFirstTarget = async (tem: Em, groups: readonly ItemGroup[]) =>
  (await findWorkstream(tem, groups[0]?.workstreamId ?? 0))?.initiativeId ?? null;

const single: Fields = {
  list: 'items',
  group: (_, name) => [name],
  item: (_, i, name) => ['items', String(i), name],
};

/**
 * Adds up to 100 items to a leaf workstream; the pipeline logs one ItemCreated per item. It is
 * createItemsIn with one group, so the rules exist once.
 */
export const createItems: UseCase<CreateItemsProps, ItemRecord[]> = {
  name: 'createItems',
  validate: (props) => void validate([props], single),
  codec: itemsCodec,
  lockTarget: (tem, props) => lockFirstTarget(tem, [props]),
  run: (step, props) => applyCreates(step, [props], props.effectiveAt, single),
};

export interface CreateItemsInProps {
  /** Up to 100 items in all, each group into one leaf workstream of one initiative. */
  readonly groups: readonly ItemGroup[];
}

const inGroups: Fields = {
  list: 'groups',
  group: (g, name) => ['groups', String(g), name],
  item: (g, i, name) => ['groups', String(g), 'items', String(i), name],
};

/**
 * createItems into several workstreams at once, created now: an import's new items, in three
 * statements for all of them instead of three a workstream (an import of one item into each of
 * 4,000 new workstreams).
 */
export const createItemsIn: UseCase<CreateItemsInProps, ItemRecord[]> = {
  name: 'createItemsIn',
  validate: (props) => void validate(props.groups, inGroups),
  lockTarget: (tem, props) => lockFirstTarget(tem, props.groups),
  run: (step, props) => applyCreates(step, props.groups, null, inGroups),
};
