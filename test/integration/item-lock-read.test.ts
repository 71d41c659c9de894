import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_URL } from '../helpers/databases.js';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.js';
import {
  CREATE_INITIATIVE,
  CREATE_ITEMS,
  CREATE_WORKSTREAM,
  DELETE_ITEM,
  MOVE_ITEM,
  SET_ITEM_STATUS,
  SET_ITEM_STATUSES,
  UPDATE_ITEM,
} from '../helpers/operations.js';

/**
 * On PostgreSQL a write locks the rows of the items it changes before it reads the clock, and
 * the lock reads them too: the use-case's read of those items is served from it, so the items
 * are asked for once per write (it was twice: a lock, then the same rows read under it).
 */
describe.skipIf(!POSTGRES_URL)('item writes read their items once (postgresql)', () => {
  let app: HttpTestApp;
  let workstreams: string[];
  let items: { id: string; version: number }[];

  beforeAll(async () => {
    app = await startHttpApp('postgresql');
    const ini = (await app.post(CREATE_INITIATIVE, { input: { key: 'lock', name: '锁' } })).body
      .data.createInitiative.initiative.id;
    workstreams = [];
    for (const name of ['甲', '乙'])
      workstreams.push(
        (await app.post(CREATE_WORKSTREAM, { input: { initiativeId: ini, name } })).body.data
          .createWorkstream.workstream.id,
      );
    items = (
      await app.post(CREATE_ITEMS, {
        input: {
          workstreamId: workstreams[0],
          items: ['a', 'b', 'c', 'd'].map((name) => ({ name, weight: 1 })),
        },
      })
    ).body.data.createItems.items;
  });
  afterAll(() => app?.close());

  /** The statements that read item rows while `write` runs (every statement passes `onQuery`). */
  async function itemReadsOf<T>(write: () => Promise<T>): Promise<{ result: T; reads: string[] }> {
    const sent: string[] = [];
    const config = app.orm.config;
    const before = config.get('onQuery');
    config.set('onQuery', (sql: string, params: readonly unknown[]) => {
      sent.push(sql);
      return before(sql, params);
    });
    try {
      const result = await write();
      return { result, reads: sent.filter((s) => /\bfrom item\b/i.test(s)) };
    } finally {
      config.set('onQuery', before);
    }
  }

  it('setItemStatus: one locking read of the item, and the write still sees its row', async () => {
    const { result, reads } = await itemReadsOf(() =>
      app.post(SET_ITEM_STATUS, {
        input: { itemId: items[0]!.id, status: 'IN_PROGRESS', percent: 40, expectedVersion: 1 },
      }),
    );
    expect(result.body.data.setItemStatus).toEqual({
      item: { id: items[0]!.id, status: 'IN_PROGRESS', percent: 40, version: 2 },
      userErrors: [],
    });
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatch(/for update/i);
  });

  it('a stale expectedVersion is still refused from the rows the lock read', async () => {
    const { result, reads } = await itemReadsOf(() =>
      app.post(SET_ITEM_STATUS, {
        input: { itemId: items[0]!.id, status: 'DONE', expectedVersion: 1 },
      }),
    );
    expect(result.body.data.setItemStatus.userErrors.map((e: { code: string }) => e.code)).toEqual([
      'STALE_VERSION',
    ]);
    expect(reads).toHaveLength(1);
  });

  it('setItemStatuses, updateItem, moveItem and deleteItem: one read each', async () => {
    const calls: [string, Record<string, unknown>][] = [
      [
        SET_ITEM_STATUSES,
        {
          input: {
            updates: [
              { itemId: items[2]!.id, status: 'DONE' },
              { itemId: items[1]!.id, status: 'PAUSED' },
            ],
          },
        },
      ],
      [UPDATE_ITEM, { input: { itemId: items[1]!.id, note: '备注' } }],
      [MOVE_ITEM, { input: { itemId: items[3]!.id, workstreamId: workstreams[1] } }],
      [DELETE_ITEM, { input: { id: items[2]!.id } }],
    ];
    for (const [query, variables] of calls) {
      const { result, reads } = await itemReadsOf(() => app.post(query, variables));
      expect(result.body.errors, query).toBeUndefined();
      const payload = Object.values(
        result.body.data as Record<string, { userErrors: unknown[] }>,
      )[0]!;
      expect(payload.userErrors, query).toEqual([]);
      expect(
        reads.filter((s) => /for update/i.test(s)),
        query,
      ).toHaveLength(1);
    }
    const rows = await app
      .em()
      .execute('select id, status, note, deleted_at from item order by id');
    expect(rows.map((r) => [r.status, r.note, r.deleted_at !== null])).toEqual([
      ['IN_PROGRESS', null, false],
      ['PAUSED', '备注', false],
      ['DONE', null, true],
      ['NOT_STARTED', null, false],
    ]);
  });
});
