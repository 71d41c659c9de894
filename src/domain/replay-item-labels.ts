import { byEffective, visibleAt, type LogEntry, type ReadTime } from './replay-items.js';

/** The log rows that change an item's name or note (nothing a figure counts). */
export const ITEM_LABEL_KINDS = ['ItemRenamed', 'ItemNoteSet'] as const;

/** An item's name and note at a read time, where its log says; an absent field is today's. */
export interface ItemLabels {
  name?: string;
  note?: string | null;
}

/**
 * Items' names and notes at a read time, from every `ItemRenamed` and `ItemNoteSet` row they
 * have (at any time): the new value of the last row visible then, in effective order; before
 * the first visible row, the value the earliest row changed from, which the item had since it
 * was created. A field never changed is left out: today's value is the one it always had. As an
 * initiative's own fields are replayed (replay-structure.ts).
 */
export function itemLabelsAt(rows: readonly LogEntry[], t: ReadTime): Map<number, ItemLabels> {
  const labels = new Map<number, ItemLabels>();
  for (const row of [...rows].sort(byEffective)) {
    if (row.itemId === null || row.data === null) continue;
    const field = row.kind === 'ItemRenamed' ? 'name' : row.kind === 'ItemNoteSet' ? 'note' : null;
    if (field === null) continue;
    const change = JSON.parse(row.data) as { from: string | null; to: string | null };
    let item = labels.get(row.itemId);
    if (!item) labels.set(row.itemId, (item = {}));
    if (!(field in item)) setField(item, field, change.from);
    if (visibleAt(row, t)) setField(item, field, change.to);
  }
  return labels;
}

function setField(item: ItemLabels, field: 'name' | 'note', value: string | null): void {
  if (field === 'note') item.note = value;
  else if (value !== null) item.name = value;
}
