import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawStatusWrites } from '../../bench/raw-writes.js';
import { generateInitiative, type GeneratedInitiative } from '../../bench/synthetic-data.js';
import { decodeLiveEvent } from '../../src/db/outbox-payload.js';
import { type Em } from '../../src/db/em.js';
import { migrate, openOrm } from '../../src/db/orm.js';
import { verifyCounters } from '../../src/services/verify-counters.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';

/**
 * S5's and S6's baselines divide the server's CPU by "the raw SQLite transaction doing the same
 * writes": the `same` baseline must commit what a status write commits, live events included,
 * and the `core` one (the baseline before live events) only the item, counters and change log.
 */
describe('the raw write baselines', () => {
  let db: TestDatabase;
  let file: string;
  let generated: GeneratedInitiative;

  beforeAll(async () => {
    db = await createTestDatabase('sqlite', true);
    const orm = await openOrm({ databaseUrl: db.url });
    await migrate(orm);
    await orm.close();
    file = db.url.replace(/^sqlite:/, '');
    generated = generateInitiative(file, { key: 'raw', workstreams: 60, items: 600, seed: 3 });
  });
  afterAll(async () => {
    await db.drop();
  });

  const counts = () => {
    const c = new Database(file, { readonly: true });
    try {
      const n = (sql: string) => Number(c.prepare(sql).pluck().get() ?? 0);
      return {
        changes: n('select count(*) from change_log'),
        outbox: n('select count(*) from outbox'),
        head: n("select seq from outbox_position where name = 'head'"),
        revision: n('select revision from initiative_revision'),
        figures: n('select count(*) from figure_state'),
      };
    } finally {
      c.close();
    }
  };

  const countersAgree = async () => {
    const orm = await openOrm({ databaseUrl: db.url });
    try {
      return (await verifyCounters(orm.em.fork() as Em)).differences;
    } finally {
      await orm.close();
    }
  };

  it('core: the items, their counters and the change log, nothing of live events', async () => {
    const before = counts();
    const { firstItemId, itemCount } = generated;
    const result = rawStatusWrites(file, firstItemId, itemCount, 1, 0.1, 'core');
    expect(result.transactions).toBeGreaterThan(0);
    expect(counts()).toEqual({ ...before, changes: before.changes + result.transactions });
    expect(await countersAgree()).toEqual([]);
  });

  it.each([1, 25])(
    'same, %i items a call: and one live event a call, as the server writes it',
    async (batch) => {
      const before = counts();
      const { firstItemId, itemCount } = generated;
      const result = rawStatusWrites(file, firstItemId, itemCount, batch, 0.1, 'same');
      const calls = result.transactions;
      expect(calls).toBeGreaterThan(0);
      const after = counts();
      expect(after).toMatchObject({
        changes: before.changes + calls * batch,
        outbox: before.outbox + calls,
        head: before.head + calls,
        revision: before.revision + calls,
      });
      expect(await countersAgree()).toEqual([]);

      const c = new Database(file, { readonly: true });
      try {
        const last = c.prepare('select * from outbox order by seq desc limit 1').get() as {
          seq: number;
          revision: number;
          payload: string;
        };
        expect(last).toMatchObject({ seq: after.head, revision: after.revision });
        const event = decodeLiveEvent(last.payload);
        expect(event).toMatchObject({ seq: after.head, revision: after.revision, actor: 'bench' });
        // The event names the change-log rows just appended and the items they changed.
        const logged = c
          .prepare(
            'select id, item_id, to_status, to_percent from change_log order by id desc limit ?',
          )
          .all(batch)
          .reverse() as { id: number; item_id: number; to_status: string; to_percent: number }[];
        expect(event.changeIds).toEqual(logged.map((r) => r.id));
        expect(event.items.map((i) => [i.itemId, i.status, i.percent])).toEqual(
          logged.map((r) => [r.item_id, r.to_status, r.to_percent]),
        );
        // Its figures: the initiative (node 0) and every node on the changed items' paths, whose
        // after-values are the rows now kept.
        const paths = c
          .prepare(
            `select distinct w.path from item i join workstream w on w.id = i.workstream_id
             where i.id in (${logged.map(() => '?').join(', ')})`,
          )
          .pluck()
          .all(...logged.map((r) => r.item_id)) as string[];
        const nodes = new Set([
          0,
          ...paths.flatMap((p) => p.split('/').filter(Boolean).map(Number)),
        ]);
        expect(new Set(event.figures.map((f) => f.nodeId))).toEqual(nodes);
        const kept = c.prepare(
          'select credit, counted, total from figure_state where initiative_id = ? and node_id = ?',
        );
        for (const f of event.figures) expect(kept.get(generated.id, f.nodeId)).toEqual(f.after);
      } finally {
        c.close();
      }
    },
  );
});
