import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.js';
import { collect, liveClient, makeTree, revisionNow } from '../helpers/live-client.js';
import { SET_ITEM_STATUS } from '../helpers/operations.js';
import { rng } from '../helpers/random.js';

const WRITERS = 4;
const WRITES = 80;
const READERS = 3;
const FIGURE = 'progress { credit counted }';
const READ = `query($key: String!) { initiative(key: $key) { id revision ${FIGURE}
  workstreams { id ${FIGURE} children { id ${FIGURE} } } } }`;
const FIGURES = `subscription($key: String!, $after: Int) {
  figureChanged(initiativeKey: $key, afterRevision: $after) {
    revision node { id } after { credit counted } } }`;

type Figure = { credit: number; counted: number };
interface Node {
  id: string;
  progress: Figure;
  children?: Node[];
}

/** Every node's figure in an answer: the initiative's, then each workstream's. */
function figuresOf(answer: Node & { workstreams: Node[] }): Map<string, Figure> {
  const out = new Map<string, Figure>([[answer.id, answer.progress]]);
  const visit = (n: Node) => {
    out.set(n.id, n.progress);
    n.children?.forEach(visit);
  };
  answer.workstreams.forEach(visit);
  return out;
}

/**
 * `Initiative.revision` says exactly which writes an answer's figures hold, so a client can
 * read figures and then subscribe after that revision without a gap or a repeat. Checked under
 * concurrent writers against the figure events, which carry each write's revision and every
 * node's figures after it. (On SQLite most of these reads are of kept trees brought forward
 * over the writes: a tree whose revision stayed behind fails here.)
 */
describe.each(DIALECTS)('the revision an answer’s figures are at (%s)', (dialect) => {
  let app: HttpTestApp;
  const post = (q: string, v?: Record<string, unknown>) => app.post(q, v);
  beforeAll(async () => {
    // The readers read as fast as they can: no query-cost budget per minute here.
    app = await startHttpApp(dialect, { rateLimitPerMinute: 0 });
  });
  afterAll(() => app?.close());

  it('is the revision of exactly the figures read with it, under concurrent writers', async () => {
    const tree = await makeTree(post, 'rev', 2, 10);
    const read = async () => {
      const res = await post(READ, { key: 'rev' });
      if (!res.body.data) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
      return res.body.data.initiative;
    };
    const start = await read();
    expect(start.revision).toBe(await revisionNow(app.em(), 'rev'));

    const random = rng(20).next;
    const queue = Array.from({ length: WRITES }, () => {
      const r = random();
      return {
        itemId: tree.items[Math.floor(random() * 2)]![Math.floor(random() * 10)]!,
        ...(r < 0.4
          ? { status: 'DONE' }
          : r < 0.7
            ? { status: 'NOT_STARTED' }
            : { status: 'IN_PROGRESS', percent: 1 + Math.floor(random() * 98) }),
      };
    });
    const reads: { revision: number; figures: Map<string, Figure> }[] = [];
    let writing = true;
    const writers = Promise.all(
      Array.from({ length: WRITERS }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          const res = await post(SET_ITEM_STATUS, { input: next });
          expect(res.body.errors).toBeUndefined();
          expect(res.body.data.setItemStatus.userErrors).toEqual([]);
        }
      }),
    ).finally(() => (writing = false));
    await Promise.all([
      writers,
      ...Array.from({ length: READERS }, async () => {
        while (writing) {
          const answer = await read();
          reads.push({ revision: answer.revision, figures: figuresOf(answer) });
        }
      }),
    ]);
    // A last write that surely moves every figure on its path (a write that changes nothing
    // still takes a revision, with no figure event to wait for).
    const last = tree.items[0]![0]!;
    await post(SET_ITEM_STATUS, { input: { itemId: last, status: 'NOT_STARTED' } });
    await post(SET_ITEM_STATUS, { input: { itemId: last, status: 'DONE' } });
    const end = await read();
    reads.push({ revision: end.revision, figures: figuresOf(end) });

    // Every node's figure after each write since the start, from the outbox (resumed).
    const client = liveClient(app.url, app.adminToken);
    const sub = collect(client, FIGURES, { key: 'rev', after: start.revision });
    // The last write moved the leaf, the top and the initiative: one event for each.
    const lastEvents = () =>
      sub.events.filter((e) => e.figureChanged.revision === end.revision).length;
    for (const until = Date.now() + 20_000; lastEvents() < 3;) {
      if (Date.now() > until)
        throw new Error(`${lastEvents()} of 3 events of revision ${end.revision}; ${sub.errors}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await client.dispose();
    const byNode = new Map<string, Map<number, Figure>>();
    for (const [id, figure] of figuresOf(start))
      byNode.set(id, new Map([[start.revision, figure]]));
    for (const { figureChanged: e } of sub.events) byNode.get(e.node.id)!.set(e.revision, e.after);
    // A write that left a node's figure as it was sends no event for it: it holds the one before.
    const at = (id: string, r: number) => {
      const figures = byNode.get(id)!;
      for (let k = r; k >= start.revision; k--) if (figures.has(k)) return figures.get(k)!;
      throw new Error(`no figure of ${id} at or before ${r}`);
    };

    expect(byNode.size).toBe(2 + tree.leaves.length); // the initiative, the top, the leaves
    const distinct = new Set(reads.map((r) => r.revision));
    expect(distinct.size).toBeGreaterThan(5); // the reads saw the writes land
    for (const { revision, figures } of reads) {
      expect(figures.size).toBe(byNode.size);
      for (const [id, figure] of figures) expect(figure).toEqual(at(id, revision));
    }
  }, 60_000);

  it('is null in an as-of view, whose figures no subscription continues', async () => {
    const answer = await post(
      `query { initiative(key: "rev", asOf: "${new Date().toISOString()}") { revision } }`,
    );
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data.initiative.revision).toBeNull();
  });
});
