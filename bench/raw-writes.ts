import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { UNITS_PER_ITEM, UNITS_PER_PERCENT_WEIGHT } from '../src/domain/units.js';

/**
 * The S5/S6 baselines: the writes of `setItemStatus(es)` done by hand on the same schema and
 * settings (WAL, synchronous=FULL), with prepared statements and nothing else. The quality bar
 * divides by "the raw SQLite transaction doing the same writes", and a write commits these:
 * - `core`: read the items, update them, upsert their workstreams' counters, append to the
 *   change log (what a write was before live events; the baseline of the bench until the
 *   forty-fifth session, still measured beside the other for comparison);
 * - `same`: those, and what live events added to every write: the outbox number and the
 *   initiative's revision (two upserts), the changed workstreams' paths, the figures along them
 *   (one upsert, their deltas added in SQL where the server keeps them in memory), and the
 *   outbox row with the event in the server's stored form (outbox-payload.ts).
 */
export type RawScope = 'core' | 'same';

/**
 * A page-for-page copy (SQLite's online backup) of a write server's database as it stands, for
 * a raw baseline to start from: every write appends to the change log, whose indexes touch more
 * pages per commit as it grows, so a baseline on the freshly generated file measures less work.
 */
export async function copyForRaw(from: string, to: string): Promise<void> {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${to}${suffix}`, { force: true });
  const source = new Database(from, { readonly: true, fileMustExist: true });
  try {
    await source.backup(to);
  } finally {
    source.close();
  }
}

export interface RawResult {
  readonly transactions: number;
  /** CPU time per transaction, microseconds. */
  readonly cpuUs: number;
  readonly perSecond: number;
}

interface ItemRow {
  id: number;
  initiative_id: number;
  workstream_id: number;
  status: string;
  percent: number;
  version: number;
  /** What the write sets (filled in by the write). */
  to?: { status: string; percent: number };
}

/** A counters delta: workstream, status, initiative, items, weight, percent × weight. */
type Delta = [number, string, number, number, number, number];

/**
 * What each write sets: the other of these two statuses than the item has, and a percent one
 * step on from its own, so every write is a real change, as the server's are (its load moves
 * each item on a round at a time). Values that depended only on how far this run had got wrote
 * what the previous run had already written to the same items: the counters' upsert then had
 * nothing to add and was skipped, about a tenth of a single write's work.
 */
const flipped = (row: ItemRow) => ({
  status: row.status === 'IN_PROGRESS' ? 'PAUSED' : 'IN_PROGRESS',
  percent: 1 + (row.percent % 98),
});

export function rawStatusWrites(
  file: string,
  firstItemId: number,
  itemCount: number,
  batch: number,
  seconds: number,
  scope: RawScope = 'same',
): RawResult {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  const select = db.prepare(
    `select i.id, i.initiative_id, i.workstream_id, i.status, i.percent, i.version, w.deleted_at as ws_deleted
       from item i join workstream w on w.id = i.workstream_id where i.id in (${marks(batch)})`,
  );
  const update = db.prepare(
    'update item set status = ?, percent = ?, version = ?, updated_at = ? where id = ?',
  );
  const upserts = new Map<number, Database.Statement>();
  const upsert = (rows: number) => {
    let s = upserts.get(rows);
    if (!s) {
      s = db.prepare(
        `insert into workstream_tally (workstream_id, status, initiative_id, items, weight, percent_weight)
         values ${Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?)').join(', ')}
         on conflict (workstream_id, status) do update set
           items = workstream_tally.items + excluded.items,
           weight = workstream_tally.weight + excluded.weight,
           percent_weight = workstream_tally.percent_weight + excluded.percent_weight`,
      );
      upserts.set(rows, s);
    }
    return s;
  };
  const log = db.prepare(
    `insert into change_log (initiative_id, workstream_id, item_id, kind, from_status, from_percent,
       to_status, to_percent, weight, version, data, actor, note, effective_at, recorded_at)
     values ${Array.from({ length: batch }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
  );
  const liveEvent = scope === 'same' ? liveEventWrites(db) : null;
  let next = 0;
  const write = db.transaction((itemIds: number[]) => {
    const now = Date.now();
    const rows = select.all(...itemIds) as ItemRow[];
    const deltas = new Map<string, Delta>();
    const add = (ws: number, st: string, init: number, n: number, pct: number) => {
      const key = `${ws}:${st}`;
      const d = deltas.get(key) ?? [ws, st, init, 0, 0, 0];
      d[3] += n;
      d[4] += n;
      d[5] += n * pct;
      deltas.set(key, d);
    };
    const changes: unknown[] = [];
    for (const row of rows) {
      const { status, percent } = flipped(row);
      row.to = { status, percent };
      update.run(status, percent, row.version + 1, now, row.id);
      add(row.workstream_id, row.status, row.initiative_id, -1, row.percent);
      add(row.workstream_id, status, row.initiative_id, 1, percent);
      changes.push(
        row.initiative_id,
        row.workstream_id,
        row.id,
        'ItemStatusChanged',
        row.status,
        row.percent,
        status,
        percent,
        1,
        row.version + 1,
        null,
        'bench',
        null,
        now,
        now,
      );
    }
    const merged = [...deltas.values()].filter((d) => d[3] !== 0 || d[5] !== 0);
    if (merged.length > 0) upsert(merged.length).run(...merged.flat());
    const lastChange = Number(log.run(...changes).lastInsertRowid);
    liveEvent?.(rows, lastChange, now);
  });
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let transactions = 0;
  while (performance.now() - started < seconds * 1000) {
    const batchIds = Array.from({ length: batch }, () => {
      const id = firstItemId + next;
      next = (next + 1) % itemCount;
      return id;
    });
    write(batchIds);
    transactions++;
  }
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  db.close();
  return {
    transactions,
    cpuUs: (cpu.user + cpu.system) / transactions,
    perSecond: transactions / elapsed,
  };
}

/** An item's credit in micro-items under the default rule (src/domain/credit.ts). */
const creditOf = (status: string, percent: number) =>
  status === 'DONE' || status === 'DECOMMISSIONABLE'
    ? UNITS_PER_ITEM
    : status === 'IN_PROGRESS'
      ? percent * UNITS_PER_PERCENT_WEIGHT
      : 0;

/**
 * The live-event writes of one transaction, as the write pipeline makes them (append-outbox.ts):
 * one outbox number, the revision, the figures of every node on the changed workstreams' paths
 * (the initiative is node 0), and the outbox row.
 */
function liveEventWrites(db: Database.Database) {
  const reserve = db
    .prepare(
      `insert into outbox_position (name, seq) values ('head', 1)
       on conflict (name) do update set seq = outbox_position.seq + excluded.seq returning seq`,
    )
    .pluck();
  const revise = db
    .prepare(
      `insert into initiative_revision (initiative_id, revision) values (?, 1)
       on conflict (initiative_id) do update set revision = initiative_revision.revision + 1
       returning revision`,
    )
    .pluck();
  const paths = new Map<number, Database.Statement>();
  const figures = new Map<number, Database.Statement>();
  const kept = (m: Map<number, Database.Statement>, n: number, sql: (n: number) => string) => {
    let s = m.get(n);
    if (!s) m.set(n, (s = db.prepare(sql(n))));
    return s;
  };
  const outbox = db.prepare(
    'insert into outbox (seq, initiative_id, revision, payload, created_at) values (?, ?, ?, ?, ?)',
  );
  return (rows: readonly ItemRow[], lastChange: number, now: number) => {
    const initiativeId = rows[0]!.initiative_id;
    const seq = Number(reserve.get());
    const revision = Number(revise.get(initiativeId));
    const workstreams = [...new Set(rows.map((r) => r.workstream_id))];
    const pathRows = kept(
      paths,
      workstreams.length,
      (n) => `select id, path from workstream where id in (${marks(n)}) and deleted_at is null`,
    ).all(...workstreams) as { id: number; path: string }[];
    // Each node's credit delta: the sum of its items' (every item here weighs 1).
    const credit = new Map<number, number>();
    for (const r of rows) {
      const delta = creditOf(r.to!.status, r.to!.percent) - creditOf(r.status, r.percent);
      const path = pathRows.find((p) => p.id === r.workstream_id)?.path ?? '';
      for (const node of [0, ...path.split('/').filter(Boolean).map(Number)])
        credit.set(node, (credit.get(node) ?? 0) + delta);
    }
    const after = kept(
      figures,
      credit.size,
      (n) => `insert into figure_state (initiative_id, node_id, credit, counted, total)
         values ${Array.from({ length: n }, () => '(?, ?, ?, 0, 0)').join(', ')}
         on conflict (initiative_id, node_id) do update set credit = figure_state.credit + excluded.credit
         returning node_id, credit, counted, total`,
    ).all(...[...credit].flatMap(([node, c]) => [initiativeId, node, c])) as FigureRow[];
    const recordedAt = new Date(now).toISOString();
    const payload = JSON.stringify({
      v: 2,
      seq,
      initiativeId,
      revision,
      actor: 'bench',
      recordedAt,
      changeIds: rows.map((_, i) => lastChange - rows.length + 1 + i),
      types: ['ItemStatusChanged'],
      items: rows.map((r) => [
        0,
        r.id,
        r.workstream_id,
        r.version + 1,
        r.to!.status,
        r.to!.percent,
      ]),
      figures: after.map((f) => {
        const c = Number(f.credit);
        const before = c - (credit.get(Number(f.node_id)) ?? 0);
        return [f.node_id, before, f.counted, f.total, c, f.counted, f.total];
      }),
    });
    outbox.run(seq, initiativeId, revision, payload, now);
  };
}

interface FigureRow {
  node_id: number;
  credit: number | bigint;
  counted: number | bigint;
  total: number | bigint;
}

/** `?, ?, ?` for `n` values. */
const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');
