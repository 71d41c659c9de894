import type { ItemStatus } from '../../domain/item-status.js';
import type { ChangeLogRow } from '../change-log-row.js';
import type { Em } from '../em.js';
import { transactionInsert, transactionStatement } from '../prepared.js';
import { turnInWrite } from '../write-turn.js';
import { orderedInSlices, placeholders, textPerRowCount } from './sql.js';

const COLUMNS = `initiative_id, workstream_id, item_id, kind, from_status, from_percent, to_status,
  to_percent, weight, version, data, actor, note, effective_at, recorded_at`;
const PER_ROW = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
/** Rows per statement: well under SQLite's and PostgreSQL's parameter limits. */
export const CHANGE_LOG_CHUNK = 500;
const CHUNK = CHANGE_LOG_CHUNK;

/** The rows' parameters in column order, in one array (a bulk write's hot loop). */
function paramsOf(rows: readonly ChangeLogRow[]): unknown[] {
  const params: unknown[] = [];
  for (const r of rows) {
    params.push(
      r.initiativeId,
      r.workstreamId,
      r.itemId,
      r.kind,
      r.fromStatus,
      r.fromPercent,
      r.toStatus,
      r.toPercent,
      r.weight,
      r.version,
      r.data,
      r.actor,
      r.note,
      r.effectiveAt,
      r.recordedAt,
    );
  }
  return params;
}

/** One insert of up to CHANGE_LOG_CHUNK rows, returning the new ids. */
export function changeLogInsert(rows: readonly ChangeLogRow[]): { sql: string; params: unknown[] } {
  return { sql: insertReturningText(rows.length), params: paramsOf(rows) };
}

const insertText = textPerRowCount(
  (n) => `insert into change_log (${COLUMNS}) values ${Array(n).fill(PER_ROW).join(', ')}`,
);
const insertReturningText = textPerRowCount((n) => `${insertText(n)} returning id`);

/**
 * Appends rows to the change log in the caller's transaction: one statement per 500 rows.
 * Returns the new rows' ids in order (live events name the changes they come from).
 */
export async function insertChangeLog(em: Em, rows: readonly ChangeLogRow[]): Promise<number[]> {
  const ids: number[] = [];
  for (let start = 0; start < rows.length; start += CHUNK) {
    if (start > 0) await turnInWrite(em); // a long write's (an import's) statements
    const chunk = rows.slice(start, start + CHUNK);
    // On SQLite the ids are worked out rather than returned (`returning` cost a 100-row insert
    // about a sixth more): one statement adds its rows one after another, each taking the next
    // AUTOINCREMENT id (past the largest ever used, and no other writer runs meanwhile), so
    // they are the `changes` ids ending at the last rowid.
    const insert = insertText(chunk.length);
    const params = paramsOf(chunk);
    const added = await transactionInsert(em, insert, params);
    if (added) {
      for (let id = added.lastRowid - added.changes + 1; id <= added.lastRowid; id++) ids.push(id);
      continue;
    }
    const inserted = await transactionStatement(em, `${insert} returning id`, params, 'all');
    for (const r of inserted) ids.push(Number(r.id));
    ids.sort((a, b) => a - b); // ids follow the values' order
  }
  return ids;
}

/** A change-log row as read back, with its id. */
export interface ChangeRecord extends ChangeLogRow {
  readonly id: number;
}

export interface ChangePageQuery {
  readonly itemId?: number;
  readonly workstreamIds?: readonly number[];
  readonly initiativeId?: number;
  /** Newest first: the page holds changes older than this id. */
  readonly beforeId: number | null;
  readonly limit: number;
}

const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const s = (v: unknown) => (v === null || v === undefined ? null : String(v));

/** A page of the change log, newest first (by id: the order it was recorded in). */
export async function findChanges(em: Em, q: ChangePageQuery): Promise<ChangeRecord[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.itemId !== undefined) {
    where.push('item_id = ?');
    params.push(q.itemId);
  }
  if (q.initiativeId !== undefined) {
    where.push('initiative_id = ?');
    params.push(q.initiativeId);
  }
  if (q.beforeId !== null) {
    where.push('id < ?');
    params.push(q.beforeId);
  }
  const page = (workstreamIds: readonly number[] | null) =>
    em.execute(
      `select id, ${COLUMNS} from change_log
        where ${[...where, ...(workstreamIds ? [`workstream_id in (${placeholders(workstreamIds)})`] : [])].join(' and ') || '1 = 1'}
        order by id desc limit ?`,
      [...params, ...(workstreamIds ?? []), q.limit],
    );
  // A subtree of more workstreams than a statement names is read a slice at a time.
  const rows = q.workstreamIds
    ? await orderedInSlices(q.workstreamIds, (a, b) => Number(b.id) - Number(a.id), q.limit, page)
    : await page(null);
  return rows.map(changeRecordOf);
}

/** The columns every reader of the log selects, after `id`. */
export const CHANGE_COLUMNS = COLUMNS;

/** A change-log row as the database returns it, typed. */
export function changeRecordOf(r: Record<string, unknown>): ChangeRecord {
  return {
    id: Number(r.id),
    initiativeId: Number(r.initiative_id),
    workstreamId: n(r.workstream_id),
    itemId: n(r.item_id),
    kind: String(r.kind),
    fromStatus: s(r.from_status) as ItemStatus | null,
    fromPercent: n(r.from_percent),
    toStatus: s(r.to_status) as ItemStatus | null,
    toPercent: n(r.to_percent),
    weight: n(r.weight),
    version: n(r.version),
    data: s(r.data),
    actor: String(r.actor),
    note: s(r.note),
    effectiveAt: new Date(r.effective_at as string | number | Date),
    recordedAt: new Date(r.recorded_at as string | number | Date),
  };
}
