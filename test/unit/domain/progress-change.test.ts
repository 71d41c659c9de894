import { describe, expect, it } from 'vitest';
import type { ItemStatus } from '../../../src/domain/item-status.js';
import { itemChangesByWorkstream } from '../../../src/domain/progress-change.js';
import type { LogEntry } from '../../../src/domain/replay-items.js';
import { DEFAULT_POLICY } from '../../../src/domain/rollup-policy.js';

let id = 0;
const row = (
  itemId: number,
  kind: string,
  from: [ItemStatus, number] | null,
  to: [ItemStatus, number] | null,
): LogEntry => ({
  id: ++id,
  workstreamId: 7,
  itemId,
  kind,
  fromStatus: from?.[0] ?? null,
  fromPercent: from?.[1] ?? null,
  toStatus: to?.[0] ?? null,
  toPercent: to?.[1] ?? null,
  weight: 1,
  data: null,
  effectiveAt: id,
  recordedAt: id,
});

describe('item changes in a window', () => {
  it('counts as completed what a change finished, a new item finished in the window too, not one made done', () => {
    const counts = itemChangesByWorkstream(
      [
        // Made in the window, then finished in it: added, and completed by that change.
        row(1, 'ItemCreated', null, ['NOT_STARTED', 0]),
        row(1, 'ItemStatusChanged', ['NOT_STARTED', 0], ['DONE', 100]),
        // Made already done (an import of finished work): added only.
        row(2, 'ItemCreated', null, ['DONE', 100]),
        // There before, finished now.
        row(3, 'ItemStatusChanged', ['IN_PROGRESS', 90], ['DONE', 100]),
        // Done before, reopened.
        row(4, 'ItemStatusChanged', ['DONE', 100], ['IN_PROGRESS', 50]),
        // Made and left short of done.
        row(5, 'ItemCreated', null, ['IN_PROGRESS', 10]),
      ],
      DEFAULT_POLICY,
    );
    expect(counts.get(7)).toEqual({ completed: 2, added: 3, removed: 0, reopened: 1, entries: 6 });
  });
});
