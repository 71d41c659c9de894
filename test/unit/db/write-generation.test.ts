import { describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../../../src/domain/change-events.js';
import type { Em } from '../../../src/db/em.js';
import {
  attributedWrite,
  beginAttempt,
  countersBetween,
  newGeneration,
  noteInitiativeWrites,
  registerGeneration,
} from '../../../src/db/write-generation.js';

/** Only what write-generation.ts asks of an entity manager. */
function fakeEm(): { em: Em; generation: ReturnType<typeof newGeneration> } {
  const driver = {};
  const generation = newGeneration();
  registerGeneration(driver, generation);
  const em = { getDriver: () => driver, isInTransaction: () => false } as unknown as Em;
  return { em, generation };
}

const status = (itemId: number, workstreamId: number, to: 'DONE' | 'PAUSED'): ChangeEvent =>
  ({
    type: 'ItemStatusChanged',
    initiativeId: 1,
    workstreamId,
    itemId,
    version: 2,
    from: { status: 'IN_PROGRESS', percent: 50, weight: 1 },
    to: { status: to, percent: to === 'DONE' ? 100 : 50, weight: 1 },
    effectiveAt: new Date(0),
  }) as unknown as ChangeEvent;

describe('counters of committed item writes', () => {
  it('keeps them summed per workstream and status, with the revision each write committed', async () => {
    const { em, generation } = fakeEm();
    await attributedWrite(em, async () => {
      noteInitiativeWrites(em, [1], {
        events: [status(1, 7, 'DONE'), status(2, 7, 'DONE'), status(3, 8, 'PAUSED')],
        revisions: new Map([[1, 41]]),
      });
    });
    const { deltas, revision } = countersBetween(generation, 1, 0, 1)!;
    expect(revision).toBe(41);
    // Workstream 7: two items leave IN_PROGRESS and reach DONE; workstream 8: one to PAUSED.
    expect(deltas).toHaveLength(4);
    const of = (ws: number, st: string) =>
      deltas.find((d) => d.workstreamId === ws && d.delta.status === st)?.delta.items;
    expect([of(7, 'IN_PROGRESS'), of(7, 'DONE'), of(8, 'IN_PROGRESS'), of(8, 'PAUSED')]).toEqual([
      -2, 2, -1, 1,
    ]);
  });

  it('forgets what an attempt that rolled back said, when the next one says nothing', async () => {
    const { em, generation } = fakeEm();
    await attributedWrite(em, async () => {
      // First attempt, rolled back.
      noteInitiativeWrites(em, [1], {
        events: [status(1, 7, 'DONE')],
        revisions: new Map([[1, 5]]),
      });
      beginAttempt(); // the retry replays an idempotent answer: it names nothing
    });
    expect(generation.counters.get(1)?.size ?? 0).toBe(0);
  });

  it('brings nothing forward over a write whose revision it was not told', async () => {
    const { em, generation } = fakeEm();
    await attributedWrite(em, async () => {
      noteInitiativeWrites(em, [1], {
        events: [status(1, 7, 'DONE')],
        revisions: new Map([[1, 1]]),
      });
    });
    await attributedWrite(em, async () => {
      noteInitiativeWrites(em, [1], { events: [status(2, 7, 'DONE')], revisions: new Map() });
    });
    expect(countersBetween(generation, 1, 0, 1)?.revision).toBe(1);
    // Count 2 moved, but a tree brought over it could not say its revision: it is read again.
    expect(generation.initiatives.get(1)).toBe(2);
    expect(countersBetween(generation, 1, 0, 2)).toBeNull();
    expect(countersBetween(generation, 1, 1, 2)).toBeNull();
  });
});
