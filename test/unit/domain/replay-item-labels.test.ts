import { describe, expect, it } from 'vitest';
import { itemLabelsAt } from '../../../src/domain/replay-item-labels.js';
import type { LogEntry } from '../../../src/domain/replay-items.js';

let nextId = 1;
/** A rename (or a note) of item 7 from → to, effective and recorded at the given times. */
function row(
  kind: 'ItemRenamed' | 'ItemNoteSet',
  from: string | null,
  to: string | null,
  effectiveAt: number,
  recordedAt = effectiveAt,
): LogEntry {
  return {
    id: nextId++,
    workstreamId: 3,
    itemId: 7,
    kind,
    fromStatus: 'DONE',
    fromPercent: 100,
    toStatus: 'DONE',
    toPercent: 100,
    weight: 1,
    data: JSON.stringify({ from, to }),
    effectiveAt,
    recordedAt,
  };
}
const at = (asOf: number, knownAt = 1_000) => ({ asOf, knownAt });

describe('itemLabelsAt: an item’s name and note at a read time', () => {
  it('leaves out an item whose name and note never changed (today’s are right)', () => {
    expect(itemLabelsAt([], at(50))).toEqual(new Map());
  });

  it('gives the name before the first rename, between renames, and after the last', () => {
    const rows = [row('ItemRenamed', 'B', 'C', 20), row('ItemRenamed', 'A', 'B', 10)];
    expect(itemLabelsAt(rows, at(5)).get(7)).toEqual({ name: 'A' });
    expect(itemLabelsAt(rows, at(10)).get(7)).toEqual({ name: 'B' });
    expect(itemLabelsAt(rows, at(15)).get(7)).toEqual({ name: 'B' });
    expect(itemLabelsAt(rows, at(25)).get(7)).toEqual({ name: 'C' });
  });

  it('leaves out a rename recorded after knownAt, even one back-dated before asOf', () => {
    const rows = [row('ItemRenamed', 'A', 'B', 10), row('ItemRenamed', 'B', 'X', 15, 40)];
    expect(itemLabelsAt(rows, at(30, 30)).get(7)).toEqual({ name: 'B' });
    expect(itemLabelsAt(rows, at(30, 40)).get(7)).toEqual({ name: 'X' });
    // Known before the first rename was recorded, the name it changed from.
    expect(itemLabelsAt([row('ItemRenamed', 'A', 'B', 10, 40)], at(30, 30)).get(7)).toEqual({
      name: 'A',
    });
  });

  it('gives a note that was set, cleared, or not yet written (null)', () => {
    const rows = [row('ItemNoteSet', null, '等上游', 10), row('ItemNoteSet', '等上游', null, 20)];
    expect(itemLabelsAt(rows, at(5)).get(7)).toEqual({ note: null });
    expect(itemLabelsAt(rows, at(12)).get(7)).toEqual({ note: '等上游' });
    expect(itemLabelsAt(rows, at(25)).get(7)).toEqual({ note: null });
    // The name and the note are replayed apart.
    const both = [...rows, row('ItemRenamed', 'A', 'B', 15)];
    expect(itemLabelsAt(both, at(12)).get(7)).toEqual({ name: 'A', note: '等上游' });
  });
});
