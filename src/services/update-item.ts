import { versionMismatch } from '../domain/item-rules.js';
import type { ChangeEvent } from '../domain/change-events.js';
import { effectiveTime } from '../domain/effective-time.js';
import { DomainError, DomainErrors, notFound } from '../domain/errors.js';
import { assertName, cleanNote } from '../domain/tree-rules.js';
import { assertItemWeight } from '../domain/units.js';
import { dialectOf } from '../db/em.js';
import type { ItemRecord } from '../db/records.js';
import { findItemsByIds } from '../db/queries/item.queries.js';
import { updateItemColumns, type ItemColumnsUpdate } from '../db/queries/item-writes.queries.js';
import { itemsCodec } from './item-codec.js';
import type { UseCase } from './write-pipeline/use-case.js';

export interface UpdateItemProps {
  readonly itemId: number;
  /** Absent or null: unchanged. */
  readonly name?: string | null;
  /** Whole number 1–1000; absent or null: unchanged. */
  readonly weight?: number | null;
  /** Absent: unchanged; null or blank: cleared. */
  readonly note?: string | null;
  /** When given, the update applies only if the item is still at this version. */
  readonly expectedVersion?: number | null;
  /** When it happened (back-dating); absent: now. */
  readonly effectiveAt?: Date | null;
}

/** Every field checked at once, so a caller hears all that is wrong in one answer. */
function columnsOf(props: UpdateItemProps): ItemColumnsUpdate {
  const cols: ItemColumnsUpdate = {};
  const errors: DomainError[] = [];
  const check = (fn: () => void) => {
    try {
      fn();
    } catch (err) {
      if (err instanceof DomainError) errors.push(err);
      else throw err;
    }
  };
  if (props.name !== undefined && props.name !== null)
    check(() => (cols.name = assertName(props.name!, ['name'])));
  if (props.weight !== undefined && props.weight !== null)
    check(() => (cols.weight = assertItemWeight(props.weight!, ['weight'])));
  if (props.note !== undefined) check(() => (cols.note = cleanNote(props.note, ['note'])));
  if (errors.length > 0) throw new DomainErrors(errors);
  return cols;
}

/** One event per attribute that really changes; a weight change moves the figures. */
function changeEvents(
  item: ItemRecord,
  cols: ItemColumnsUpdate,
  version: number,
  effectiveAt: Date,
): ChangeEvent[] {
  const base = {
    initiativeId: item.initiativeId,
    workstreamId: item.workstreamId,
    itemId: item.id,
    version,
    effectiveAt,
  };
  const events: ChangeEvent[] = [];
  const state = { status: item.status, percent: item.percent, weight: item.weight };
  if (cols.name !== undefined && cols.name !== item.name)
    events.push({ ...base, type: 'ItemRenamed', state, from: item.name, to: cols.name });
  if (cols.weight !== undefined && cols.weight !== item.weight)
    events.push({
      ...base,
      type: 'ItemWeightChanged',
      state: { ...state, weight: cols.weight },
      from: item.weight,
      to: cols.weight,
    });
  if (cols.note !== undefined && cols.note !== item.note)
    events.push({
      ...base,
      type: 'ItemNoteSet',
      state: { ...state, weight: cols.weight ?? item.weight },
      from: item.note,
      to: cols.note,
    });
  return events;
}

/**
 * Renames an item, re-weighs it or sets its note. Nothing that really changes: no write, no
 * new version. A weight change moves the figures through its ItemWeightChanged event.
 */
export const updateItem: UseCase<UpdateItemProps, ItemRecord[]> = {
  name: 'updateItem',
  lockItems: (props) => [props.itemId],
  validate: (props) => void columnsOf(props),
  codec: itemsCodec,
  async run({ tem, now, inScope }, props) {
    const cols = columnsOf(props);
    const [item] = await findItemsByIds(tem, [props.itemId], { dialect: dialectOf(tem) });
    if (!item || item.deleted || !inScope(item.initiativeId)) throw notFound('事项', ['itemId']);
    const stale = versionMismatch(props.expectedVersion, item.version, ['expectedVersion']);
    if (stale) throw stale;
    const effectiveAt = effectiveTime(props.effectiveAt, now, item.effectiveFrom, ['effectiveAt']);
    const version = item.version + 1;
    const events = changeEvents(item, cols, version, effectiveAt);
    if (events.length === 0) return { result: [item], events };
    await updateItemColumns(tem, item.id, cols, version, now);
    return { result: [{ ...item, ...cols, version, updatedAt: now }], events };
  },
};
