import Database from 'better-sqlite3';

/**
 * Writes a large initiative straight into a migrated SQLite file with bulk SQL, in one
 * transaction: `groups` top-level workstreams, each with `groups` children, each with `groups`
 * leaves holding `itemsPerLeaf` items, a CREATE change-log row per item and the per-workstream
 * counters the server would have kept (all items NOT_STARTED). 10 × 10 × 10 leaves × 100 items
 * is the 1,110-workstream, 100,000-item tree; it takes about a second.
 */
export interface BigInitiative {
  readonly key: string;
  readonly workstreams: number;
  readonly leaves: number;
  readonly items: number;
}

export function writeBigInitiative(
  file: string,
  key: string,
  groups = 10,
  itemsPerLeaf = 100,
): BigInitiative {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF'); // a bulk load; the server sets its own mode when it opens the file
  try {
    return db.transaction(() => write(db, key, groups, itemsPerLeaf))();
  } finally {
    db.close();
  }
}

function write(
  db: Database.Database,
  key: string,
  groups: number,
  itemsPerLeaf: number,
): BigInitiative {
  const now = Date.now();
  const initiativeId = Number(
    db
      .prepare('insert into initiative (key, name, created_at, updated_at) values (?, ?, ?, ?)')
      .run(key, `大项目-${key}`, now, now).lastInsertRowid,
  );
  const insertWs = db.prepare(
    `insert into workstream (initiative_id, parent_id, path, depth, name, position, report_detail, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, 'BY_PERCENT', ?, ?)`,
  );
  const setPath = db.prepare('update workstream set path = ? where id = ?');
  const addWorkstream = (parent: { id: number; path: string } | null, depth: number, i: number) => {
    const id = Number(
      insertWs.run(initiativeId, parent?.id ?? null, '', depth, `工作流${depth}-${i}`, i, now, now)
        .lastInsertRowid,
    );
    const path = `${parent?.path ?? '/'}${id}/`;
    setPath.run(path, id);
    return { id, path };
  };
  const insertItem = db.prepare(
    `insert into item (initiative_id, workstream_id, name, status, percent, weight, version, created_at, updated_at)
     values (?, ?, ?, 'NOT_STARTED', 0, 1, 1, ?, ?)`,
  );
  const insertChange = db.prepare(
    `insert into change_log (initiative_id, workstream_id, item_id, kind, to_status, to_percent, weight, version, actor, effective_at, recorded_at)
     values (?, ?, ?, 'ItemCreated', 'NOT_STARTED', 0, 1, 1, 'bulk', ?, ?)`,
  );
  const insertTally = db.prepare(
    `insert into workstream_tally (workstream_id, status, initiative_id, items, weight, percent_weight)
     values (?, 'NOT_STARTED', ?, ?, ?, 0)`,
  );
  let workstreams = 0;
  let leaves = 0;
  let items = 0;
  for (let a = 0; a < groups; a++) {
    const top = addWorkstream(null, 0, a);
    workstreams++;
    for (let b = 0; b < groups; b++) {
      const mid = addWorkstream(top, 1, b);
      workstreams++;
      for (let c = 0; c < groups; c++) {
        const leaf = addWorkstream(mid, 2, c);
        workstreams++;
        leaves++;
        for (let i = 0; i < itemsPerLeaf; i++) {
          const itemId = Number(
            insertItem.run(initiativeId, leaf.id, `系统-${items}`, now, now).lastInsertRowid,
          );
          insertChange.run(initiativeId, leaf.id, itemId, now, now);
          items++;
        }
        if (itemsPerLeaf > 0) insertTally.run(leaf.id, initiativeId, itemsPerLeaf, itemsPerLeaf);
      }
    }
  }
  return { key, workstreams, leaves, items };
}
