import { inReadSnapshot } from '../db/read-snapshot.js';
import { ITEM_STATUSES } from '../domain/item-status.js';
import { replayItems } from '../domain/replay-items.js';
import { replayStructure } from '../domain/replay-structure.js';
import { applyDelta, emptyTally, itemDelta, type Tally } from '../domain/tally.js';
import type { Em } from '../db/em.js';
import { findItemEntries, findStructureEntries } from '../db/queries/as-of.queries.js';
import { findAllInitiatives } from '../db/queries/initiative.queries.js';
import { findTallyRows, findTreeRows } from '../db/queries/workstream.queries.js';
import { loadAsOfTree } from './as-of-tree.js';
import { loadInitiativeTree } from './load-initiative-tree.js';

export interface ReplayDifference {
  readonly initiative: string;
  readonly what: string;
  readonly live: string;
  readonly replayed: string;
}

export interface ReplayReport {
  readonly initiatives: number;
  readonly entries: number;
  readonly differences: ReplayDifference[];
}

/** JSON with sorted keys: PostgreSQL's jsonb keeps its own key order. */
const show = (v: unknown): string =>
  JSON.stringify(v ?? null, (_k, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)))
      : value,
  );

/**
 * Rebuilds every initiative from its change log alone (the replay at now, as known now) and
 * compares with what the server serves: the initiative's policy and labels, every live
 * workstream's place and attributes, every item's place, status, percent and weight, every
 * counter, and every node's figure (through snapshots and without). Lists each difference.
 *
 * Everything is read in one snapshot (src/db/read-snapshot.ts): run beside a server that writes,
 * a write landing between the log and the live rows would otherwise read as a difference.
 */
export function verifyReplay(em: Em): Promise<ReplayReport> {
  return inReadSnapshot(em, compareReplay);
}

async function compareReplay(em: Em): Promise<ReplayReport> {
  const differences: ReplayDifference[] = [];
  let entries = 0;
  const initiatives = await findAllInitiatives(em);
  const t = { asOf: Date.now() + 120_000, knownAt: Date.now() + 120_000 };
  for (const initiative of initiatives) {
    const diff = (what: string, live: unknown, replayed: unknown) => {
      if (show(live) !== show(replayed))
        differences.push({
          initiative: initiative.key,
          what,
          live: show(live),
          replayed: show(replayed),
        });
    };
    const structureRows = await findStructureEntries(em, initiative.id, t.asOf, t.knownAt);
    const itemRows = await findItemEntries(em, initiative.id, t.asOf, t.knownAt);
    entries += structureRows.length + itemRows.length;
    const structure = replayStructure(structureRows, t);
    diff('initiative.rollupPolicy', initiative.rollupPolicy, structure.initiative?.rollupPolicy);
    diff('initiative.statusLabels', initiative.statusLabels, structure.initiative?.statusLabels);
    const live = await findTreeRows(em, [initiative.id]);
    const liveIds = new Set(live.map((w) => w.id));
    const rebuilt = await loadAsOfTree(em, initiative, t, { useSnapshots: false });
    for (const id of rebuilt.nodes.keys())
      if (!liveIds.has(id)) diff(`workstream ${id}`, 'absent', 'live');
    // Sibling order, not raw positions: a position is a sort key (creations and moves may leave
    // gaps the log does not record), and figures do not depend on it.
    const liveRank = siblingRanks(live); // live rows: deleted ones are not read
    const replayedRank = siblingRanks(
      [...structure.workstreams.values()].filter((w) => !w.deleted),
    );
    for (const w of live) {
      const r = structure.workstreams.get(w.id);
      if (!r || r.deleted) {
        diff(`workstream ${w.id}`, 'live', r ? 'deleted' : 'absent');
        continue;
      }
      diff(`workstream ${w.id} order among siblings`, liveRank.get(w.id), replayedRank.get(w.id));
      for (const key of [
        'parentId',
        'name',
        'phase',
        'weightCenti',
        'manualPercentBp',
        'targetDate',
        'reportDetail',
      ] as const)
        diff(`workstream ${w.id} ${key}`, w[key], r[key]);
    }
    const states = replayItems(itemRows, t);
    const liveItems = await em.execute(
      'select id, workstream_id, status, percent, weight from item where initiative_id = ? and deleted_at is null',
      [initiative.id],
    );
    const liveItemIds = new Set<number>();
    for (const row of liveItems) {
      const id = Number(row.id);
      liveItemIds.add(id);
      const s = states.get(id);
      diff(
        `item ${id}`,
        [Number(row.workstream_id), row.status, Number(row.percent), Number(row.weight)],
        s ? [s.workstreamId, s.status, s.percent, s.weight] : 'absent',
      );
    }
    for (const id of states.keys()) if (!liveItemIds.has(id)) diff(`item ${id}`, 'absent', 'live');
    const replayed = new Map<number, Tally>();
    for (const s of states.values()) {
      const tally = replayed.get(s.workstreamId) ?? emptyTally();
      applyDelta(tally, itemDelta(s.status, s.weight, s.percent, 1));
      replayed.set(s.workstreamId, tally);
    }
    const stored = new Map<number, Tally>();
    for (const row of await findTallyRows(em, [initiative.id])) {
      const tally = stored.get(row.workstreamId) ?? emptyTally();
      applyDelta(tally, row);
      stored.set(row.workstreamId, tally);
    }
    for (const id of new Set([...stored.keys(), ...replayed.keys()]))
      for (const status of ITEM_STATUSES)
        diff(
          `counter workstream ${id} ${status}`,
          stored.get(id)?.[status] ?? emptyTally()[status],
          replayed.get(id)?.[status] ?? emptyTally()[status],
        );
    const liveTree = await loadInitiativeTree(em, initiative);
    for (const useSnapshots of [true, false]) {
      const asOf = await loadAsOfTree(em, initiative, t, { useSnapshots });
      const label = useSnapshots ? 'with snapshots' : 'from the log';
      const figure = (f: { credit: number; counted: number; total: number } | undefined) =>
        f ? [f.credit, f.counted, f.total] : 'absent';
      diff(`figure initiative (${label})`, figure(liveTree.rollup.root), figure(asOf.rollup.root));
      for (const [id, f] of liveTree.rollup.figures)
        diff(`figure workstream ${id} (${label})`, figure(f), figure(asOf.rollup.figures.get(id)));
    }
  }
  return { initiatives: initiatives.length, entries, differences };
}

/** Each workstream's place (0, 1, …) among its siblings, by position then id. */
function siblingRanks(
  all: readonly { id: number; parentId: number | null; position: number }[],
): Map<number, number> {
  const sorted = [...all].sort((a, b) => a.position - b.position || a.id - b.id);
  const next = new Map<number | null, number>();
  const rank = new Map<number, number>();
  for (const w of sorted) {
    const at = next.get(w.parentId) ?? 0;
    rank.set(w.id, at);
    next.set(w.parentId, at + 1);
  }
  return rank;
}
