import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromGlobalId } from '../../src/domain/global-id.js';
import { takeSnapshot } from '../../src/services/snapshots.js';
import { DIALECTS } from '../helpers/databases.js';
import { CREATE_ITEMS } from '../helpers/operations.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { generateHistory, WEEK, type GeneratedHistory } from '../helpers/time-history.js';

const FIGURE = 'percent credit counted total byStatus { status count }';
const ROOT = `query($from: DateTimeISO!, $to: DateTimeISO) { initiative(key: "snap") {
  id progressHistory(from: $from, to: $to, every: WEEK) { at ${FIGURE} } } }`;
const EVERY_NODE = `query($from: DateTimeISO!, $to: DateTimeISO) { initiative(key: "snap") {
  progressHistory(from: $from, to: $to, every: WEEK) { at ${FIGURE} }
  workstreams { id progressHistory(from: $from, to: $to, every: WEEK) { at ${FIGURE} }
    children { id progressHistory(from: $from, to: $to, every: WEEK) { at ${FIGURE} } } } } }`;
const AS_OF = `query($asOf: DateTimeISO) { initiative(key: "snap", asOf: $asOf) { progress { ${FIGURE} } } }`;

describe.each(DIALECTS)('a burn-up across snapshots (%s)', (dialect) => {
  let app: TestApp;
  let h: GeneratedHistory;

  beforeAll(async () => {
    app = await createTestApp(dialect);
    h = await generateHistory(app, 'snap', 10);
  }, 60_000);
  afterAll(() => app.close());

  it('gives the same points with snapshots between them, a back-dated write after them included', async () => {
    const from = new Date(h.start - WEEK).toISOString();
    // One end for every read below: a series without `to` ends at each read's own now.
    const to = new Date().toISOString();
    const before = (await app.ok(ROOT, { from, to })).initiative;
    const beforeAll = (await app.ok(EVERY_NODE, { from, to })).initiative;
    const id = fromGlobalId(before.id)!.id;
    // Snapshots between the points (mid-week) and on a point itself.
    for (const at of [2.5, 5, 5.3, 8.6].map((w) => h.start + w * WEEK))
      await takeSnapshot(app.em(), id, new Date(at));
    expect((await app.ok(ROOT, { from, to })).initiative).toEqual(before);
    expect((await app.ok(EVERY_NODE, { from, to })).initiative).toEqual(beforeAll);
    // A write back-dated before two of those snapshots: the points after it move, as reads do.
    const created = await app.ok(CREATE_ITEMS, {
      input: {
        workstreamId: h.leaves[0],
        effectiveAt: new Date(h.start + 4 * WEEK + 3_600_000).toISOString(),
        items: [{ name: '补录', status: 'DONE' }],
      },
    });
    expect(created.createItems.userErrors).toEqual([]);
    const after = (await app.ok(ROOT, { from, to })).initiative.progressHistory;
    const everyNode = (await app.ok(EVERY_NODE, { from, to })).initiative;
    expect(everyNode.progressHistory).toEqual(after);
    for (const [i, point] of after.entries()) {
      const { at, ...figure } = point;
      expect(figure).toEqual((await app.ok(AS_OF, { asOf: at })).initiative.progress);
      const moved = Date.parse(at) >= h.start + 4 * WEEK + 3_600_000;
      expect(point.total).toBe(before.progressHistory[i].total + (moved ? 1 : 0));
    }
  });
});
