import type { MikroORM } from '@mikro-orm/core';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FigureChange, FigureValue, LiveEvent } from '../../src/domain/live-events.js';
import { INITIATIVE_NODE } from '../../src/domain/live-events.js';
import { openOrm } from '../../src/db/orm.js';
import { type Em } from '../../src/db/em.js';
import { findInitiativesByIds } from '../../src/db/queries/initiative.queries.js';
import { findTallyRows, findTreeRows } from '../../src/db/queries/workstream.queries.js';
import { PublishedFigures } from '../../src/db/published-figures.js';
import type { KeptStatementsConnection } from '../../src/db/sqlite-driver.js';
import { createInitiative } from '../../src/services/create-initiative.js';
import { createItems } from '../../src/services/create-items.js';
import { createWorkstream } from '../../src/services/create-workstream.js';
import { buildTree } from '../../src/services/load-initiative-tree.js';
import { moveWorkstream } from '../../src/services/move-workstream.js';
import { setItemStatuses } from '../../src/services/set-item-statuses.js';
import { updateInitiative } from '../../src/services/update-initiative.js';
import { runWrite } from '../../src/services/write-pipeline/run-write.js';
import { operatorContext } from '../../src/services/write-pipeline/write-context.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { decodeLiveEvent } from '../../src/db/outbox-payload.js';

/**
 * The figures a SQLite server keeps between writes (published-figures.ts) must equal the
 * `figure_state` rows at every write: each write's figure events chain from exactly what the
 * table held before it, and what it leaves in the table is the tree's fold. Checked through
 * every way the table or the tree can change besides the kept path: another connection's
 * commit, the server's own statements outside the pipeline, a workstream move.
 */
describe('kept published figures (SQLite file)', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let initiativeId: number;
  let a: number;
  let b: number;
  let items: number[];
  const em = () => orm.em.fork() as Em;
  const op = () => operatorContext(em(), 'test');
  const kept = () =>
    (orm.em.getConnection() as unknown as KeptStatementsConnection).publishedFigures!;

  const published = async (): Promise<Map<number, FigureValue>> =>
    new Map(
      (
        await em().execute(
          'select node_id, credit, counted, total from figure_state where initiative_id = ?',
          [initiativeId],
        )
      ).map((r) => [
        Number(r.node_id),
        { credit: Number(r.credit), counted: Number(r.counted), total: Number(r.total) },
      ]),
    );
  const folded = async (): Promise<Map<number, FigureValue>> => {
    const [initiative] = await findInitiativesByIds(em(), [initiativeId]);
    const tree = buildTree(
      initiative!,
      await findTreeRows(em(), [initiativeId]),
      await findTallyRows(em(), [initiativeId]),
    );
    const value = (f: FigureValue) => ({ credit: f.credit, counted: f.counted, total: f.total });
    const out = new Map<number, FigureValue>([[INITIATIVE_NODE, value(tree.rollup.root)]]);
    for (const [id, f] of tree.rollup.figures) out.set(id, value(f));
    return out;
  };
  const lastEvent = async (): Promise<LiveEvent> =>
    decodeLiveEvent(
      String(
        (await em().execute('select payload from outbox order by seq desc limit 1'))[0]!.payload,
      ),
    );

  /** A status write, checked: events chain from the table, and the table ends as the fold. */
  const write = async (
    updates: { itemId: number; status: 'DONE' | 'IN_PROGRESS' | 'NOT_STARTED'; percent?: number }[],
  ) => {
    const before = await published();
    await runWrite(op(), setItemStatuses, { updates });
    const event = await lastEvent();
    expect(event.figures.length).toBeGreaterThan(0);
    for (const change of event.figures as FigureChange[])
      expect(change.before, `node ${change.nodeId}`).toEqual(before.get(change.nodeId) ?? null);
    const after = await published();
    const truth = await folded();
    for (const [node, value] of after) expect(value, `node ${node}`).toEqual(truth.get(node));
  };

  beforeAll(async () => {
    db = await createTestDatabase('sqlite', true);
    orm = await openOrm({ databaseUrl: db.url });
    await orm.schema.refresh();
    initiativeId = (await runWrite(op(), createInitiative, { key: 'kept', name: '留存' })).id;
    a = (await runWrite(op(), createWorkstream, { initiativeId, name: 'A' })).id;
    b = (await runWrite(op(), createWorkstream, { initiativeId, name: 'B' })).id;
    const leaf = (await runWrite(op(), createWorkstream, { initiativeId, parentId: a, name: 'A1' }))
      .id;
    items = (
      await runWrite(op(), createItems, {
        workstreamId: leaf,
        items: Array.from({ length: 6 }, (_, i) => ({ name: `item ${i}` })),
      })
    ).map((i) => i.id);
  });
  afterAll(async () => {
    await orm?.close();
    await db?.drop();
  });

  it('keeps what writes publish, and later writes chain from it exactly', async () => {
    await write([{ itemId: items[0]!, status: 'DONE' }]);
    expect(kept().size).toBeGreaterThan(0);
    await write([{ itemId: items[1]!, status: 'IN_PROGRESS', percent: 30 }]);
    await write(
      items.slice(2).map((itemId) => ({ itemId, status: 'IN_PROGRESS' as const, percent: 55 })),
    );
    await write([{ itemId: items[0]!, status: 'NOT_STARTED' }]);
  });

  it("drops them when another connection commits (another process's write)", async () => {
    await write([{ itemId: items[0]!, status: 'DONE' }]);
    const other = new Database(db.url.slice('sqlite:'.length));
    try {
      other
        .prepare(
          'update figure_state set credit = credit + 7 where initiative_id = ? and node_id = ?',
        )
        .run(initiativeId, INITIATIVE_NODE);
    } finally {
      other.close();
    }
    // The next write chains from the other connection's row, not from what was kept.
    const before = await published();
    await runWrite(op(), setItemStatuses, { updates: [{ itemId: items[1]!, status: 'DONE' }] });
    const root = (await lastEvent()).figures.find((c) => c.nodeId === INITIATIVE_NODE)!;
    expect(root.before).toEqual(before.get(INITIATIVE_NODE));
    // Put the row right again for the tests after this one.
    await em().execute('delete from figure_state where initiative_id = ?', [initiativeId], 'run');
    await write([{ itemId: items[1]!, status: 'IN_PROGRESS', percent: 10 }]);
  });

  it("drops them when the server's own connection commits outside the pipeline", async () => {
    await write([{ itemId: items[2]!, status: 'DONE' }]);
    for (const [n, change] of [
      (e: Em) =>
        e.execute('update figure_state set counted = counted + 3 where node_id = ?', [a], 'run'),
      (e: Em) =>
        e.transactional((t) =>
          t.execute('update figure_state set counted = counted - 3 where node_id = ?', [a], 'run'),
        ),
    ].entries()) {
      await change(em());
      const before = await published();
      await runWrite(op(), setItemStatuses, {
        updates: [
          {
            itemId: items[3]!,
            status: 'IN_PROGRESS',
            percent: 40 + n,
          },
        ],
      });
      const node = (await lastEvent()).figures.find((c) => c.nodeId === a)!;
      expect(node.before).toEqual(before.get(a));
    }
    await write([{ itemId: items[4]!, status: 'DONE' }]);
  });

  it('takes a moved workstream’s new path', async () => {
    await write([{ itemId: items[5]!, status: 'DONE' }]);
    const leaf = Number(
      (await em().execute('select workstream_id from item where id = ?', [items[5]!]))[0]!
        .workstream_id,
    );
    await runWrite(op(), moveWorkstream, { id: leaf, parentId: b });
    await write([{ itemId: items[5]!, status: 'IN_PROGRESS', percent: 20 }]);
    const nodes = (await lastEvent()).figures.map((c) => c.nodeId);
    expect(nodes).toContain(b);
    expect(nodes).not.toContain(a);
  });
  it("takes an initiative's new rollup policy", async () => {
    await write([{ itemId: items[1]!, status: 'IN_PROGRESS', percent: 60 }]);
    await runWrite(op(), updateInitiative, {
      initiativeId,
      rollupPolicy: { IN_PROGRESS: 'ZERO' },
    });
    await write([{ itemId: items[2]!, status: 'IN_PROGRESS', percent: 70 }]);
    await runWrite(op(), updateInitiative, {
      initiativeId,
      rollupPolicy: { IN_PROGRESS: 'PERCENT' },
    });
    await write([{ itemId: items[2]!, status: 'IN_PROGRESS', percent: 75 }]);
  });
});

describe('PublishedFigures', () => {
  const value = { credit: 1, counted: 2, total: 3 };
  const open = () => {
    const db = new Database(':memory:');
    db.exec('create table t (x integer)');
    return { db, figures: new PublishedFigures(db) };
  };

  it('keeps a transaction’s figures only when it commits', () => {
    const { db, figures } = open();
    figures.began();
    expect(figures.open()).toBe(true);
    figures.wrote(1, [{ nodeId: 5, before: null, after: value }], false);
    figures.rolledBack();
    figures.began();
    figures.open();
    expect(figures.figure(1, 5)).toBeUndefined();
    figures.wrote(1, [{ nodeId: 5, before: null, after: value }], false);
    figures.committed();
    figures.began();
    figures.open();
    expect(figures.figure(1, 5)).toEqual(value);
    db.close();
  });

  it('keeps nothing of a transaction that rolled back a savepoint or published nothing', () => {
    const { db, figures } = open();
    figures.began();
    figures.open();
    figures.wrote(1, [{ nodeId: 5, before: null, after: value }], false);
    figures.savepointRolledBack();
    figures.committed();
    expect(figures.size).toBe(0);
    figures.began();
    figures.open();
    figures.readFigure(1, 6, value);
    figures.committed(); // no figures written: not the pipeline's write
    expect(figures.size).toBe(0);
    db.close();
  });

  it('drops everything when the connection changed rows between transactions', () => {
    const { db, figures } = open();
    figures.began();
    figures.open();
    figures.wrote(1, [{ nodeId: 5, before: null, after: value }], false);
    figures.readPath(1, 9, [9]);
    figures.committed();
    expect(figures.size).toBe(2);
    db.prepare('insert into t values (1)').run();
    figures.began();
    figures.open();
    expect(figures.figure(1, 5)).toBeUndefined();
    expect(figures.path(1, 9)).toBeUndefined();
    db.close();
  });

  it("drops a folded initiative's paths and a gone node's figure", () => {
    const { db, figures } = open();
    figures.began();
    figures.open();
    figures.readPath(1, 9, [9]);
    figures.readPath(2, 8, [8]);
    figures.wrote(1, [{ nodeId: 5, before: null, after: value }], false);
    figures.wrote(2, [{ nodeId: 4, before: null, after: value }], false);
    figures.committed();
    figures.began();
    figures.open();
    figures.wrote(1, [{ nodeId: 5, before: value, after: null }], true);
    figures.committed();
    figures.began();
    figures.open();
    expect(figures.figure(1, 5)).toBeUndefined();
    expect(figures.path(1, 9)).toBeUndefined();
    expect(figures.path(2, 8)).toEqual([8]);
    expect(figures.figure(2, 4)).toEqual(value);
    db.close();
  });
});
