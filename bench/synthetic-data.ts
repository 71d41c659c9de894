import Database from 'better-sqlite3';
import { ITEM_STATUSES, type ItemStatus } from '../src/domain/item-status.js';
import { leavesOf, treeShape } from './tree-shape.js';

/**
 * Writes synthetic initiatives straight into a migrated SQLite file with bulk SQL: workstreams
 * with their materialized paths, items, and the per-workstream counters the server keeps,
 * exactly as the services would have left them (a test runs `verifyCounters` over the result).
 */
export interface InitiativeSpec {
  readonly key: string;
  readonly workstreams: number;
  readonly items: number;
  readonly seed: number;
}

/** What the bench needs to ask for and to check the answers. */
export interface GeneratedInitiative {
  readonly key: string;
  readonly id: number;
  readonly workstreamIds: readonly number[];
  readonly firstItemId: number;
  readonly itemCount: number;
  readonly maxDepth: number;
  /** Items per status (ITEM_STATUSES order) below each workstream, subtree included. */
  readonly subtreeCounts: ReadonlyMap<number, readonly number[]>;
}

/** (workstreams, items) of an initiative the bench generates. */
export type Size = readonly [workstreams: number, items: number];

/** The bench's trees (`npm run bench` and the scripts that measure one row alone). */
export const BENCH_SIZES = {
  small: [1_000, 10_000],
  large: [10_000, 10_000],
  huge: [10_000, 1_000_000],
  writes: [1_000, 10_000],
} as const satisfies Record<string, Size>;
/** `npm run bench -- --smoke`'s: a few minutes in all. */
export const SMOKE_SIZES = {
  small: [30, 300],
  large: [100, 300],
  huge: [100, 3_000],
  writes: [30, 300],
} as const satisfies Record<keyof typeof BENCH_SIZES, Size>;

/**
 * An initiative of the bench's size `size`, seeded by its size: every script that asks for a
 * size writes the same tree, so a figure measured alone is measured on the bench's tree.
 */
export const benchInitiative = (
  file: string,
  key: string,
  [workstreams, items]: Size,
): GeneratedInitiative =>
  generateInitiative(file, { key, workstreams, items, seed: workstreams + items });

const AREAS = ['账户', '支付', '清算', '风控', '报表', '营销', '会员', '对账', '结算', '数仓'];
const KINDS = ['迁移', '改造', '下线', '验证', '切流'];

/** Mulberry32: small, seeded, good enough to spread statuses. */
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

/** A migration-like mix: mostly done, a fifth in progress, a few paused, offline-ready, cancelled. */
function drawStatus(r: number, pick: () => number): { status: ItemStatus; percent: number } {
  if (r < 0.55) return { status: 'DONE', percent: 100 };
  if (r < 0.75) return { status: 'IN_PROGRESS', percent: 1 + Math.floor(pick() * 99) };
  if (r < 0.8) return { status: 'DECOMMISSIONABLE', percent: 100 };
  if (r < 0.92) return { status: 'NOT_STARTED', percent: 0 };
  if (r < 0.97) return { status: 'PAUSED', percent: Math.floor(pick() * 80) };
  return { status: 'CANCELLED', percent: 0 };
}

export function generateInitiative(file: string, spec: InitiativeSpec): GeneratedInitiative {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF'); // a bulk load; the server sets FULL when it opens the file
  try {
    return db.transaction(() => write(db, spec))();
  } finally {
    db.close();
  }
}

function write(db: Database.Database, spec: InitiativeSpec): GeneratedInitiative {
  const now = Date.now();
  const pick = random(spec.seed);
  const initiativeId = Number(
    db
      .prepare(
        'insert into initiative (key, name, objective, report_low_percent_bucket, created_at, updated_at) values (?, ?, ?, ?, ?, ?)',
      )
      .run(spec.key, `基准迁移-${spec.key}`, '【O9 基准】', 20, now, now).lastInsertRowid,
  );
  const shape = treeShape(spec.workstreams);
  const firstWs =
    Number(
      (db.prepare('select max(id) as id from workstream').get() as { id: number | null }).id ?? 0,
    ) + 1;
  const ids = shape.map((n) => firstWs + n.index);
  const paths: string[] = [];
  const insertWs = db.prepare(
    `insert into workstream (id, initiative_id, parent_id, path, depth, name, phase, position, report_detail, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const n of shape) {
    const id = ids[n.index]!;
    const parentPath = n.parentIndex === null ? '/' : paths[n.parentIndex]!;
    paths.push(`${parentPath}${id}/`);
    const name =
      n.depth === 0
        ? `迁移组${n.position + 1}`
        : `${AREAS[(n.index + n.depth) % AREAS.length]}${KINDS[n.position % KINDS.length]}-${n.index}`;
    insertWs.run(
      id,
      initiativeId,
      n.parentIndex === null ? null : ids[n.parentIndex]!,
      paths[n.index]!,
      n.depth,
      name,
      n.depth === 0 ? null : '测试验证投产中',
      n.position,
      n.index % 10 === 0 ? 'BY_NAME' : 'BY_PERCENT',
      now,
      now,
    );
  }

  const leaves = leavesOf(shape);
  const statusIndex = new Map(ITEM_STATUSES.map((s, i) => [s, i]));
  // own[node * 6 + status] = [items, percentWeight]; item weight is 1.
  const ownItems = new Float64Array(shape.length * ITEM_STATUSES.length);
  const ownPercent = new Float64Array(shape.length * ITEM_STATUSES.length);
  const insertItem = db.prepare(
    `insert into item (initiative_id, workstream_id, name, status, percent, weight, version, created_at, updated_at)
     values (?, ?, ?, ?, ?, 1, 1, ?, ?)`,
  );
  let firstItemId = 0;
  for (let i = 0; i < spec.items; i++) {
    const leaf = leaves[i % leaves.length]!;
    const { status, percent } = drawStatus(pick(), pick);
    const id = Number(
      insertItem.run(
        initiativeId,
        ids[leaf]!,
        `${AREAS[i % AREAS.length]}系统-${i}`,
        status,
        percent,
        now,
        now,
      ).lastInsertRowid,
    );
    if (i === 0) firstItemId = id;
    const slot = leaf * ITEM_STATUSES.length + statusIndex.get(status)!;
    ownItems[slot]! += 1;
    ownPercent[slot]! += percent;
  }

  const insertTally = db.prepare(
    `insert into workstream_tally (workstream_id, status, initiative_id, items, weight, percent_weight)
     values (?, ?, ?, ?, ?, ?)`,
  );
  const subtree = new Map<number, number[]>();
  for (const n of shape)
    subtree.set(ids[n.index]!, new Array<number>(ITEM_STATUSES.length).fill(0));
  for (const n of shape) {
    // Every ancestor on the path, the node itself included, counts the node's items.
    const counters = paths[n.index]!.split('/')
      .filter(Boolean)
      .map((ancestor) => subtree.get(Number(ancestor))!);
    ITEM_STATUSES.forEach((status, s) => {
      const items = ownItems[n.index * ITEM_STATUSES.length + s]!;
      if (items === 0) return;
      insertTally.run(
        ids[n.index]!,
        status,
        initiativeId,
        items,
        items,
        ownPercent[n.index * ITEM_STATUSES.length + s]!,
      );
      for (const counts of counters) counts[s]! += items;
    });
  }
  return {
    key: spec.key,
    id: initiativeId,
    workstreamIds: ids,
    firstItemId,
    itemCount: spec.items,
    maxDepth: Math.max(...shape.map((n) => n.depth)),
    subtreeCounts: subtree,
  };
}
