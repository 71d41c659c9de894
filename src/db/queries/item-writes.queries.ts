import type { Em } from '../em.js';

/** The editable columns of an item, as updateItem and moveItem write them (absent: unchanged). */
export interface ItemColumnsUpdate {
  name?: string;
  weight?: number;
  note?: string | null;
  workstreamId?: number;
}

const COLUMN_OF: Record<keyof ItemColumnsUpdate, string> = {
  name: 'name',
  weight: 'weight',
  note: 'note',
  workstreamId: 'workstream_id',
};

/** Writes the given columns of one item with its new version (one statement). */
export async function updateItemColumns(
  em: Em,
  id: number,
  columns: ItemColumnsUpdate,
  version: number,
  now: Date,
): Promise<void> {
  const keys = (Object.keys(COLUMN_OF) as (keyof ItemColumnsUpdate)[]).filter(
    (k) => columns[k] !== undefined,
  );
  await em.execute(
    `update item set ${keys.map((k) => `${COLUMN_OF[k]} = ?, `).join('')}version = ?, updated_at = ? where id = ?`,
    [...keys.map((k) => columns[k]), version, now, id],
    'run',
  );
}
