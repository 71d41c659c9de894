import type { ItemStatus } from '../../domain/item-status.js';
import type { ChangeLogRow } from '../change-log-row.js';
import type { Em } from '../em.js';
import { transactionInsert, transactionStatement } from '../prepared.js';
import { turnInWrite } from '../write-turn.js';
import { newestByKey } from './newest-by-key.js';
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
  /** The subtree's initiative, whose rows `walkOf` walks. */
  readonly initiativeId: number;
  /** The subtree's workstreams: the changes logged in them. */
  readonly workstreamIds: readonly number[];
  /** Workstreams in the initiative: with the subtree's count, how far a walk would go. */
  readonly initiativeWorkstreams: number;
  /** Newest first: the page holds changes older than this id. */
  readonly beforeId: number | null;
  readonly limit: number;
}

const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const s = (v: unknown) => (v === null || v === undefined ? null : String(v));

/**
 * Rows of the initiative a page walks at most, newest first, before it reads the subtree's
 * remaining rows by workstream instead; and rows per statement of the walk.
 */
export const WALK_ROWS = 5_000;
const WALK_WINDOW = 1_000;

/**
 * A page of a subtree's changes, newest first (by id: the order they were recorded in).
 *
 * A subtree with at least `limit` ÷ WALK_ROWS of its initiative's workstreams (one in a
 * hundred for a page of 50) walks the initiative's newest rows, by the (initiative_id, id,
 * workstream_id) index, and keeps those of its workstreams: a root or a large subtree finds its
 * page in the first window. Without that walk, PostgreSQL walked the whole table's primary key
 * backwards for `workstream_id in (…) order by id desc`, through every newer row of other
 * initiatives: 3 s for a 10,000-workstream root followed by a busy initiative's 1,880,000 rows.
 * A small subtree, or one the walk did not fill (quiet lately),
 * reads its own rows by the workstream index (`bySubtree`). The walk ends at the initiative's
 * oldest row: every row of a workstream carries its initiative, as no item or workstream moves
 * to another initiative (move-item.ts and move-workstream.ts refuse it).
 */
export async function findChanges(em: Em, q: ChangePageQuery): Promise<ChangeRecord[]> {
  if (q.workstreamIds.length === 0) return [];
  const share = q.workstreamIds.length / Math.max(1, q.initiativeWorkstreams);
  const walked =
    q.limit <= share * WALK_ROWS
      ? await walkOf(em, q)
      : { ids: [], before: q.beforeId, done: false };
  const rows = walked.ids.length
    ? await em.execute(
        `select id, ${COLUMNS} from change_log where id in (${placeholders(walked.ids)})`,
        walked.ids,
      )
    : [];
  const missing = q.limit - walked.ids.length;
  if (missing > 0 && !walked.done) rows.push(...(await bySubtree(em, q, walked.before, missing)));
  return rows.map(changeRecordOf).sort((a, b) => b.id - a.id);
}

/** The ids of the subtree's newest rows among the initiative's newest WALK_ROWS (before `beforeId`). */
async function walkOf(
  em: Em,
  q: ChangePageQuery,
): Promise<{ ids: number[]; before: number | null; done: boolean }> {
  const wanted = new Set(q.workstreamIds);
  const ids: number[] = [];
  let before = q.beforeId;
  for (let walked = 0; walked < WALK_ROWS; walked += WALK_WINDOW) {
    // `initiative_id` as a range and in the order: with `initiative_id = ?` PostgreSQL walked
    // the primary key and filtered, thinking the initiative's rows spread evenly through the
    // log (for a quiet initiative, the rest of the log is in the way); ordered by both columns
    // only this index gives the order without sorting the initiative's rows.
    const window = await em.execute(
      `select id, workstream_id from change_log
        where initiative_id >= ? and initiative_id <= ? and workstream_id is not null${
          before === null ? '' : ' and id < ?'
        }
        order by initiative_id desc, id desc limit ?`,
      [q.initiativeId, q.initiativeId, ...(before === null ? [] : [before]), WALK_WINDOW],
    );
    for (const r of window) {
      if (!wanted.has(Number(r.workstream_id))) continue;
      if (ids.push(Number(r.id)) === q.limit) return { ids, before, done: true };
    }
    if (window.length < WALK_WINDOW) return { ids, before, done: true };
    before = Number(window[window.length - 1]!.id);
  }
  return { ids, before, done: false };
}

/**
 * Workstreams up to which a subtree reads each one's newest rows rather than sorting all of its
 * rows: on PostgreSQL each workstream's subquery costs about 0.15 ms to plan and run (50 of
 * them 7.8 ms), and sorting a leaf with 50,000 rows 14 ms (SQLite: 0.06 ms a workstream, 12 ms).
 */
export const SUBTREE_BY_WORKSTREAM = 20;

/**
 * The subtree's newest `limit` rows before `before`, by the workstream index: a subtree of a few
 * workstreams reads each one's newest (newest-by-key.ts: at most `limit` rows a workstream, so a
 * busy leaf is not read whole for each page); a larger one reads its rows and sorts them, `+id`
 * keeping either database from walking the primary key instead, which a quiet subtree would
 * read to its end.
 */
async function bySubtree(em: Em, q: ChangePageQuery, before: number | null, limit: number) {
  if (q.workstreamIds.length <= SUBTREE_BY_WORKSTREAM)
    return newestByKey(em, {
      table: 'change_log',
      column: 'workstream_id',
      columns: `id, ${COLUMNS}`,
      keys: q.workstreamIds,
      beforeId: before,
      limit,
    });
  const page = (workstreamIds: readonly number[]) =>
    em.execute(
      `select id, ${COLUMNS} from change_log
        where workstream_id in (${placeholders(workstreamIds)})${before === null ? '' : ' and +id < ?'}
        order by +id desc limit ?`,
      [...workstreamIds, ...(before === null ? [] : [before]), limit],
    );
  // A subtree of more workstreams than a statement names is read a slice at a time.
  return orderedInSlices(q.workstreamIds, (a, b) => Number(b.id) - Number(a.id), limit, page);
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
