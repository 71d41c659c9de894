import { describe, expect, it } from 'vitest';
import { itemRowDeltas, replayItems, type LogEntry } from '../../../src/domain/replay-items.js';

const row = (over: Partial<LogEntry>): LogEntry => ({
  id: 1,
  workstreamId: 10,
  itemId: 7,
  kind: 'ItemStatusChanged',
  fromStatus: null,
  fromPercent: null,
  toStatus: null,
  toPercent: null,
  weight: 2,
  data: null,
  effectiveAt: 100,
  recordedAt: 100,
  ...over,
});

describe('item rows in a replay', () => {
  it('takes a weight change out at the old weight and back at the new', () => {
    const deltas = itemRowDeltas(
      row({
        kind: 'ItemWeightChanged',
        fromStatus: 'DONE',
        fromPercent: 100,
        toStatus: 'DONE',
        toPercent: 100,
        weight: 3,
        data: JSON.stringify({ from: 1, to: 3 }),
      }),
    );
    expect(deltas.map((d) => [d.workstreamId, d.delta.weight, d.delta.percentWeight])).toEqual([
      [10, -1, -100],
      [10, 3, 300],
    ]);
  });

  it('moves an item between workstreams when the row names where it came from', () => {
    const moved = row({
      kind: 'ItemMoved',
      fromStatus: 'IN_PROGRESS',
      fromPercent: 40,
      toStatus: 'IN_PROGRESS',
      toPercent: 40,
      workstreamId: 11,
      data: JSON.stringify({ fromWorkstreamId: 10 }),
    });
    expect(itemRowDeltas(moved).map((d) => [d.workstreamId, d.delta.items])).toEqual([
      [10, -1],
      [11, 1],
    ]);
    expect(replayItems([moved], { asOf: 100, knownAt: 100 }).get(7)?.workstreamId).toBe(11);
  });

  it('keeps the last state in effective order, ignoring rows that state no status', () => {
    const rows = [
      row({ id: 1, kind: 'ItemCreated', toStatus: 'NOT_STARTED', toPercent: 0, effectiveAt: 50 }),
      row({ id: 2, toStatus: 'DONE', toPercent: 100, effectiveAt: 80, recordedAt: 200 }),
      row({ id: 3, kind: 'ItemRenamed', effectiveAt: 90, recordedAt: 90 }),
    ];
    expect(replayItems(rows, { asOf: 100, knownAt: 150 }).get(7)?.status).toBe('NOT_STARTED');
    expect(replayItems(rows, { asOf: 100, knownAt: 250 }).get(7)?.status).toBe('DONE');
    expect(replayItems(rows, { asOf: 40, knownAt: 250 }).has(7)).toBe(false);
    expect(
      replayItems(
        [...rows, row({ id: 4, kind: 'ItemDeleted', fromStatus: 'DONE', effectiveAt: 95 })],
        {
          asOf: 100,
          knownAt: 250,
        },
      ).has(7),
    ).toBe(false);
  });
});
