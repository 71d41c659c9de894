import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.js';
import { collect, liveClient, makeTree, revisionNow, settle } from '../helpers/live-client.js';
import { NODE_PROGRESS, SET_ITEM_STATUS } from '../helpers/operations.js';
import { rng } from '../helpers/random.js';

const WRITERS = 8;
const WRITES = 120;

describe.each(DIALECTS)('thresholds under concurrent writers (%s)', (dialect) => {
  let app: HttpTestApp;
  beforeAll(async () => {
    app = await startHttpApp(dialect);
  });
  afterAll(() => app?.close());

  it('fire once per crossing, in the order the figure moved', async () => {
    const post = (q: string, v?: Record<string, unknown>) => app.post(q, v);
    const tree = await makeTree(post, 'cross', 1, 10);
    const leaf = tree.leaves[0]!;
    const client = liveClient(app.url, app.adminToken);
    // Both resume after the same revision (see revisionNow): neither misses the first writes.
    const after = await revisionNow(app.em(), 'cross');
    const figures = collect(
      client,
      `subscription($k: String!, $n: [ID!], $a: Int) {
        figureChanged(initiativeKey: $k, nodeIds: $n, afterRevision: $a) {
          revision before { percent } after { percent } } }`,
      { k: 'cross', n: [leaf], a: after },
    );
    const crossed = collect(
      client,
      `subscription($k: String!, $n: [ID!], $a: Int) {
        thresholdCrossed(initiativeKey: $k, thresholds: [50], nodeIds: $n, afterRevision: $a) {
          revision threshold direction before { percent } after { percent } } }`,
      { k: 'cross', n: [leaf], a: after },
    );
    const random = rng(14).next;
    const queue = Array.from({ length: WRITES }, () => ({
      itemId: tree.items[0]![Math.floor(random() * 10)]!,
      status: random() < 0.5 ? 'DONE' : 'NOT_STARTED',
    }));
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        for (let next = queue.shift(); next; next = queue.shift())
          await post(SET_ITEM_STATUS, { input: next });
      }),
    );
    const final = (await post(NODE_PROGRESS, { id: leaf })).body.data.node.progress;
    const chain = await (async () => {
      for (let i = 0; i < 200; i++) {
        const last = figures.events.at(-1)?.figureChanged;
        if (last && last.after.percent === final.percent) break;
        await settle(50);
      }
      return figures.events.map((e) => e.figureChanged);
    })();
    // The figure's events chain exactly: each before is the previous after, revisions ascend.
    chain.forEach((e, i) => {
      if (i > 0) {
        expect(e.before).toEqual(chain[i - 1].after);
        expect(e.revision).toBeGreaterThan(chain[i - 1].revision);
      }
    });
    expect(chain.at(-1).after.percent).toBe(final.percent);
    // The crossings are exactly those of the chain, once each, in its order.
    const expected = chain.flatMap((e) =>
      e.before.percent < 50 && e.after.percent >= 50
        ? [{ revision: e.revision, direction: 'UP' }]
        : e.before.percent >= 50 && e.after.percent < 50
          ? [{ revision: e.revision, direction: 'DOWN' }]
          : [],
    );
    await settle(200);
    expect(expected.length).toBeGreaterThan(2);
    expect(
      crossed.events.map((e) => ({
        revision: e.thresholdCrossed.revision,
        direction: e.thresholdCrossed.direction,
      })),
    ).toEqual(expected);
    // UP and DOWN alternate: a figure cannot cross the same way twice in a row.
    crossed.events.forEach(
      (e, i) =>
        i > 0 &&
        expect(e.thresholdCrossed.direction).not.toBe(
          crossed.events[i - 1].thresholdCrossed.direction,
        ),
    );
    await client.dispose();
  }, 60_000);
});
