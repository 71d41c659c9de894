import Database from 'better-sqlite3';
import { ITEM_STATUSES, type ItemStatus } from '../src/domain/item-status.js';
import { SNAPSHOT_EVERY_ROWS } from '../src/services/snapshots.js';

/**
 * Writes a year of change log for a generated initiative straight into its SQLite file, with
 * bulk SQL: the initiative's and every workstream's creation a year ago, and per item its
 * creation and a chain of status changes ending in the status it has now (so a replay at now
 * equals the live counters), `entries` rows in all; plus tally snapshots as the server would
 * have taken them: when the newest is a week old or SNAPSHOT_EVERY_ROWS item rows behind. The
 * rows are written in time order, as a server appends them (ids grow with time).
 */
const DAY = 86_400_000;
const WEEK = 7 * DAY;

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Row {
  [k: string]: unknown;
}

export function generateHistory(
  file: string,
  initiativeId: number,
  entries: number,
  now: number,
): { entries: number; snapshots: number } {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  try {
    return db.transaction(() => write(db, initiativeId, entries, now))();
  } finally {
    db.close();
  }
}

/** When the server's snapshot policy would have taken snapshots, given every item row's time. */
function snapshotTimes(rowTimes: Float64Array, start: number, end: number): number[] {
  const out: number[] = [];
  let last = start;
  let i = 0;
  for (;;) {
    let since = 0;
    while (i < rowTimes.length && rowTimes[i]! <= last + WEEK && since <= SNAPSHOT_EVERY_ROWS) {
      since++;
      i++;
    }
    if (since > SNAPSHOT_EVERY_ROWS) last = rowTimes[i - 1]!;
    else if (last + WEEK <= end) last += WEEK;
    else return out;
    out.push(last);
  }
}

function write(db: Database.Database, initiativeId: number, entries: number, now: number) {
  const pick = random(entries);
  const start = now - 365 * DAY;
  const end = now - 3_600_000;
  const initiative = db.prepare('select * from initiative where id = ?').get(initiativeId) as Row;
  const workstreams = db
    .prepare('select * from workstream where initiative_id = ? order by id')
    .all(initiativeId) as Row[];
  const items = db
    .prepare(
      'select id, workstream_id, status, percent, weight from item where initiative_id = ? and deleted_at is null order by id',
    )
    .all(initiativeId) as Row[];
  const insert = db.prepare(
    `insert into change_log (initiative_id, workstream_id, item_id, kind, from_status, from_percent,
      to_status, to_percent, weight, version, data, actor, note, effective_at, recorded_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'bench', null, ?, ?)`,
  );
  const born = start - DAY;
  const state = {
    key: initiative.key,
    name: initiative.name,
    rollupPolicy: null,
    statusLabels: null,
  };
  insert.run(
    initiativeId,
    null,
    null,
    'InitiativeCreated',
    null,
    null,
    null,
    null,
    null,
    null,
    JSON.stringify({ state }),
    born,
    born,
  );
  for (const w of workstreams) {
    const ws = {
      parentId: w.parent_id,
      position: w.position,
      name: w.name,
      phase: w.phase,
      weightCenti: w.weight_centi,
      manualPercentBp: w.manual_percent_bp,
      targetDate: w.target_date,
      reportDetail: w.report_detail,
    };
    insert.run(
      initiativeId,
      w.id,
      null,
      'WorkstreamCreated',
      null,
      null,
      null,
      null,
      null,
      null,
      JSON.stringify({ state: ws }),
      born,
      born,
    );
  }
  let written = 1 + workstreams.length;
  const perItem = Math.max(1, Math.floor((entries - written) / items.length));
  let extra = Math.max(0, entries - written - perItem * items.length);
  const chains: { at: number; status: ItemStatus; percent: number }[][] = [];
  for (const item of items) {
    const k = perItem + (extra > 0 ? 1 : 0);
    if (extra > 0) extra--;
    const created = start + Math.floor(pick() * 30 * DAY);
    const times = Array.from(
      { length: k - 1 },
      () => created + 1 + Math.floor(pick() * (end - created)),
    );
    times.sort((a, b) => a - b);
    const chain: { at: number; status: ItemStatus; percent: number }[] = [
      { at: created, status: 'NOT_STARTED', percent: 0 },
    ];
    times.forEach((at, i) => {
      const last = i === times.length - 1;
      const percent = Math.floor(((i + 1) / times.length) * 90);
      chain.push(
        last
          ? { at, status: item.status as ItemStatus, percent: Number(item.percent) }
          : { at, status: i % 7 === 3 ? 'PAUSED' : 'IN_PROGRESS', percent },
      );
    });
    if (k === 1)
      chain[0] = { at: created, status: item.status as ItemStatus, percent: Number(item.percent) };
    chains.push(chain);
  }
  const rowTimes = new Float64Array(chains.reduce((n, c) => n + c.length, 0));
  let r = 0;
  for (const chain of chains) for (const c of chain) rowTimes[r++] = c.at;
  rowTimes.sort();
  // Snapshot tallies: [snapshot][workstream:status] → [items, weight, percentWeight].
  const weeks = snapshotTimes(rowTimes, start, end);
  const snap = weeks.map(() => new Map<string, [number, number, number]>());
  // The rows go in in time order, as a running server appends them (one item's whole year at
  // a time would scatter the rows of any one week over the whole file, an order no server
  // writes).
  const order: [n: number, i: number][] = [];
  chains.forEach((chain, n) => chain.forEach((_, i) => order.push([n, i])));
  order.sort(([n1, i1], [n2, i2]) => chains[n1]![i1]!.at - chains[n2]![i2]!.at || n1 - n2);
  for (const [n, i] of order) {
    const item = items[n]!;
    const chain = chains[n]!;
    const c = chain[i]!;
    const prev = chain[i - 1];
    insert.run(
      initiativeId,
      item.workstream_id,
      item.id,
      i === 0 ? 'ItemCreated' : 'ItemStatusChanged',
      prev?.status ?? null,
      prev?.percent ?? null,
      c.status,
      c.percent,
      Number(item.weight),
      i + 1,
      null,
      c.at,
      c.at,
    );
  }
  items.forEach((item, n) => {
    const chain = chains[n]!;
    const weight = Number(item.weight);
    written += chain.length;
    let at = 0;
    weeks.forEach((t, w) => {
      while (at + 1 < chain.length && chain[at + 1]!.at <= t) at++;
      if (chain[0]!.at > t) return;
      const c = chain[at]!;
      const key = `${item.workstream_id}:${c.status}`;
      const sum = snap[w]!.get(key) ?? [0, 0, 0];
      sum[0] += 1;
      sum[1] += weight;
      sum[2] += weight * c.percent;
      snap[w]!.set(key, sum);
    });
  });
  const head = db.prepare(
    'insert into tally_snapshot (initiative_id, effective_at, recorded_at) values (?, ?, ?)',
  );
  const row = db.prepare(
    'insert into tally_snapshot_row (snapshot_id, workstream_id, status, items, weight, percent_weight) values (?, ?, ?, ?, ?, ?)',
  );
  weeks.forEach((t, w) => {
    const id = Number(head.run(initiativeId, t, t).lastInsertRowid);
    for (const [key, [n, weight, pw]] of snap[w]!) {
      const [ws, status] = key.split(':');
      if (!ITEM_STATUSES.includes(status as ItemStatus)) continue;
      row.run(id, Number(ws), status, n, weight, pw);
    }
  });
  return { entries: written, snapshots: weeks.length };
}
