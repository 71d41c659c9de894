import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSlots } from '../../src/db/write-gate.js';
import { POSTGRES_URL } from '../helpers/databases.js';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.js';
import { databaseName } from '../helpers/pg-admin.js';
import { makeTree } from '../helpers/live-client.js';
import { SET_ITEM_STATUS } from '../helpers/operations.js';

const POOL = 4;
const WRITES = 20;
/** Longer than the pool's acquire bound (3 s): without the gate, what waits for a connection fails. */
const HOLD_MS = 3_500;

describe.skipIf(!POSTGRES_URL)('writes waiting on a lock (postgresql, a pool of 4)', () => {
  let app: HttpTestApp;
  let items: string[];

  beforeAll(async () => {
    app = await startHttpApp('postgresql', {}, POOL);
    items = (await makeTree((q, v) => app.post(q, v), 'gate', 1, 5)).items[0]!;
  });
  afterAll(() => app?.close());

  it('hold at most pool − 2 connections, so reads and token checks still get one', async () => {
    // Another session holds every item row, as a long transaction would.
    const holder = new pg.Client({ connectionString: app.db.url });
    await holder.connect();
    const observer = new pg.Client({ connectionString: POSTGRES_URL });
    await observer.connect();
    try {
      await holder.query('begin');
      await holder.query('select id from item for update');
      const writes = Array.from({ length: WRITES }, (_, i) =>
        app.post(SET_ITEM_STATUS, {
          input: { itemId: items[i % items.length]!, status: 'IN_PROGRESS', percent: i + 1 },
        }),
      );
      await new Promise((r) => setTimeout(r, 500));
      const waiting = await observer.query(
        `select count(*)::int as n from pg_stat_activity
          where datname = $1 and wait_event_type = 'Lock'`,
        [databaseName(app.db.url)],
      );
      expect(waiting.rows[0].n).toBe(writeSlots(POOL));

      const started = Date.now();
      const read = await app.post('{ initiatives { key } }');
      expect(read.status).toBe(200);
      expect(read.body.data.initiatives.map((i: { key: string }) => i.key)).toEqual(['gate']);
      expect(Date.now() - started).toBeLessThan(1_500);

      await new Promise((r) => setTimeout(r, HOLD_MS - (Date.now() - started)));
      await holder.query('commit');
      const answers = await Promise.all(writes);
      for (const res of answers) {
        expect(res.status).toBe(200);
        expect(res.body.errors).toBeUndefined();
        expect(res.body.data.setItemStatus.userErrors).toEqual([]);
      }
    } finally {
      await holder.end();
      await observer.end();
    }
  });
});
