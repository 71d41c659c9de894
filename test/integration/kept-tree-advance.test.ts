import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOrm } from '../../src/db/orm.js';
import { type Em } from '../../src/db/em.js';
import type { InitiativeRecord } from '../../src/db/records.js';
import { findInitiativesByIds } from '../../src/db/queries/initiative.queries.js';
import { createInitiative } from '../../src/services/create-initiative.js';
import { createItems } from '../../src/services/create-items.js';
import { createWorkstream } from '../../src/services/create-workstream.js';
import { deleteItem } from '../../src/services/delete-item.js';
import {
  loadInitiativeTree,
  type InitiativeTree,
} from '../../src/services/load-initiative-tree.js';
import { moveItem } from '../../src/services/move-item.js';
import { inReadSnapshot } from '../../src/db/read-snapshot.js';
import { readRevisions } from '../../src/db/queries/outbox.queries.js';
import { withKeptTrees } from '../../src/services/tree-cache.js';
import { setItemStatuses } from '../../src/services/set-item-statuses.js';
import { updateInitiative } from '../../src/services/update-initiative.js';
import { updateWorkstream } from '../../src/services/update-workstream.js';
import { runWrite } from '../../src/services/write-pipeline/run-write.js';
import { operatorContext } from '../../src/services/write-pipeline/write-context.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/databases.js';

/**
 * Kept trees after item writes (src/services/tree-cache.ts): on SQLite brought forward by the
 * writes' counter deltas instead of read again, and on both databases always equal to a tree
 * read afresh (inside a transaction nothing is kept, so that read goes to the database).
 */
describe.each(DIALECTS)('kept trees after writes (%s)', (dialect) => {
  let db: TestDatabase;
  let orm: Awaited<ReturnType<typeof openOrm>>;
  let record: InitiativeRecord;
  const leaves: number[] = [];
  const items: number[] = [];
  const em = () => orm.em.fork() as Em;
  const write = <P, R>(useCase: Parameters<typeof runWrite<P, R>>[1], props: P) =>
    runWrite(operatorContext(em(), 't'), useCase, props);

  beforeAll(async () => {
    db = await createTestDatabase(dialect, true);
    orm = await openOrm({ databaseUrl: db.url, poolSize: 5 });
    await orm.schema.refresh();
    const initiative = await write(createInitiative, { key: 'adv', name: '前进' });
    for (let a = 0; a < 3; a++) {
      const top = await write(createWorkstream, { initiativeId: initiative.id, name: `顶${a}` });
      for (let b = 0; b < 3; b++) {
        const leaf = await write(createWorkstream, {
          initiativeId: initiative.id,
          parentId: top.id,
          name: `叶${a}${b}`,
        });
        leaves.push(leaf.id);
        const made = await write(createItems, {
          workstreamId: leaf.id,
          items: [
            { name: 'x', status: 'IN_PROGRESS', percent: 10 * (a + b) },
            { name: 'y', status: 'NOT_STARTED' },
          ],
        });
        items.push(...made.map((i) => i.id));
      }
    }
    [record] = (await findInitiativesByIds(em(), [initiative.id])) as InitiativeRecord[];
  }, 60_000);
  afterAll(async () => {
    await orm?.close();
    await db?.drop();
  });

  const kept = () => loadInitiativeTree(em(), record);
  const fresh = () => em().transactional((tem) => loadInitiativeTree(tem as Em, record));
  const expectSame = (a: InitiativeTree, b: InitiativeTree) => {
    expect([...a.nodes.keys()]).toEqual([...b.nodes.keys()]);
    expect(Object.fromEntries(a.rollup.figures)).toEqual(Object.fromEntries(b.rollup.figures));
    expect(a.rollup.root).toEqual(b.rollup.root);
    const own = (t: InitiativeTree) =>
      Object.fromEntries([...t.nodes.keys()].map((id) => [id, t.tallies.get(id) ?? null]));
    expect(own(a)).toEqual(own(b));
    // The revision the figures are at, brought forward with them.
    expect(a.revision).toBeGreaterThan(0);
    expect(a.revision).toBe(b.revision);
  };

  it('brings a kept tree forward over item writes, equal to a fresh read', async () => {
    let before = await kept();
    expect(await kept()).toBe(before);
    const steps: (() => Promise<unknown>)[] = [
      () => write(setItemStatuses, { updates: [{ itemId: items[0]!, status: 'DONE' }] }),
      () =>
        write(setItemStatuses, {
          updates: [
            { itemId: items[3]!, status: 'PAUSED', percent: 35 },
            { itemId: items[8]!, status: 'IN_PROGRESS', percent: 70 },
          ],
        }),
      () =>
        write(createItems, {
          workstreamId: leaves[4]!,
          items: [{ name: 'z', status: 'IN_PROGRESS', percent: 15 }],
        }),
      () => write(moveItem, { itemId: items[5]!, workstreamId: leaves[7]! }),
      () => write(deleteItem, { itemId: items[10]! }),
    ];
    for (const step of steps) {
      await step();
      // Two writes between reads as well as one.
      if (step === steps[1]) await steps[0]!().catch(() => undefined);
      const after = await kept();
      expect(after).not.toBe(before);
      expectSame(after, await fresh());
      // SQLite: the same nodes (not read again); PostgreSQL reads the tree again.
      if (dialect === 'sqlite') expect(after.nodes).toBe(before.nodes);
      expect(await kept()).toBe(after);
      before = after;
    }
  });

  it('reads the tree again after a write that changed a row', async () => {
    const before = await kept();
    await write(updateWorkstream, { id: leaves[2]!, name: '改了' });
    const after = await kept();
    expect(after.nodes).not.toBe(before.nodes);
    expect(after.nodes.get(leaves[2]!)!.name).toBe('改了');
    expectSame(after, await fresh());
    // and from that tree, item writes bring it forward again
    await write(setItemStatuses, { updates: [{ itemId: items[1]!, status: 'DONE' }] });
    const next = await kept();
    expectSame(next, await fresh());
    if (dialect === 'sqlite') expect(next.nodes).toBe(after.nodes);
  });

  it('never brings forward a tree folded with a record older than the reader’s', async () => {
    const read = async () => (await findInitiativesByIds(em(), [record.id]))[0] as InitiativeRecord;
    const old = await read();
    // A request read the record, then a policy change committed before its tree was stamped:
    // that tree is folded with the old record under the new count.
    await write(updateInitiative, {
      initiativeId: record.id,
      rollupPolicy: { IN_PROGRESS: 'ZERO' },
    });
    const racy = await loadInitiativeTree(em(), old);
    expect(racy.policy.IN_PROGRESS).toBe('PERCENT');
    await write(setItemStatuses, {
      updates: [{ itemId: items[4]!, status: 'IN_PROGRESS', percent: 20 }],
    });
    const now = await read();
    const served = await loadInitiativeTree(em(), now);
    const again = await em().transactional((tem) => loadInitiativeTree(tem as Em, now));
    expect(served.policy.IN_PROGRESS).toBe('ZERO');
    expect(served.rollup.root).toEqual(again.rollup.root);
    expect(Object.fromEntries(served.rollup.figures)).toEqual(
      Object.fromEntries(again.rollup.figures),
    );
    record = now;
  });

  // SQLite's alone: there any statement outside the pipeline moves the stamp kept trees are
  // read at; on PostgreSQL only the pipeline's writes move the initiative's revision.
  if (dialect === 'sqlite')
    it('reads the tree again after a write outside the pipeline', async () => {
      const before = await kept();
      await em().execute('update workstream_tally set items = items + 1 where workstream_id = ?', [
        leaves[0],
      ]);
      await write(setItemStatuses, { updates: [{ itemId: items[2]!, status: 'PAUSED' }] });
      const after = await kept();
      expect(after.nodes).not.toBe(before.nodes);
      expectSame(after, await fresh());
    });

  // PostgreSQL's alone: there a snapshot may be at an older revision than a tree kept since,
  // while SQLite's snapshot holds the one connection (the write below would wait for it).
  if (dialect === 'postgresql')
    it('never serves a snapshot a tree kept at a later revision than the snapshot reads', async () => {
      // A server of its own: nothing kept yet.
      const other = await openOrm({ databaseUrl: db.url, poolSize: 3 });
      const em2 = () => other.em.fork() as Em;
      try {
        await inReadSnapshot(em2(), async (snapshot) => {
          const at = (await readRevisions(snapshot, [record.id])).get(record.id)!;
          // Outside the snapshot: a write commits between the stamp's read and the tree's,
          // so the tree kept is one revision past the stamp read before it.
          const racy = await withKeptTrees(em2(), [record], async () => {
            await write(setItemStatuses, { updates: [{ itemId: items[6]!, status: 'DONE' }] });
            return [await em2().transactional((tem) => loadInitiativeTree(tem as Em, record))];
          });
          expect(racy[0]!.revision).toBe(at + 1);
          // The snapshot is still at `at`: it must get that state's tree, not the kept one.
          const seen = await loadInitiativeTree(snapshot, record);
          expect(seen.revision).toBe(at);
          expect(seen.rollup.root).not.toEqual(racy[0]!.rollup.root);
        });
        // And outside, the tree kept is the one at the revision now.
        const now = await loadInitiativeTree(em2(), record);
        expect(now.revision).toBe((await readRevisions(em(), [record.id])).get(record.id));
        expectSame(now, await fresh());
      } finally {
        await other.close();
      }
    });

  if (dialect === 'postgresql')
    it('a snapshot at an older revision leaves the newer tree kept for live reads', async () => {
      const other = await openOrm({ databaseUrl: db.url, poolSize: 3 });
      const em2 = () => other.em.fork() as Em;
      try {
        let live: InitiativeTree | undefined;
        await inReadSnapshot(em2(), async (snapshot) => {
          await readRevisions(snapshot, [record.id]); // the snapshot's state is taken here
          await write(setItemStatuses, { updates: [{ itemId: items[7]!, status: 'DONE' }] });
          live = await loadInitiativeTree(em2(), record); // kept, one revision past the snapshot
          const seen = await loadInitiativeTree(snapshot, record);
          expect(seen.revision).toBe(live.revision! - 1);
        });
        // The next live read is served the kept tree: nothing is read again.
        let loads = 0;
        const [again] = await withKeptTrees(em2(), [record], async (missing) => {
          loads++;
          return Promise.all(missing.map((r) => loadInitiativeTree(em2(), r)));
        });
        expect(loads).toBe(0);
        expect(again).toBe(live);
      } finally {
        await other.close();
      }
    });
});
