import type { ChangeEvent } from '../domain/change-events.js';
import { effectiveTime } from '../domain/effective-time.js';
import { assertBulkSize, DomainError, DomainErrors } from '../domain/errors.js';
import { assertName, cleanNote } from '../domain/tree-rules.js';
import { assertItemWeight } from '../domain/units.js';
import { dialectOf } from '../db/em.js';
import type { ItemRecord } from '../db/records.js';
import { findItemsByIds } from '../db/queries/item.queries.js';
import { writeItemAttributes } from '../db/queries/item-writes.queries.js';
import { assertDistinctItems, changeableItem, type FieldOf } from './item-entries.js';
import { itemsCodec } from './item-codec.js';
import type { UseCase, WriteStep } from './write-pipeline/use-case.js';

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

interface Columns {
  name?: string;
  weight?: number;
  note?: string | null;
}

/** Every field checked at once, so a caller hears all that is wrong in one answer. */
function columnsOf(props: UpdateItemProps, at: (name: string) => string[]): Columns {
  const cols: Columns = {};
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
    check(() => (cols.name = assertName(props.name!, at('name'))));
  if (props.weight !== undefined && props.weight !== null)
    check(() => (cols.weight = assertItemWeight(props.weight!, at('weight'))));
  if (props.note !== undefined) check(() => (cols.note = cleanNote(props.note, at('note'))));
  if (errors.length > 0) throw new DomainErrors(errors);
  return cols;
}

/** One event per attribute that really changes; a weight change moves the figures. */
function changeEvents(
  item: ItemRecord,
  cols: Columns,
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
 * The updates of one call, decided against one read of their items and written in one
 * statement text: an item whose update changes nothing keeps its version and writes nothing.
 */
async function applyUpdates(
  { tem, now, inScope }: WriteStep,
  updates: readonly UpdateItemProps[],
  fieldOf: FieldOf,
) {
  const cols = updates.map((u, i) => columnsOf(u, (name) => fieldOf(i, name)));
  const ids = updates.map((u) => u.itemId);
  const found = new Map(
    (await findItemsByIds(tem, ids, { dialect: dialectOf(tem) })).map((i) => [i.id, i]),
  );
  const result: ItemRecord[] = [];
  const written: ItemRecord[] = [];
  const events: ChangeEvent[] = [];
  updates.forEach((u, i) => {
    const at = (name: string) => fieldOf(i, name);
    const item = changeableItem(found.get(u.itemId), u.expectedVersion, inScope, at);
    const effectiveAt = effectiveTime(u.effectiveAt, now, item.effectiveFrom, at('effectiveAt'));
    const version = item.version + 1;
    const changes = changeEvents(item, cols[i]!, version, effectiveAt);
    if (changes.length === 0) return void result.push(item);
    const next = { ...item, ...cols[i], version, updatedAt: now };
    events.push(...changes);
    written.push(next);
    result.push(next);
  });
  await writeItemAttributes(tem, written, now);
  return { result, events };
}

/**
 * Renames an item, re-weighs it or sets its note. Nothing that really changes: no write, no
 * new version. A weight change moves the figures through its ItemWeightChanged event.
 */
export const updateItem: UseCase<UpdateItemProps, ItemRecord[]> = {
  name: 'updateItem',
  lockItems: (props) => [props.itemId],
  validate: (props) => void columnsOf(props, (name) => [name]),
  codec: itemsCodec,
  run: (step, props) => applyUpdates(step, [props], (_, name) => [name]),
};

export interface UpdateItemsProps {
  /** Up to 100, each item once. */
  readonly updates: readonly UpdateItemProps[];
}

const inUpdates: FieldOf = (i, name) => ['updates', String(i), name];

/**
 * updateItem for up to 100 items at once, all or nothing: an import's renames, re-weighings
 * and notes, one read for all of them instead of one an item.
 */
export const updateItems: UseCase<UpdateItemsProps, ItemRecord[]> = {
  name: 'updateItems',
  lockItems: (props) => props.updates.map((u) => u.itemId),
  validate(props) {
    assertBulkSize(props.updates.length, 'updates', '更新');
    assertDistinctItems(props.updates, inUpdates);
    props.updates.forEach((u, i) => columnsOf(u, (name) => inUpdates(i, name)));
  },
  codec: itemsCodec,
  run: (step, props) => applyUpdates(step, props.updates, inUpdates),
};
