import type { Em } from '../em.js';
import { CHANGE_COLUMNS, changeRecordOf, type ChangeRecord } from './change-log.queries.js';
import { placeholders } from './sql.js';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Items per statement: well under SQLite's and PostgreSQL's parameter limits. */
const CHUNK = 500;

/**
 * The newest `limit` changes of each of many items (older than `beforeId` when given), in one
 * statement per 500 items. One statement per item, issued by thousands of resolvers at once,
 * grew faster than the number of items (the driver queues each one); this stays linear.
 */
export async function findItemChanges(
  em: Em,
  itemIds: readonly number[],
  beforeId: number | null,
  limit: number,
): Promise<Map<number, ChangeRecord[]>> {
  const byItem = new Map<number, ChangeRecord[]>(itemIds.map((id) => [id, []]));
  for (let start = 0; start < itemIds.length; start += CHUNK) {
    // Other requests (/livez, signals) run between statements: SQLite's driver is synchronous.
    if (start > 0) await nextTurn();
    const chunk = itemIds.slice(start, start + CHUNK);
    const rows = await em.execute(
      `select * from (
         select id, ${CHANGE_COLUMNS},
                row_number() over (partition by item_id order by id desc) as rn
           from change_log
          where item_id in (${placeholders(chunk)})${beforeId === null ? '' : ' and id < ?'}
       ) ranked where rn <= ? order by item_id, id desc`,
      [...chunk, ...(beforeId === null ? [] : [beforeId]), limit],
    );
    for (const row of rows) {
      const record = changeRecordOf(row);
      byItem.get(record.itemId!)?.push(record);
    }
  }
  return byItem;
}
