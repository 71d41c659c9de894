import { describe, expect, it } from 'vitest';
import {
  metricsDefinedAt,
  milestonesAt,
  type MilestoneFields,
} from '../../../src/domain/replay-report-model.js';
import type { LogEntry } from '../../../src/domain/replay-items.js';

/** Milestone 4 as it is now: moved twice, noted, a month. */
const NOW: MilestoneFields = {
  id: 4,
  workstreamId: 9,
  name: '全量上线',
  dueDate: '2023-07-01',
  duePrecision: 'MONTH',
  originalDueDate: '2023-06-15',
  originalDuePrecision: 'DAY',
  doneDate: null,
  note: '等联调环境',
};

let nextId = 1;
/** A `MilestoneSet` row of milestone 4, effective and recorded at the given times. */
function set(payload: Record<string, unknown>, effectiveAt: number, recordedAt = effectiveAt) {
  return {
    id: nextId++,
    workstreamId: null,
    itemId: null,
    kind: 'MilestoneSet',
    fromStatus: null,
    fromPercent: null,
    toStatus: null,
    toPercent: null,
    weight: null,
    data: JSON.stringify({ milestoneId: 4, name: '上线', doneDate: null, ...payload }),
    effectiveAt,
    recordedAt,
  } satisfies LogEntry;
}
const at = (asOf: number, knownAt = 1_000) => ({ asOf, knownAt });

describe('milestonesAt: milestones as they stood at a read time', () => {
  const full = (due: string, duePrecision: string, milestoneNote: string | null) => ({
    due,
    duePrecision,
    milestoneNote,
    scopeWorkstreamId: 9,
  });
  const rows = [
    set(full('2023-06-15', 'DAY', null), 10),
    set({ ...full('2023-06-20', 'DAY', null), name: '全量上线' }, 20),
    set({ ...full('2023-07-01', 'MONTH', '等联调环境'), name: '全量上线' }, 30, 40),
  ];

  it('leaves out a milestone not yet set (as known then), keeps one that predates the log', () => {
    expect(milestonesAt([NOW], rows, at(5))).toEqual([]);
    expect(milestonesAt([NOW], rows, at(35, 35)).map((m) => m.dueDate)).toEqual(['2023-06-20']);
    expect(milestonesAt([NOW], [], at(5))).toEqual([NOW]);
  });

  it('reads each write’s due date, precision, name and note; the original is the first', () => {
    expect(milestonesAt([NOW], rows, at(10))).toEqual([
      { ...NOW, name: '上线', dueDate: '2023-06-15', duePrecision: 'DAY', note: null },
    ]);
    expect(milestonesAt([NOW], rows, at(25))[0]).toMatchObject({
      name: '全量上线',
      dueDate: '2023-06-20',
      originalDueDate: '2023-06-15',
    });
    expect(milestonesAt([NOW], rows, at(50))).toEqual([NOW]);
  });

  it('takes today’s precision, note and workstream where an older row does not say', () => {
    const old = [set({ due: '2023-06-15' }, 10), set({ due: '2023-07-01' }, 20)];
    // The original date is today's original: its precision too; another date is a day.
    expect(milestonesAt([NOW], old, at(15))[0]).toMatchObject({
      dueDate: '2023-06-15',
      duePrecision: 'DAY',
      note: '等联调环境',
      workstreamId: 9,
    });
    expect(milestonesAt([NOW], old, at(25))[0]).toMatchObject({
      dueDate: '2023-07-01',
      duePrecision: 'MONTH',
    });
    const other = [set({ due: '2023-06-02' }, 10)];
    expect(milestonesAt([NOW], other, at(15))[0]).toMatchObject({ duePrecision: 'DAY' });
  });
});

describe('metricsDefinedAt: the metrics an initiative had at a read time', () => {
  const defined = (metricId: number, effectiveAt: number, recordedAt = effectiveAt): LogEntry => ({
    ...set({}, effectiveAt, recordedAt),
    kind: 'MetricDefined',
    data: JSON.stringify({ metricId, name: `m${metricId}` }),
  });
  const metrics = [{ id: 1 }, { id: 2 }, { id: 3 }];
  const rows = [defined(1, 10), defined(2, 20, 40)];

  it('leaves out one defined later, or recorded later; keeps one older than the log', () => {
    expect(metricsDefinedAt(metrics, rows, at(5))).toEqual([{ id: 3 }]);
    expect(metricsDefinedAt(metrics, rows, at(25, 30))).toEqual([{ id: 1 }, { id: 3 }]);
    expect(metricsDefinedAt(metrics, rows, at(25, 40))).toEqual(metrics);
  });
});
