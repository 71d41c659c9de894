import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeLiveEvent, encodeLiveEvent } from '../../../src/db/outbox-payload.js';
import { ITEM_STATUSES } from '../../../src/domain/item-status.js';
import type { LiveEvent } from '../../../src/domain/live-events.js';

const TYPES = ['ItemStatusChanged', 'ItemCreated', 'ItemDeleted', 'WorkstreamCreated'] as const;
const count = fc.integer({ min: 0, max: 2 ** 40 });
const value = fc.option(fc.record({ credit: count, counted: count, total: count }), {
  nil: null,
});
const event: fc.Arbitrary<LiveEvent> = fc.record({
  seq: fc.nat(),
  initiativeId: fc.nat(),
  revision: fc.nat(),
  actor: fc.string(),
  recordedAt: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  changeIds: fc.array(fc.nat()),
  types: fc.uniqueArray(fc.constantFrom(...TYPES)),
  // Any type, also one the event's `types` does not list: stored by name then.
  items: fc.array(
    fc.record({
      type: fc.constantFrom(...TYPES),
      itemId: fc.nat(),
      workstreamId: fc.nat(),
      version: fc.nat(),
      status: fc.option(fc.constantFrom(...ITEM_STATUSES), { nil: null }),
      percent: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
    }),
  ),
  figures: fc.array(fc.record({ nodeId: fc.nat(), before: value, after: value })),
});

describe('live events as the outbox keeps them', () => {
  it('read back equal to the event written', () => {
    fc.assert(
      fc.property(event, (e) => {
        expect(decodeLiveEvent(encodeLiveEvent(e))).toEqual(e);
      }),
      { numRuns: 300 },
    );
  });

  it('read rows kept before, when the event was stored as it is', () => {
    fc.assert(
      fc.property(event, (e) => {
        expect(decodeLiveEvent(JSON.stringify(e))).toEqual(e);
      }),
      { numRuns: 100 },
    );
  });

  it('take well under half the room of the event as objects for a 100-item write', () => {
    const figure = (n: number) => ({
      credit: 513_660_000 + n,
      counted: 1_040_000_000,
      total: 1_040,
    });
    const e: LiveEvent = {
      seq: 625,
      initiativeId: 1,
      revision: 625,
      actor: 'bench',
      recordedAt: '2026-12-01T04:22:22.717Z',
      changeIds: Array.from({ length: 100 }, (_, i) => 62_401 + i),
      types: ['ItemStatusChanged'],
      items: Array.from({ length: 100 }, (_, i) => ({
        type: 'ItemStatusChanged' as const,
        itemId: 2_401 + i,
        workstreamId: 11 + i,
        version: 8,
        status: 'IN_PROGRESS' as const,
        percent: 76,
      })),
      figures: Array.from({ length: 135 }, (_, i) => ({
        nodeId: i,
        before: figure(i),
        after: figure(i + 8_520_000),
      })),
    };
    expect(encodeLiveEvent(e).length).toBeLessThan(JSON.stringify(e).length * 0.45);
  });
});
