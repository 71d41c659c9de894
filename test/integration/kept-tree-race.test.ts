import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOrm } from '../../src/db/orm.js';
import { type Em } from '../../src/db/em.js';
import type { InitiativeRecord } from '../../src/db/records.js';
import { findInitiativesByIds } from '../../src/db/queries/initiative.queries.js';
import { findTallyRows, findTreeRows } from '../../src/db/queries/workstream.queries.js';
import { readRevisions } from '../../src/db/queries/outbox.queries.js';
import { inReadSnapshot } from '../../src/db/read-snapshot.js';
import { createInitiative } from '../../src/services/create-initiative.js';
import { createItems } from '../../src/services/create-items.js';
import { createWorkstream } from '../../src/services/create-workstream.js';
import {
  advanceTree,
  buildTree,
  loadInitiativeTrees,
  type InitiativeTree,
} from '../../src/services/load-initiative-tree.js';
import { setItemStatuses } from '../../src/services/set-item-statuses.js';
import { withKeptTrees } from '../../src/services/tree-cache.js';
import { runWrite } from '../../src/services/write-pipeline/run-write.js';
import { operatorContext } from '../../src/services/write-pipeline/write-context.js';
import { createTestDatabase, POSTGRES_URL, type TestDatabase } from '../helpers/databases.js';

/**
 * On PostgreSQL a live read that began before a write keeps its older tree when it ends (live
 * trees are kept even at a lower revision). A request that began after the write, for two
 * initiatives, found one kept at the new revision and awaited the other's load meanwhile; it
 * must answer with the tree it found, not with what is kept when its load ends. The loads are
 * the real ones (readInitiativeTrees' statements), paused after their snapshot is taken, to
 * force that order.
 */
const gated =
  (em: Em, started: () => void, gate: Promise<void>) =>
  async (missing: readonly InitiativeRecord[]): Promise<InitiativeTree[]> => {
    const ids = missing.map((i) => i.id);
    const r = await inReadSnapshot(em, async (s) => {
      const revisions = await readRevisions(s, ids); // the snapshot is taken here
      started();
      await gate;
      return { rows: await findTreeRows(s, ids), tallies: await findTallyRows(s, ids), revisions };
    });
    return missing.map((i) => ({
      ...buildTree(
        i,
        r.rows.filter((x) => x.initiativeId === i.id),
        r.tallies.filter((t) => t.initiativeId === i.id),
      ),
      revision: r.revisions.get(i.id)!,
    }));
  };

const latch = () => {
  let open!: () => void;
  const p = new Promise<void>((r) => (open = r));
  return { p, open };
};

describe.skipIf(!POSTGRES_URL)(
  'kept trees: a request answers with the trees it found (postgresql)',
  () => {
    let db: TestDatabase;
    let orm: Awaited<ReturnType<typeof openOrm>>;
    const em = () => orm.em.fork() as Em;
    const write = <P, R>(useCase: Parameters<typeof runWrite<P, R>>[1], props: P) =>
      runWrite(operatorContext(em(), 't'), useCase, props);
    let X: InitiativeRecord;
    let Y: InitiativeRecord;
    let item: number;

    beforeAll(async () => {
      db = await createTestDatabase('postgresql');
      orm = await openOrm({ databaseUrl: db.url, poolSize: 6 });
      await orm.schema.refresh();
      const x = await write(createInitiative, { key: 'xx', name: 'X' });
      const y = await write(createInitiative, { key: 'yy', name: 'Y' });
      for (const i of [x, y]) {
        const w = await write(createWorkstream, { initiativeId: i.id, name: 'w' });
        const [it] = await write(createItems, {
          workstreamId: w.id,
          items: [{ name: 'a', status: 'NOT_STARTED' }],
        });
        if (i === x) item = it!.id;
      }
      [X, Y] = (await findInitiativesByIds(em(), [x.id, y.id])) as InitiativeRecord[];
    }, 60_000);
    afterAll(async () => {
      await orm?.close();
      await db?.drop();
    });

    it('does not serve the tree from before an acknowledged write', async () => {
      // L: a live read of X that began before the write (its snapshot is at r1)
      const lStarted = latch();
      const lGate = latch();
      const pL = withKeptTrees(em(), [X], gated(em(), lStarted.open, lGate.p), advanceTree);
      await lStarted.p;
      const r1 = (await readRevisions(em(), [X.id])).get(X.id)!;

      // W: a write to X, committed and acknowledged
      await write(setItemStatuses, { updates: [{ itemId: item, status: 'DONE' }] });
      const r2 = (await readRevisions(em(), [X.id])).get(X.id)!;
      expect(r2).toBeGreaterThan(r1);

      // C: a read after the write keeps X at r2
      const [c] = await loadInitiativeTrees(em(), [X]);
      expect(c!.revision).toBe(r2);
      expect(c!.rollup.root.credit).toBeGreaterThan(0);

      // A: a request after the write for X and Y: X is a hit at r2, Y is read
      const aStarted = latch();
      const aGate = latch();
      const pA = withKeptTrees(em(), [X, Y], gated(em(), aStarted.open, aGate.p), advanceTree);
      await aStarted.p;

      // L ends now and keeps its r1 tree over the r2 one
      lGate.open();
      const [l] = await pL;
      expect(l!.revision).toBe(r1); // its own snapshot's tree

      aGate.open();
      const [ax] = await pA;
      expect(ax!.revision).toBe(r2);
      expect(ax!.rollup.root.credit).toBe(c!.rollup.root.credit);
    });
  },
);
