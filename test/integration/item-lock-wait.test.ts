import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromGlobalId } from '../../src/domain/global-id.js';
import { POSTGRES_URL } from '../helpers/databases.js';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.js';
import {
  CREATE_INITIATIVE,
  CREATE_ITEMS,
  CREATE_WORKSTREAM,
  SET_ITEM_STATUS,
} from '../helpers/operations.js';

/**
 * A write that waited for an item's row lock must read the item as the holder committed it.
 * PostgreSQL re-checks a locking statement that waited against the newest version of the rows it
 * locks only: rows it joins (the stage, the workstream) stay as they were before the wait. So the
 * write locks its items in one statement and reads them in the next, which sees the holder's
 * commit. Reading them in the locking statement (tried once, to save a round trip) let a status
 * write that waited on `setItemStage` go through against the stage it could not see.
 */
describe.skipIf(!POSTGRES_URL)('an item write that waited on the lock (postgresql)', () => {
  let app: HttpTestApp;
  let item: { id: string; version: number };
  let holder: pg.Client;

  beforeAll(async () => {
    app = await startHttpApp('postgresql');
    const ini = (await app.post(CREATE_INITIATIVE, { input: { key: 'wait', name: '等待' } })).body
      .data.createInitiative.initiative.id;
    const ws = (await app.post(CREATE_WORKSTREAM, { input: { initiativeId: ini, name: '甲' } }))
      .body.data.createWorkstream.workstream.id;
    [item] = (
      await app.post(CREATE_ITEMS, {
        input: { workstreamId: ws, items: [{ name: '网联代收', weight: 1 }] },
      })
    ).body.data.createItems.items;
    holder = new pg.Client({ connectionString: app.db.url });
    await holder.connect();
  });
  afterAll(async () => {
    await holder?.end();
    await app?.close();
  });

  it('sees the stage committed by the lock holder, and refuses the status change', async () => {
    const id = fromGlobalId(item.id, 'Item')!.id;
    // Another writer holds the item's row lock while it gives the item a stage.
    await holder.query('begin');
    await holder.query('select id from item where id = $1 for update', [id]);
    await holder.query(
      `insert into item_stage (item_id, initiative_id, stage, since)
       select id, initiative_id, '投产', now() from item where id = $1`,
      [id],
    );
    const waiting = app.post(SET_ITEM_STATUS, { input: { itemId: item.id, status: 'DONE' } });
    // The status write is now waiting for the lock (it cannot finish before the holder does).
    await new Promise((r) => setTimeout(r, 300));
    await holder.query('commit');
    const res = await waiting;
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.setItemStatus.item).toBeNull();
    expect(res.body.data.setItemStatus.userErrors).toEqual([
      expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining('投产') }),
    ]);
    const [row] = await app.em().execute('select status, version from item where id = ?', [id]);
    expect(row).toMatchObject({ status: 'NOT_STARTED', version: item.version });
  });
});
