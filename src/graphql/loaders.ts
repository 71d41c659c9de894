import DataLoader from 'dataloader';
import type { Em } from '../db/em.js';
import type { InitiativeRecord, ItemRecord, WorkstreamRecord } from '../db/records.js';
import type { ChangeRecord } from '../db/queries/change-log.queries.js';
import { findItemChanges } from '../db/queries/item-history.queries.js';
import { findInitiativesByIds } from '../db/queries/initiative.queries.js';
import { findItemsByIds } from '../db/queries/item.queries.js';
import { findWorkstreamsByIds } from '../db/queries/workstream.queries.js';
import { loadReportDetails, type ReportDetails } from '../services/build-report.js';
import { loadInitiativeTrees, type InitiativeTree } from '../services/load-initiative-tree.js';

/** Results in key order, null for a missing key: the shape DataLoader requires. */
export function orderByKeys<K, V>(
  keys: readonly K[],
  values: readonly V[],
  keyOf: (v: V) => K,
): (V | null)[] {
  const byKey = new Map(values.map((v) => [keyOf(v), v]));
  return keys.map((k) => byKey.get(k) ?? null);
}

export interface Loaders {
  readonly initiative: DataLoader<number, InitiativeRecord | null>;
  readonly tree: DataLoader<number, InitiativeTree | null>;
  /** The trees `tree` has read for this request, by initiative (what its answer was made from). */
  readonly treesRead: ReadonlyMap<number, InitiativeTree>;
  readonly workstream: DataLoader<number, WorkstreamRecord | null>;
  readonly item: DataLoader<number, ItemRecord | null>;
  /** Per initiative: the item facts report lines need (percent groups, names). */
  readonly reportDetails: DataLoader<number, ReportDetails | null>;
  /** A page of one item's change log: many items' pages in one statement per 500 items. */
  readonly itemHistory: DataLoader<ItemHistoryKey, ChangeRecord[], string>;
  /**
   * What other modules read once per request and keep beside the loaders (report-model reads,
   * time views, as-of trees, item changes), each under its own key (`keptBeside`).
   */
  readonly beside: Map<symbol, unknown>;
}

/** What a module keeps for this request beside its loaders under `key`, made on first use. */
export function keptBeside<T>(loaders: Loaders, key: symbol, make: () => T): T {
  let value = loaders.beside.get(key) as T | undefined;
  if (value === undefined) loaders.beside.set(key, (value = make()));
  return value;
}

/**
 * Forgets what this request has read, after one of its writes committed: what later fields of
 * the same response read must be fresh. Every loader and everything kept beside them goes, so
 * a loader or a module's per-request reads added later are forgotten with the rest; the next
 * read reads again (live trees come from the kept trees, checked against the database).
 */
export function forgetReads(loaders: Loaders): void {
  for (const value of Object.values(loaders)) if (value instanceof DataLoader) value.clearAll();
  loaders.beside.clear();
}

export interface ItemHistoryKey {
  readonly itemId: number;
  readonly beforeId: number | null;
  readonly limit: number;
}

/** Pages of the same shape (cursor and size) share a statement. */
async function loadItemHistories(
  em: Em,
  keys: readonly ItemHistoryKey[],
): Promise<ChangeRecord[][]> {
  const groups = new Map<string, ItemHistoryKey[]>();
  for (const key of keys) {
    const shape = `${key.beforeId}:${key.limit}`;
    const group = groups.get(shape);
    if (group) group.push(key);
    else groups.set(shape, [key]);
  }
  const pages = new Map<ItemHistoryKey, ChangeRecord[]>();
  for (const group of groups.values()) {
    const { beforeId, limit } = group[0]!;
    const found = await findItemChanges(
      em,
      [...new Set(group.map((k) => k.itemId))],
      beforeId,
      limit,
    );
    for (const key of group) pages.set(key, found.get(key.itemId) ?? []);
  }
  return keys.map((k) => pages.get(k)!);
}

/** Fresh per request, so nothing cached outlives the request that read it. */
export function createLoaders(em: Em): Loaders {
  const initiative = new DataLoader<number, InitiativeRecord | null>(async (ids) =>
    orderByKeys(ids, await findInitiativesByIds(em, ids), (i) => i.id),
  );
  const treesRead = new Map<number, InitiativeTree>();
  const tree = new DataLoader<number, InitiativeTree | null>(async (ids) => {
    const initiatives = (await initiative.loadMany(ids)).filter(
      (i): i is InitiativeRecord => i !== null && !(i instanceof Error),
    );
    const trees = await loadInitiativeTrees(em, initiatives);
    for (const t of trees) treesRead.set(t.initiative.id, t);
    return orderByKeys(ids, trees, (t) => t.initiative.id);
  });
  return {
    initiative,
    tree,
    treesRead,
    reportDetails: new DataLoader<number, ReportDetails | null>((ids) =>
      Promise.all(
        ids.map(async (id) => {
          const loaded = await tree.load(id);
          return loaded ? loadReportDetails(em, loaded) : null;
        }),
      ),
    ),
    itemHistory: new DataLoader((keys) => loadItemHistories(em, keys), {
      cacheKeyFn: (k) => `${k.itemId}:${k.beforeId}:${k.limit}`,
    }),
    beside: new Map(),
    workstream: new DataLoader<number, WorkstreamRecord | null>(async (ids) =>
      orderByKeys(ids, await findWorkstreamsByIds(em, ids), (w) => w.id),
    ),
    item: new DataLoader<number, ItemRecord | null>(async (ids) =>
      orderByKeys(
        ids,
        (await findItemsByIds(em, ids)).filter((i) => !i.deleted),
        (i) => i.id,
      ),
    ),
  };
}
