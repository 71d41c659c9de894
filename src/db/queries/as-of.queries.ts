import type { ItemStatus } from '../../domain/item-status.js';
import { ITEM_LABEL_KINDS } from '../../domain/replay-item-labels.js';
import type { ItemRowFields, LogEntry } from '../../domain/replay-items.js';
import { dialectOf, type Em } from '../em.js';
import { inSlices, placeholders } from './sql.js';

/** A time as a parameter: SQLite keeps datetimes as epoch milliseconds, PostgreSQL as timestamptz. */
export function timeParam(em: Em, ms: number): number | Date {
  return dialectOf(em) === 'sqlite' ? ms : new Date(ms);
}

export const ENTRY_COLUMNS = `id, workstream_id, item_id, kind, from_status, from_percent, to_status,
  to_percent, weight, data, effective_at, recorded_at`;

const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
/** A logged time (SQLite: epoch ms; PostgreSQL: a timestamptz) in epoch milliseconds. */
export const ms = (v: unknown) => new Date(v as string | number | Date).getTime();

export function toEntry(r: Record<string, unknown>): LogEntry {
  return {
    id: Number(r.id),
    workstreamId: n(r.workstream_id),
    itemId: n(r.item_id),
    kind: String(r.kind),
    fromStatus: (r.from_status ?? null) as ItemStatus | null,
    fromPercent: n(r.from_percent),
    toStatus: (r.to_status ?? null) as ItemStatus | null,
    toPercent: n(r.to_percent),
    weight: n(r.weight),
    data: r.data === null || r.data === undefined ? null : String(r.data),
    effectiveAt: ms(r.effective_at),
    recordedAt: ms(r.recorded_at),
  };
}

/** The initiative's own and its workstreams' rows in effect at `asOf` (the structure's log). */
export async function findStructureEntries(
  em: Em,
  initiativeId: number,
  asOf: number,
  knownAt: number,
): Promise<LogEntry[]> {
  const rows = await em.execute(
    `select ${ENTRY_COLUMNS} from change_log
      where initiative_id = ? and effective_at <= ? and item_id is null and recorded_at <= ?
      order by effective_at, id`,
    [initiativeId, timeParam(em, asOf), timeParam(em, knownAt)],
  );
  return rows.map(toEntry);
}

/**
 * How many structure rows (initiative and workstream rows) an initiative has and the newest id:
 * the log is append-only, so equal answers mean the same rows (a row committed late under an
 * older id still moves the count). One scan of the structure index, however long the item log.
 */
export async function findStructureSignature(em: Em, initiativeId: number): Promise<string> {
  const [row] = await em.execute(
    `select count(*) as n, max(id) as last, (select max(id) from change_log) as newest
      from change_log where initiative_id = ? and item_id is null`,
    [initiativeId],
  );
  return `${Number(row?.n ?? 0)}:${Number(row?.last ?? 0)}:${Number(row?.newest ?? 0)}`;
}

/** An item row's fields that its tally deltas depend on, named as ItemRowFields names them. */
const ITEM_ROW_COLUMNS = `item_id as "itemId", workstream_id as "workstreamId", kind,
  from_status as "fromStatus", from_percent as "fromPercent", to_status as "toStatus",
  to_percent as "toPercent", weight, data`;

/**
 * The item rows effective in (after, upTo] and recorded by `knownAt`: one range scan on
 * (initiative, effective). Rows as the database gives them, no object made per row.
 */
export async function findItemRowsEffective(
  em: Em,
  initiativeId: number,
  after: number,
  upTo: number,
  knownAt: number,
): Promise<ItemRowFields[]> {
  return (await em.execute(
    `select ${ITEM_ROW_COLUMNS} from change_log
      where initiative_id = ? and effective_at > ? and effective_at <= ? and recorded_at <= ?
        and item_id is not null`,
    [initiativeId, timeParam(em, after), timeParam(em, upTo), timeParam(em, knownAt)],
  )) as ItemRowFields[];
}

/**
 * The item rows recorded in (after, upTo] yet effective by `effectiveUpTo`, which must be
 * before `after`: back-dated rows, found on their own index (effective before recorded), so the
 * scan covers the back-dated rows of that span only, however long the log.
 */
export async function findBackdatedItemRows(
  em: Em,
  initiativeId: number,
  after: number,
  upTo: number,
  effectiveUpTo: number,
): Promise<ItemRowFields[]> {
  return (await em.execute(
    `select ${ITEM_ROW_COLUMNS} from change_log
      where initiative_id = ? and recorded_at > ? and recorded_at <= ? and effective_at <= ?
        and effective_at < recorded_at and item_id is not null`,
    [initiativeId, timeParam(em, after), timeParam(em, upTo), timeParam(em, effectiveUpTo)],
  )) as ItemRowFields[];
}

/**
 * The initiative's own rows (its settings, names, archiving) of every time: few, and found
 * through the workstream index (their workstream is null) however long the item log.
 */
export async function findInitiativeOwnEntries(em: Em, initiativeId: number): Promise<LogEntry[]> {
  const rows = await em.execute(
    `select ${ENTRY_COLUMNS} from change_log
      where workstream_id is null and item_id is null and initiative_id = ?`,
    [initiativeId],
  );
  return rows.map(toEntry);
}

/** Every item row of an initiative visible at a read time (brute force, reports, verify). */
export async function findItemEntries(
  em: Em,
  initiativeId: number,
  asOf: number,
  knownAt: number,
): Promise<LogEntry[]> {
  const rows = await em.execute(
    `select ${ENTRY_COLUMNS} from change_log
      where initiative_id = ? and effective_at <= ? and recorded_at <= ? and item_id is not null`,
    [initiativeId, timeParam(em, asOf), timeParam(em, knownAt)],
  );
  return rows.map(toEntry);
}

/**
 * The items ever logged in these workstreams (one moved out since is among them: its replay
 * says where it stood). Asked apart from their rows: in one statement,
 * `item_id in (select …)`, PostgreSQL guessed twelve times the items there were and scanned the
 * whole log (an 834-item leaf in a 1,000,000-row log: 132 ms in the database, 28 ms in two).
 */
export async function itemsLoggedIn(em: Em, workstreamIds: readonly number[]): Promise<number[]> {
  const rows = await inSlices(workstreamIds, (slice) =>
    em.execute(
      `select distinct item_id from change_log
        where workstream_id in (${placeholders(slice)}) and item_id is not null`,
      [...slice],
    ),
  );
  return [...new Set(rows.map((r) => Number(r.item_id)))];
}

/** The initiative of a workstream and how many workstreams it ever had (deleted ones too). */
export async function initiativeSizeOf(
  em: Em,
  workstreamId: number,
): Promise<{ initiativeId: number; workstreams: number } | null> {
  const [ws] = await em.execute(
    `select w.initiative_id, (select count(*) from workstream o where o.initiative_id = w.initiative_id) as n
       from workstream w where w.id = ?`,
    [workstreamId],
  );
  return ws ? { initiativeId: Number(ws.initiative_id), workstreams: Number(ws.n) } : null;
}

/**
 * Every item of an initiative, deleted ones too: an item never leaves its initiative, so these
 * are a superset of the items ever logged in any of its workstreams, in one range of the index.
 */
export async function itemIdsOfInitiative(em: Em, initiativeId: number): Promise<number[]> {
  const rows = await em.execute('select id from item where initiative_id = ?', [initiativeId]);
  return rows.map((r) => Number(r.id));
}

/**
 * Per item, the version its last row visible at a read time made (effective by `asOf`, recorded
 * by `knownAt`). An item's rows run forward in effective time in the order they were recorded
 * (assert-in-order.ts refuses a write before its item's latest change), so the visible rows are
 * the first ones, and the highest version among them is the one the item had then.
 */
export async function findVersionsAt(
  em: Em,
  itemIds: readonly number[],
  asOf: number,
  knownAt: number,
): Promise<Map<number, number>> {
  if (itemIds.length === 0) return new Map();
  const rows = await inSlices(itemIds, (slice) =>
    em.execute(
      `select item_id, max(version) as version from change_log
        where item_id in (${placeholders(slice)})
          and effective_at <= ? and recorded_at <= ? and version is not null
        group by item_id`,
      [...slice, timeParam(em, asOf), timeParam(em, knownAt)],
    ),
  );
  return new Map(rows.map((r) => [Number(r.item_id), Number(r.version)]));
}

/** Every row of these items up to a read time. */
export async function findEntriesOfItems(
  em: Em,
  itemIds: readonly number[],
  asOf: number,
  knownAt: number,
): Promise<LogEntry[]> {
  if (itemIds.length === 0) return [];
  const rows = await inSlices(itemIds, (slice) =>
    em.execute(
      `select ${ENTRY_COLUMNS} from change_log
        where item_id in (${placeholders(slice)}) and effective_at <= ? and recorded_at <= ?`,
      [...slice, timeParam(em, asOf), timeParam(em, knownAt)],
    ),
  );
  return rows.map(toEntry);
}

/**
 * Every row that renamed these items or set their notes, at any time: few (a name or a note
 * changes rarely), and a replay needs the ones after the read time too (replay-item-labels.ts).
 */
export async function findItemLabelEntries(
  em: Em,
  itemIds: readonly number[],
): Promise<LogEntry[]> {
  if (itemIds.length === 0) return [];
  const rows = await inSlices(itemIds, (slice) =>
    em.execute(
      `select ${ENTRY_COLUMNS} from change_log
        where item_id in (${placeholders(slice)}) and kind in (${placeholders(ITEM_LABEL_KINDS)})`,
      [...slice, ...ITEM_LABEL_KINDS],
    ),
  );
  return rows.map(toEntry);
}

/**
 * Every row of these initiatives' report model that a replay at a time needs, at any time:
 * `MilestoneSet` and `MetricDefined` (replay-report-model.ts), so milestones read as they stood
 * and a metric defined later is left out. Few, and read through the index of rows without an
 * item.
 */
export async function findReportModelEntries(
  em: Em,
  initiativeIds: readonly number[],
): Promise<LogEntry[]> {
  if (initiativeIds.length === 0) return [];
  const rows = await em.execute(
    `select ${ENTRY_COLUMNS} from change_log
      where initiative_id in (${placeholders(initiativeIds)}) and item_id is null
        and kind in ('MilestoneSet', 'MetricDefined')`,
    [...initiativeIds],
  );
  return rows.map(toEntry);
}
