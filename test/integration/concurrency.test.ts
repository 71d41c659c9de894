import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCounters } from '../../src/services/verify-counters.js';
import { DIALECTS } from '../helpers/databases.js';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.js';
import {
  CREATE_INITIATIVE,
  CREATE_ITEMS,
  CREATE_WORKSTREAM,
  SET_ITEM_STATUS,
} from '../helpers/operations.js';
import { STATUSES } from '../helpers/progress-model.js';
import { rng } from '../helpers/random.js';

const CALLS = 200;

describe.each(DIALECTS)(
  '200 concurrent setItemStatus calls over HTTP on 5 items (%s)',
  (dialect) => {
    let app: HttpTestApp;
    let items: { id: string; version: number }[];

    beforeAll(async () => {
      app = await startHttpApp(dialect);
      const ini = (await app.post(CREATE_INITIATIVE, { input: { key: 'hot', name: '热点' } })).body
        .data.createInitiative.initiative.id;
      const ws = (await app.post(CREATE_WORKSTREAM, { input: { initiativeId: ini, name: 'ws' } }))
        .body.data.createWorkstream.workstream.id;
      const created = await app.post(CREATE_ITEMS, {
        input: {
          workstreamId: ws,
          items: Array.from({ length: 5 }, (_, i) => ({ name: `item-${i}`, weight: i + 1 })),
        },
      });
      items = created.body.data.createItems.items;
    });
    afterAll(() => app?.close());

    it('loses no update: versions grew by the successes, counters equal a recomputation', async () => {
      const r = rng(42);
      const calls = Array.from({ length: CALLS }, (_, i) => {
        const item = items[i % items.length]!;
        // A quarter send the version they started from: some of those must lose the race.
        const expectedVersion = r.chance(0.25) ? item.version : undefined;
        return {
          itemId: item.id,
          status: r.pick(STATUSES)!,
          percent: r.int(0, 100),
          expectedVersion,
        };
      });
      const responses = await Promise.all(
        calls.map((input) => app.post(SET_ITEM_STATUS, { input })),
      );

      const successes = new Map<string, number>();
      for (const [i, res] of responses.entries()) {
        expect(res.status).toBe(200);
        expect(res.body.errors).toBeUndefined();
        const payload = res.body.data.setItemStatus;
        if (payload.item)
          successes.set(calls[i]!.itemId, (successes.get(calls[i]!.itemId) ?? 0) + 1);
        else
          expect(payload.userErrors.map((e: { code: string }) => e.code)).toEqual([
            'STALE_VERSION',
          ]);
      }
      const total = [...successes.values()].reduce((a, b) => a + b, 0);
      expect(total).toBeGreaterThan(CALLS / 2);

      for (const item of items) {
        const res = await app.post(
          `query($id: ID!) { node(id: $id) { ... on Item { version } } }`,
          { id: item.id },
        );
        expect(res.body.data.node.version).toBe(item.version + (successes.get(item.id) ?? 0));
      }
      const report = await verifyCounters(app.em());
      expect(report.differences).toEqual([]);
      const [log] = await app
        .em()
        .execute("select count(*) as n from status_change where kind = 'STATUS'");
      expect(Number(log!.n)).toBe(total);
    });
  },
);
