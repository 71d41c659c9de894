import type { LogEntry } from '../../domain/replay-items.js';
import type { Em } from '../em.js';
import { ENTRY_COLUMNS, timeParam, toEntry } from './as-of.queries.js';
import { inSlices, orderedInSlices, placeholders } from './sql.js';

/**
 * The item rows a series adds after its first point: effective in (from, to], recorded by
 * `knownAt`, in effective order (ties by id) — one range scan on (initiative, effective).
 */
export async function findItemEntriesBetween(
  em: Em,
  initiativeId: number,
  from: number,
  to: number,
  knownAt: number,
): Promise<LogEntry[]> {
  const rows = await em.execute(
    `select ${ENTRY_COLUMNS} from change_log
      where initiative_id = ? and effective_at > ? and effective_at <= ? and recorded_at <= ?
        and item_id is not null
      order by effective_at, id`,
    [initiativeId, timeParam(em, from), timeParam(em, to), timeParam(em, knownAt)],
  );
  return rows.map(toEntry);
}

/** The health set by hand (and cleared) on an initiative's nodes, as known at a time, oldest first. */
export async function findHealthEntries(
  em: Em,
  initiativeId: number,
  asOf: number,
  knownAt: number,
): Promise<
  { workstreamId: number | null; kind: string; data: string | null; actor: string; at: number }[]
> {
  const rows = await em.execute(
    `select workstream_id, kind, data, actor, effective_at from change_log
      where initiative_id = ? and kind in ('HealthSet', 'HealthCleared') and item_id is null
        and effective_at <= ? and recorded_at <= ?
      order by effective_at, id`,
    [initiativeId, timeParam(em, asOf), timeParam(em, knownAt)],
  );
  return rows.map((r) => ({
    workstreamId: r.workstream_id === null ? null : Number(r.workstream_id),
    kind: String(r.kind),
    data: r.data === null ? null : String(r.data),
    actor: String(r.actor),
    at: new Date(r.effective_at as string | number).getTime(),
  }));
}

const ms = (v: unknown) => new Date(v as string | number | Date).getTime();

/**
 * The entries that say where an item's work stands: its status, its stage, its creation (and a
 * restore or an upgrade's baseline, which state it afresh). A rename, a note, a weight or a move
 * is not progress, so it does not reset how long the item has stood still; nor is a status
 * saved again unchanged (the same status and percent: a re-save of a row, a bulk update over
 * items already there), which is logged as a change but moved nothing.
 */
const PROGRESS_KINDS = [
  'ItemCreated',
  'ItemStatusChanged',
  'ItemStageChanged',
  'ItemRestored',
  'ItemBaseline',
]
  .map((k) => `'${k}'`)
  .join(', ');
/** A change-log row (as `c`) that says where an item's work stands (PROGRESS_KINDS, above). */
const PROGRESS_ENTRY = `c.kind in (${PROGRESS_KINDS})
        and not (c.kind = 'ItemStatusChanged' and c.from_status = c.to_status
                 and c.from_percent = c.to_percent)`;

/**
 * From this many items in progress or paused, `findStalledItems` joins them to the log, which
 * PostgreSQL answers by hashing the log: 1.0–1.25 s for the 250,000 of a 1,000,000-item
 * initiative over a 2,080,000-row log, against 1.8–1.9 s looking up each item's rows. Below it,
 * each item's rows are looked up: joined, an analysed PostgreSQL hashed the whole log also for
 * 100 workstreams of 2,647 such items (43–51 ms, 14 ms looked up) or of 30 (37–44 ms, 2 ms).
 * SQLite looks up either way.
 */
export const STALLED_JOIN_FROM = 50_000;

/**
 * Items in progress or paused in these workstreams whose last logged change took effect at or
 * before `before`, oldest change first, after a keyset cursor (last change, id). `candidates`:
 * how many items in these workstreams are in progress or paused (the tree's tallies say).
 */
export async function findStalledItems(
  em: Em,
  workstreamIds: readonly number[],
  before: number,
  after: { at: number; id: number } | null,
  limit: number,
  candidates: number,
): Promise<{ itemId: number; lastChangeAt: number }[]> {
  if (workstreamIds.length === 0) return [];
  const last =
    candidates >= STALLED_JOIN_FROM
      ? (ws: string) => `select i.id as id, max(c.effective_at) as last from item i
           join change_log c on c.item_id = i.id and ${PROGRESS_ENTRY}
          where ${ws} group by i.id`
      : (ws: string) => `select i.id as id,
             (select max(c.effective_at) from change_log c
               where c.item_id = i.id and ${PROGRESS_ENTRY}) as last
           from item i where ${ws}`;
  const keyset = after ? 'and (last > ? or (last = ? and id > ?))' : '';
  const at = after ? timeParam(em, after.at) : null;
  const rows = await orderedInSlices<Record<string, unknown>>(
    workstreamIds,
    (a, b) => ms(a.last) - ms(b.last) || Number(a.id) - Number(b.id),
    limit,
    (slice) =>
      em.execute(
        `select id, last from (${last(
          `i.workstream_id in (${placeholders(slice)})
           and i.deleted_at is null and i.status in ('IN_PROGRESS', 'PAUSED')`,
        )}) s
         where last <= ? ${keyset}
         order by last, id
         limit ?`,
        [...slice, timeParam(em, before), ...(after ? [at, at, after.id] : []), limit],
      ),
  );
  return rows.map((r) => ({ itemId: Number(r.id), lastChangeAt: ms(r.last) }));
}

/**
 * Each item's last entry that says where its work stands (as findStalledItems counts them),
 * effective by `asOf` and recorded by `knownAt`: the stalled clock of an as-of view.
 */
export async function findLastProgressAt(
  em: Em,
  itemIds: readonly number[],
  asOf: number,
  knownAt: number,
): Promise<Map<number, number>> {
  const rows = await inSlices(itemIds, (ids) =>
    em.execute(
      `select c.item_id as id, max(c.effective_at) as last from change_log c
        where c.item_id in (${placeholders(ids)}) and ${PROGRESS_ENTRY}
          and c.effective_at <= ? and c.recorded_at <= ?
        group by c.item_id`,
      [...ids, timeParam(em, asOf), timeParam(em, knownAt)],
    ),
  );
  return new Map(rows.map((r) => [Number(r.id), ms(r.last)]));
}

/**
 * Target-date changes of a workstream (its creation included) or of an initiative, in effective
 * order. Both are read from the node's own rows (change_log_workstream_structure_index: the
 * workstream's, or the initiative's with no workstream), a few whatever the log's length; the
 * time they were recorded is checked here, since `recorded_at <= ?` in the statement drew SQLite
 * to the (initiative_id, recorded_at) index and the initiative's whole log (200,000 rows: 43 ms),
 * and the workstream's read every row of its items too.
 */
export async function findTargetDateEntries(
  em: Em,
  target: { initiativeId: number; workstreamId: number | null },
  knownAt: number,
): Promise<
  { kind: string; data: string; actor: string; effectiveAt: number; recordedAt: number }[]
> {
  const rows =
    target.workstreamId === null
      ? await em.execute(
          `select kind, data, actor, effective_at, recorded_at from change_log
            where workstream_id is null and initiative_id = ? and item_id is null
              and kind = 'InitiativeTargetDateSet'
            order by effective_at, id`,
          [target.initiativeId],
        )
      : await em.execute(
          `select kind, data, actor, effective_at, recorded_at from change_log
            where workstream_id = ? and initiative_id = ? and item_id is null
              and kind in ('WorkstreamCreated', 'WorkstreamTargetDateSet')
            order by effective_at, id`,
          [target.workstreamId, target.initiativeId],
        );
  return rows
    .filter((r) => ms(r.recorded_at) <= knownAt)
    .map((r) => ({
      kind: String(r.kind),
      data: String(r.data),
      actor: String(r.actor),
      effectiveAt: ms(r.effective_at),
      recordedAt: ms(r.recorded_at),
    }));
}
