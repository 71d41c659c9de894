import Database from 'better-sqlite3';

/**
 * The S5/S6 baselines: the writes of `setItemStatus(es)` done by hand on the same schema and
 * settings (WAL, synchronous=FULL), with prepared statements and nothing else: read the items,
 * update them, upsert their workstreams' counters, append to the change log, commit.
 */
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
}

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
): RawResult {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  const ids = (n: number) => Array.from({ length: n }, () => '?').join(', ');
  const select = db.prepare(
    `select i.id, i.initiative_id, i.workstream_id, i.status, i.percent, i.version, w.deleted_at as ws_deleted
       from item i join workstream w on w.id = i.workstream_id where i.id in (${ids(batch)})`,
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
  let next = 0;
  const write = db.transaction((itemIds: number[]) => {
    const now = Date.now();
    const rows = select.all(...itemIds) as ItemRow[];
    const deltas = new Map<string, [number, string, number, number, number, number]>();
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
    log.run(...changes);
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
