import type { ItemStatus } from './item-status.js';
import { itemStateAfter, type LogEntry } from './replay-items.js';
import type { RollupPolicy } from './rollup-policy.js';

/** What happened to items between two times, per workstream (where the item ended up). */
export interface ItemChangeCounts {
  /**
   * Items that reached full credit in the window by a change: ones short of it before, and ones
   * added in the window short of it and finished in it too (an item made already done is only
   * added: it was finished before it was recorded).
   */
  completed: number;
  added: number;
  removed: number;
  /** Items that had full credit before and no longer have it (still there). */
  reopened: number;
  /** Log rows in the window. */
  entries: number;
}

export const noItemChanges = (): ItemChangeCounts => ({
  completed: 0,
  added: 0,
  removed: 0,
  reopened: 0,
  entries: 0,
});

function fullCredit(status: ItemStatus, percent: number, policy: RollupPolicy): boolean {
  const rule = policy[status];
  return rule === 'FULL' || (rule === 'PERCENT' && percent >= 100);
}

/**
 * Per workstream, the item changes of the log rows in a window (effective order, every row the
 * later read sees and the earlier does not): an item's state before is its first row's "before",
 * its state after its last row's "after" — so an item done and reopened within the week counts
 * neither as completed nor as reopened.
 */
export function itemChangesByWorkstream(
  rows: readonly LogEntry[],
  policy: RollupPolicy,
): Map<number, ItemChangeCounts> {
  const firstOf = new Map<number, LogEntry>();
  const lastOf = new Map<number, LogEntry>();
  const out = new Map<number, ItemChangeCounts>();
  const counts = (ws: number) => {
    let c = out.get(ws);
    if (!c) out.set(ws, (c = noItemChanges()));
    return c;
  };
  for (const row of rows) {
    if (row.itemId === null) continue;
    if (!firstOf.has(row.itemId)) firstOf.set(row.itemId, row);
    if (row.toStatus !== null || row.kind === 'ItemDeleted') lastOf.set(row.itemId, row);
    if (row.workstreamId !== null) counts(row.workstreamId).entries++;
  }
  for (const [itemId, first] of firstOf) {
    const last = lastOf.get(itemId);
    if (!last) continue;
    const before = first.fromStatus === null ? null : first;
    const after = itemStateAfter(last);
    if (!before && after) {
      counts(after.workstreamId).added++;
      const cameIn = first.toStatus;
      if (
        cameIn !== null &&
        !fullCredit(cameIn, first.toPercent ?? 0, policy) &&
        fullCredit(after.status, after.percent, policy)
      )
        counts(after.workstreamId).completed++;
    } else if (before && !after) counts(last.workstreamId ?? first.workstreamId!).removed++;
    else if (before && after) {
      const was = fullCredit(before.fromStatus!, before.fromPercent ?? 0, policy);
      const is = fullCredit(after.status, after.percent, policy);
      if (!was && is) counts(after.workstreamId).completed++;
      if (was && !is) counts(after.workstreamId).reopened++;
    }
  }
  return out;
}

export function addItemChanges(into: ItemChangeCounts, from: Readonly<ItemChangeCounts>): void {
  into.completed += from.completed;
  into.added += from.added;
  into.removed += from.removed;
  into.reopened += from.reopened;
  into.entries += from.entries;
}
