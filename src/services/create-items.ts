import { assertBulkSize, DomainError, DomainErrors } from '../domain/errors.js';
import { isItemStatus, type ItemStatus } from '../domain/item-status.js';
import { nextPercent } from '../domain/item-rules.js';
import { itemDelta, mergeDeltas } from '../domain/tally.js';
import { assertName, cleanNote } from '../domain/tree-rules.js';
import { assertItemWeight } from '../domain/units.js';
import { ItemSchema } from '../db/entities/index.js';
import type { Em } from '../db/orm.js';
import { toItem, type ItemRecord } from '../db/records.js';
import { applyTallyDeltas, insertChanges } from '../db/queries/item.queries.js';
import { countLiveChildren, findWorkstream } from '../db/queries/workstream.queries.js';
import { lockInitiative } from '../db/queries/initiative.queries.js';
import { idempotent, type Idempotency } from './idempotency.js';
import { itemsCodec } from './item-codec.js';
import { inTransaction } from './transaction.js';
import { EVERYWHERE, type WriteScope } from './write-scope.js';

export interface NewItem {
  readonly name: string;
  readonly status?: ItemStatus | null;
  readonly percent?: number | null;
  readonly weight?: number | null;
  readonly note?: string | null;
}

export interface CreateItemsProps {
  readonly em: Em;
  readonly workstreamId: number;
  readonly items: readonly NewItem[];
  readonly actor: string;
  readonly scope?: WriteScope;
  /** A retry with the same key returns the first answer and applies nothing. */
  readonly idempotency?: Idempotency | null;
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

/** Adds up to 100 items to a leaf workstream, with their counters and change-log rows, at once. */
export async function createItems(props: CreateItemsProps): Promise<ItemRecord[]> {
  const items = validate(props.items);
  return inTransaction(props.em, (tem) =>
    idempotent(
      tem,
      props.idempotency,
      { operation: 'createItems', input: { workstreamId: props.workstreamId, items: props.items } },
      itemsCodec,
      async () => {
        const seen = await findWorkstream(tem, props.workstreamId);
        if (seen) await lockInitiative(tem, seen.initiativeId); // children may not appear meanwhile
        const ws = seen && (await findWorkstream(tem, props.workstreamId));
        if (!ws || !(props.scope ?? EVERYWHERE)(ws.initiativeId))
          throw new DomainError('NOT_FOUND', `工作流不存在：${props.workstreamId}`, [
            'workstreamId',
          ]);
        if ((await countLiveChildren(tem, ws.id)) > 0) {
          throw new DomainError('INVALID_INPUT', '事项只能加在没有下级的工作流上', [
            'workstreamId',
          ]);
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
          }),
        );
        await tem.flush();
        const now = new Date();
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
        const deltas = records.map((r) => ({
          workstreamId: ws.id,
          delta: itemDelta(r.status, r.weight, r.percent, 1),
        }));
        await applyTallyDeltas(tem, ws.initiativeId, mergeDeltas(deltas));
        await insertChanges(
          tem,
          records.map((r) => ({
            initiativeId: ws.initiativeId,
            workstreamId: ws.id,
            itemId: r.id,
            kind: 'CREATE' as const,
            fromStatus: null,
            fromPercent: null,
            toStatus: r.status,
            toPercent: r.percent,
            version: 1,
            actor: props.actor,
            note: null,
          })),
          now,
        );
        return records;
      },
    ),
  );
}
