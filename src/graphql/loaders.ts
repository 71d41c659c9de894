import DataLoader from 'dataloader';
import type { Em } from '../db/orm.js';
import type { InitiativeRecord, ItemRecord, WorkstreamRecord } from '../db/records.js';
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
  readonly workstream: DataLoader<number, WorkstreamRecord | null>;
  readonly item: DataLoader<number, ItemRecord | null>;
  /** Per initiative: the item facts report lines need (percent groups, names). */
  readonly reportDetails: DataLoader<number, ReportDetails | null>;
}

/** Fresh per request, so nothing cached outlives the request that read it. */
export function createLoaders(em: Em): Loaders {
  const initiative = new DataLoader<number, InitiativeRecord | null>(async (ids) =>
    orderByKeys(ids, await findInitiativesByIds(em, ids), (i) => i.id),
  );
  const tree = new DataLoader<number, InitiativeTree | null>(async (ids) => {
    const initiatives = (await initiative.loadMany(ids)).filter(
      (i): i is InitiativeRecord => i !== null && !(i instanceof Error),
    );
    return orderByKeys(ids, await loadInitiativeTrees(em, initiatives), (t) => t.initiative.id);
  });
  return {
    initiative,
    tree,
    reportDetails: new DataLoader<number, ReportDetails | null>((ids) =>
      Promise.all(
        ids.map(async (id) => {
          const loaded = await tree.load(id);
          return loaded ? loadReportDetails(em, loaded) : null;
        }),
      ),
    ),
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
