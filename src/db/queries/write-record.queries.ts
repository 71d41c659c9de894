import { INITIATIVE_NODE, type FigureChange } from '../../domain/live-events.js';
import { idsOfPath } from '../../domain/live-figures.js';
import type { TallyDelta } from '../../domain/tally.js';
import type { ChangeLogRow } from '../change-log-row.js';
import { dialectOf, type Em } from '../em.js';
import { INITIATIVE_COLUMNS, toInitiative } from '../records.js';
import { CHANGE_LOG_CHUNK, changeLogInsert, insertChangeLog } from './change-log.queries.js';
import { applyTallyDeltas, TALLY_ROWS_PER_STATEMENT, tallyUpsert } from './item.queries.js';
import {
  bumpRevision,
  bumpRevisions,
  figureStateWrites,
  insertOutbox,
  OUTBOX_CHANNEL,
  outboxInsert,
  RESERVE_SEQ,
  reserveOutboxSeq,
  writeFigureStates,
  type OutboxRow,
} from './outbox.queries.js';
import { IDS_PER_STATEMENT, placeholders } from './sql.js';
import { keptFigures, readFigureInputsKept, type FigureInputs } from './figure-inputs.sqlite.js';

/**
 * The end of a write's transaction in as few round trips as the database allows. On PostgreSQL
 * each round trip inside the transaction holds the write's row locks while the server waits for
 * the answer (and for its own event loop to get to it); the last steps also hold the outbox's
 * commit-order lock, which every write of the database waits for. So there the steps are sent
 * as one statement each (data-modifying CTEs run in the order the final SELECT reads them):
 * counters + change log + outbox numbers + revisions; then the figures' inputs (a new statement,
 * so its snapshot is taken after the lock: it sees every write that committed before); then
 * figures + outbox row + notification. SQLite runs one writer at a time and its statements cost
 * no round trip, so it runs the same steps as kept prepared statements, one by one.
 */

type Deltas = readonly { readonly workstreamId: number; readonly delta: TallyDelta }[];

export interface RecordedChanges {
  /** The change-log rows' ids, in order. */
  readonly changeIds: number[];
  /** The last outbox number reserved (one per initiative). */
  readonly lastSeq: number;
  /** Each initiative's new revision. */
  readonly revisions: ReadonlyMap<number, number>;
}

/**
 * Applies the counter deltas (one upsert per initiative), appends the change-log rows, then
 * reserves one outbox number per initiative (locking the outbox's 'head' row until commit: see
 * `reserveOutboxSeq`) and moves the initiatives' revisions on, in that order.
 */
export async function recordChanges(
  em: Em,
  tally: readonly (readonly [initiativeId: number, deltas: Deltas])[],
  rows: readonly ChangeLogRow[],
  initiativeIds: readonly number[],
): Promise<RecordedChanges> {
  if (
    dialectOf(em) !== 'postgresql' ||
    rows.length === 0 ||
    rows.length > CHANGE_LOG_CHUNK ||
    tally.some(([, deltas]) => deltas.length > TALLY_ROWS_PER_STATEMENT) ||
    initiativeIds.length === 0
  ) {
    for (const [initiativeId, deltas] of tally) await applyTallyDeltas(em, initiativeId, deltas);
    const changeIds = await insertChangeLog(em, rows);
    const lastSeq = await reserveOutboxSeq(em, initiativeIds.length);
    const revisions = new Map<number, number>();
    for (const id of initiativeIds) revisions.set(id, await bumpRevision(em, id));
    return { changeIds, lastSeq, revisions };
  }
  const ctes: string[] = [];
  const selects: string[] = [];
  const params: unknown[] = [];
  tally
    .filter(([, deltas]) => deltas.length > 0)
    .forEach(([initiativeId, deltas], n) => {
      const upsert = tallyUpsert(initiativeId, deltas);
      ctes.push(`t${n} as (${upsert.sql} returning workstream_id)`);
      selects.push(`select 0 as k, count(*) as a, 0 as b from t${n}`);
      params.push(...upsert.params);
    });
  const log = changeLogInsert(rows);
  ctes.push(`c as (${log.sql})`);
  selects.push('select 1 as k, id as a, 0 as b from c');
  params.push(...log.params);
  ctes.push(`h as (${RESERVE_SEQ})`);
  selects.push('select 2 as k, seq as a, 0 as b from h');
  params.push(initiativeIds.length);
  const bump = bumpRevisions(initiativeIds);
  ctes.push(`r as (${bump.sql})`);
  selects.push('select 3 as k, initiative_id as a, revision as b from r');
  params.push(...bump.params);
  const result = await em.execute(
    `with ${ctes.join(',\n')}\n${selects.join('\nunion all ')}`,
    params,
  );
  const changeIds: number[] = [];
  const revisions = new Map<number, number>();
  let lastSeq = 0;
  for (const r of result) {
    const k = Number(r.k);
    if (k === 1) changeIds.push(Number(r.a));
    else if (k === 2) lastSeq = Number(r.a);
    else if (k === 3) revisions.set(Number(r.a), Number(r.b));
  }
  changeIds.sort((a, b) => a - b); // ids follow the values' order
  return { changeIds, lastSeq, revisions };
}

const parsed = (v: unknown): any => (typeof v === 'string' ? JSON.parse(v) : v);

/**
 * What an item-only write needs to publish its figures: the initiative, the paths of the
 * workstreams it changed, and the figures last published on those paths. One statement on
 * PostgreSQL; on SQLite the paths and figures kept from earlier writes (published-figures.ts)
 * and a statement for each kind that is not kept.
 */
export async function readFigureInputs(
  em: Em,
  initiativeId: number,
  workstreamIds: readonly number[],
): Promise<FigureInputs> {
  // The one statement names every id twice: an import into tens of thousands of new workstreams
  // passes PostgreSQL's 65,535 parameters, and reads them a slice at a time as SQLite does.
  if (dialectOf(em) !== 'postgresql' || workstreamIds.length > IDS_PER_STATEMENT)
    return readFigureInputsKept(em, initiativeId, workstreamIds);
  const ws = `select id, path from workstream where id in (${placeholders(workstreamIds)}) and deleted_at is null`;
  const [row] = await em.execute(
    `select
       (select row_to_json(i) from (select ${INITIATIVE_COLUMNS} from initiative where id = ?) i) as initiative,
       (select coalesce(json_agg(json_build_array(w.id, w.path)), '[]') from (${ws}) w) as workstreams,
       (select coalesce(json_agg(json_build_array(f.node_id, f.credit, f.counted, f.total)), '[]')
          from figure_state f
         where f.initiative_id = ? and f.node_id in (
           select ?::int union
           select unnest(string_to_array(trim(both '/' from p.path), '/'))::int from (${ws}) p)
       ) as figures`,
    [initiativeId, ...workstreamIds, initiativeId, INITIATIVE_NODE, ...workstreamIds],
  );
  const initiative = parsed(row!.initiative);
  return {
    initiative: initiative ? toInitiative(initiative) : null,
    paths: new Map(
      (parsed(row!.workstreams) as [number, string][]).map(([id, path]) => [
        Number(id),
        idsOfPath(String(path)),
      ]),
    ),
    figures: new Map(
      (parsed(row!.figures) as number[][]).map(([node, credit, counted, total]) => [
        Number(node),
        { credit: Number(credit), counted: Number(counted), total: Number(total) },
      ]),
    ),
  };
}

/** The figure rows a write publishes for one initiative. */
export interface PublishedChanges {
  readonly initiativeId: number;
  readonly changes: readonly FigureChange[];
  /** The initiative's tree was folded: the write may have moved or removed workstreams. */
  readonly folded: boolean;
}

/**
 * Records the figures just published (the next write's "before") and appends the outbox rows,
 * then rings the doorbell: PostgreSQL delivers the notification at commit only, and not at all
 * on rollback. One statement on PostgreSQL.
 */
export async function publishOutbox(
  em: Em,
  figures: readonly PublishedChanges[],
  rows: readonly OutboxRow[],
): Promise<void> {
  const parameters = figures.reduce((n, f) => n + f.changes.length * 5, rows.length * 5);
  // One statement on PostgreSQL while it stays well under the protocol's 65,535 parameters (a
  // whole tree's first publication can pass it; then the statements go one by one).
  if (dialectOf(em) !== 'postgresql' || rows.length === 0 || parameters > 30_000) {
    const kept = keptFigures(em); // none on PostgreSQL
    for (const f of figures) {
      await writeFigureStates(em, f.initiativeId, f.changes);
      kept?.wrote(f.initiativeId, f.changes, f.folded);
    }
    await insertOutbox(em, rows);
    return;
  }
  const ctes: string[] = [];
  const params: unknown[] = [];
  for (const f of figures) {
    for (const statement of figureStateWrites(f.initiativeId, f.changes)) {
      ctes.push(`f${ctes.length} as (${statement.sql})`);
      params.push(...statement.params);
    }
  }
  const outbox = outboxInsert(rows);
  ctes.push(`o as (${outbox.sql})`);
  params.push(...outbox.params, OUTBOX_CHANNEL, String(rows.at(-1)!.seq));
  await em.execute(`with ${ctes.join(',\n')}\nselect pg_notify(?, ?)`, params);
}
