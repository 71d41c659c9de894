import { inReadSnapshot } from '../db/read-snapshot.js';
import { ITEM_STATUSES, type ItemStatus } from '../domain/item-status.js';
import { creditOfTally } from '../domain/credit.js';
import { applyDelta, emptyTally, type Tally } from '../domain/tally.js';
import { UNITS_PER_ITEM } from '../domain/units.js';
import type { Em } from '../db/em.js';
import { findAllInitiatives } from '../db/queries/initiative.queries.js';
import { loadInitiativeTree } from './load-initiative-tree.js';

export interface Difference {
  readonly initiative: string;
  readonly workstreamId: number;
  readonly what: string;
  readonly stored: number;
  readonly recomputed: number;
}

export interface VerifyReport {
  readonly initiatives: number;
  readonly workstreams: number;
  readonly items: number;
  readonly differences: Difference[];
}

/**
 * Recomputes every counter from the item rows, and every node's figure by brute force (each
 * item credited to each ancestor on its path), and lists each place either disagrees with what
 * the server serves.
 *
 * Everything is read in one snapshot (src/db/read-snapshot.ts): run beside a server that writes,
 * a write landing between the counters and the items would otherwise read as a difference.
 */
export function verifyCounters(em: Em): Promise<VerifyReport> {
  return inReadSnapshot(em, compareCounters);
}

async function compareCounters(em: Em): Promise<VerifyReport> {
  const differences: Difference[] = [];
  let workstreams = 0;
  let items = 0;
  const initiatives = await findAllInitiatives(em);
  for (const initiative of initiatives) {
    const tree = await loadInitiativeTree(em, initiative);
    workstreams += tree.nodes.size;
    const stored = new Map<number, Tally>();
    for (const r of await em.execute(
      'select workstream_id, status, items, weight, percent_weight from workstream_tally where initiative_id = ?',
      [initiative.id],
    )) {
      const t = stored.get(Number(r.workstream_id)) ?? emptyTally();
      applyDelta(t, {
        status: r.status as ItemStatus,
        items: Number(r.items),
        weight: Number(r.weight),
        percentWeight: Number(r.percent_weight),
      });
      stored.set(Number(r.workstream_id), t);
    }
    const fresh = new Map<number, Tally>();
    const rows = await em.execute(
      `select workstream_id, status, count(*) as items, sum(weight) as weight, sum(weight * percent) as pw
         from item where initiative_id = ? and deleted_at is null group by workstream_id, status`,
      [initiative.id],
    );
    for (const r of rows) {
      const t = fresh.get(Number(r.workstream_id)) ?? emptyTally();
      applyDelta(t, {
        status: r.status as ItemStatus,
        items: Number(r.items),
        weight: Number(r.weight),
        percentWeight: Number(r.pw),
      });
      fresh.set(Number(r.workstream_id), t);
    }
    for (const id of new Set([...stored.keys(), ...fresh.keys()])) {
      const s = stored.get(id) ?? emptyTally();
      const f = fresh.get(id) ?? emptyTally();
      for (const status of ITEM_STATUSES) {
        for (const what of ['items', 'weight', 'percentWeight'] as const) {
          if (s[status][what] !== f[status][what]) {
            differences.push({
              initiative: initiative.key,
              workstreamId: id,
              what: `${status}.${what}`,
              stored: s[status][what],
              recomputed: f[status][what],
            });
          }
        }
      }
    }
    // Brute force: every live node's subtree figure straight from the items on its path.
    const brute = new Map<number, Tally>();
    for (const [wsId, tally] of fresh) {
      const node = tree.nodes.get(wsId);
      if (!node) continue; // items of a deleted subtree count nowhere
      for (const ancestor of node.path.split('/').filter(Boolean).map(Number)) {
        const t = brute.get(ancestor) ?? emptyTally();
        for (const status of ITEM_STATUSES) applyDelta(t, { status, ...tally[status] });
        brute.set(ancestor, t);
      }
      items += ITEM_STATUSES.reduce((n, s) => n + tally[s].items, 0);
    }
    for (const [id, figure] of tree.rollup.figures) {
      const expected = creditOfTally(brute.get(id) ?? emptyTally(), tree.policy);
      const credit = figure.credit - figure.manualCredit;
      const counted = figure.counted - figure.manualCounted;
      if (credit !== expected.credit)
        differences.push({
          initiative: initiative.key,
          workstreamId: id,
          what: 'figure.credit',
          stored: credit / UNITS_PER_ITEM,
          recomputed: expected.credit / UNITS_PER_ITEM,
        });
      if (counted !== expected.counted)
        differences.push({
          initiative: initiative.key,
          workstreamId: id,
          what: 'figure.counted',
          stored: counted / UNITS_PER_ITEM,
          recomputed: expected.counted / UNITS_PER_ITEM,
        });
    }
  }
  return { initiatives: initiatives.length, workstreams, items, differences };
}
