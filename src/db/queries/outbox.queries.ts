import type { FigureChange, FigureValue, LiveEvent } from '../../domain/live-events.js';
import { dialectOf, type Em } from '../em.js';
import { transactionStatement } from '../prepared.js';
import { IDS_PER_STATEMENT, inSlices, placeholders, textPerRowCount } from './sql.js';

/** The doorbell's channel: NOTIFY'd in the write's transaction, so it rings at commit. */
export const OUTBOX_CHANNEL = 'jindu_outbox';

/**
 * Hands out `count` outbox numbers and returns the last. The upsert locks the 'head' row until
 * the transaction ends, so writes take numbers in the order they commit: a later number cannot
 * commit before an earlier one (its transaction waits here for the earlier to end), and a
 * rolled-back write gives its numbers back. Taken as late as possible in the write.
 */
export async function reserveOutboxSeq(em: Em, count: number): Promise<number> {
  const [row] = await transactionStatement(em, RESERVE_SEQ, [count], 'all');
  return Number(row!.seq);
}

/** The upsert of `reserveOutboxSeq` (one parameter: how many numbers), returning `seq`. */
export const RESERVE_SEQ = `insert into outbox_position (name, seq) values ('head', ?)
     on conflict (name) do update set seq = outbox_position.seq + excluded.seq returning seq`;

/** Moves an initiative's revision on and returns the new one. */
export async function bumpRevision(em: Em, initiativeId: number): Promise<number> {
  const { sql, params } = bumpRevisions([initiativeId]);
  const [row] = await transactionStatement(em, sql, params, 'all');
  return Number(row!.revision);
}

/** Moves some initiatives' revisions on (one upsert), returning `initiative_id, revision`. */
export function bumpRevisions(initiativeIds: readonly number[]): {
  sql: string;
  params: unknown[];
} {
  return {
    sql: `insert into initiative_revision (initiative_id, revision) values ${initiativeIds
      .map(() => '(?, 1)')
      .join(', ')}
     on conflict (initiative_id) do update set revision = initiative_revision.revision + 1
     returning initiative_id, revision`,
    params: [...initiativeIds],
  };
}

/** The current revision of some initiatives (0 when never written through the pipeline). */
export async function readRevisions(
  em: Em,
  initiativeIds: readonly number[],
): Promise<Map<number, number>> {
  const rows = await em.execute(
    `select initiative_id, revision from initiative_revision where initiative_id in (${placeholders(initiativeIds)})`,
    [...initiativeIds],
  );
  const out = new Map<number, number>(initiativeIds.map((id) => [id, 0]));
  for (const r of rows) out.set(Number(r.initiative_id), Number(r.revision));
  return out;
}

/** The figures last published for some nodes of an initiative (every node when `nodes` is null). */
export async function readFigureStates(
  em: Em,
  initiativeId: number,
  nodes: readonly number[] | null,
): Promise<Map<number, FigureValue>> {
  const read = (slice: readonly number[] | null) =>
    em.execute(
      `select node_id, credit, counted, total from figure_state where initiative_id = ?${
        slice ? ` and node_id in (${placeholders(slice)})` : ''
      }`,
      [initiativeId, ...(slice ?? [])],
    );
  // A fold or an import into tens of thousands of new workstreams names more nodes than a
  // statement takes: they go a slice at a time.
  const rows = nodes ? await inSlices(nodes, read) : await read(null);
  return new Map(
    rows.map((r) => [
      Number(r.node_id),
      { credit: Number(r.credit), counted: Number(r.counted), total: Number(r.total) },
    ]),
  );
}

const FIGURE_ROWS_PER_STATEMENT = 1000;
const figureUpsertText = textPerRowCount(
  (n) => `insert into figure_state (initiative_id, node_id, credit, counted, total)
       values ${Array(n).fill('(?, ?, ?, ?, ?)').join(', ')}
       on conflict (initiative_id, node_id) do update set
         credit = excluded.credit, counted = excluded.counted, total = excluded.total`,
);

/** Records the figures just published: the next write's "before". */
export async function writeFigureStates(
  em: Em,
  initiativeId: number,
  changes: readonly FigureChange[],
): Promise<void> {
  for (const { sql, params } of figureStateWrites(initiativeId, changes))
    await transactionStatement(em, sql, params, 'run');
}

/** The statements of `writeFigureStates`: an upsert of the new figures, a delete of the gone. */
export function figureStateWrites(
  initiativeId: number,
  changes: readonly FigureChange[],
): { sql: string; params: unknown[] }[] {
  const kept = changes.filter((c) => c.after !== null);
  const gone = changes.filter((c) => c.after === null).map((c) => c.nodeId);
  const statements: { sql: string; params: unknown[] }[] = [];
  // In slices: a whole tree's figures at once would pass the databases' limits on parameters.
  for (let at = 0; at < kept.length; at += FIGURE_ROWS_PER_STATEMENT) {
    const slice = kept.slice(at, at + FIGURE_ROWS_PER_STATEMENT);
    const params: unknown[] = [];
    for (const c of slice)
      params.push(initiativeId, c.nodeId, c.after!.credit, c.after!.counted, c.after!.total);
    statements.push({ sql: figureUpsertText(slice.length), params });
  }
  // A subtree delete forgets every node of the subtree: tens of thousands, in slices.
  for (let at = 0; at < gone.length; at += IDS_PER_STATEMENT) {
    const slice = gone.slice(at, at + IDS_PER_STATEMENT);
    statements.push({
      sql: `delete from figure_state where initiative_id = ? and node_id in (${placeholders(slice)})`,
      params: [initiativeId, ...slice],
    });
  }
  return statements;
}

export interface OutboxRow {
  readonly seq: number;
  readonly initiativeId: number;
  readonly revision: number;
  readonly payload: string;
  readonly createdAt: Date;
  /**
   * The event `payload` serializes, on the rows a write of this process appended (rows read
   * from the table have none): handed to this process's listeners without parsing it back.
   */
  readonly event?: LiveEvent;
}

export async function insertOutbox(em: Em, rows: readonly OutboxRow[]): Promise<void> {
  if (rows.length === 0) return;
  const { sql, params } = outboxInsert(rows);
  await transactionStatement(em, sql, params, 'run');
  // Delivered to listeners at commit only, and not at all on rollback.
  if (dialectOf(em) === 'postgresql')
    await em.execute('select pg_notify(?, ?)', [OUTBOX_CHANNEL, String(rows.at(-1)!.seq)]);
}

/** The insert of `insertOutbox` (without its notification). */
export function outboxInsert(rows: readonly OutboxRow[]): { sql: string; params: unknown[] } {
  return {
    sql: `insert into outbox (seq, initiative_id, revision, payload, created_at) values ${rows
      .map(() => '(?, ?, ?, ?, ?)')
      .join(', ')}`,
    params: rows.flatMap((r) => [r.seq, r.initiativeId, r.revision, r.payload, r.createdAt]),
  };
}

/** Outbox rows after `seq`, in commit order. */
export async function readOutboxAfter(em: Em, seq: number, limit: number): Promise<OutboxRow[]> {
  const rows = await em.execute(
    'select seq, initiative_id, revision, payload, created_at from outbox where seq > ? order by seq limit ?',
    [seq, limit],
  );
  return rows.map((r) => ({
    seq: Number(r.seq),
    initiativeId: Number(r.initiative_id),
    revision: Number(r.revision),
    payload: String(r.payload),
    createdAt: new Date(r.created_at as string),
  }));
}

/** The last outbox row committed after `seq` (visible to `em`), or null when there is none. */
export async function lastOutboxSeqAfter(em: Em, seq: number): Promise<number | null> {
  const [row] = await em.execute('select max(seq) as seq from outbox where seq > ?', [seq]);
  return row?.seq === null || row?.seq === undefined ? null : Number(row.seq);
}

/** The last outbox number handed out (0 before the first write). */
export async function outboxHead(em: Em): Promise<number> {
  const rows = await em.execute("select seq from outbox_position where name = 'head'");
  return rows[0] ? Number(rows[0].seq) : 0;
}

/**
 * An initiative's revision now and its outbox rows after `afterRevision`, in commit order, read
 * by one statement (one snapshot on PostgreSQL too): a resumed subscription checks that they
 * are exactly the revisions it missed, none pruned.
 */
export async function readInitiativeOutboxSince(
  em: Em,
  initiativeId: number,
  afterRevision: number,
  limit: number,
): Promise<{ revision: number; rows: OutboxRow[] }> {
  const found = await em.execute(
    `select r.revision as now_revision, o.seq, o.revision, o.payload, o.created_at
     from initiative_revision r
     left join outbox o on o.initiative_id = r.initiative_id and o.revision > ?
     where r.initiative_id = ? order by o.seq limit ?`,
    [afterRevision, initiativeId, limit],
  );
  return {
    revision: found[0] ? Number(found[0].now_revision) : 0,
    rows: found
      .filter((r) => r.seq !== null && r.seq !== undefined)
      .map((r) => ({
        seq: Number(r.seq),
        initiativeId,
        revision: Number(r.revision),
        payload: String(r.payload),
        createdAt: new Date(r.created_at as string),
      })),
  };
}
