import type { MikroORM } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Em } from '../../src/db/em.js';
import { migrate, openOrm } from '../../src/db/orm.js';
import {
  findDeliveries,
  findDelivery,
  insertDeliveries,
  insertDelivery,
} from '../../src/db/queries/webhook-delivery.queries.js';
import { KEYS_PER_STATEMENT } from '../../src/db/queries/newest-by-key.js';
import { createTestDatabase, DIALECTS } from '../helpers/databases.js';

/*
 * A page of deliveries is each endpoint's newest, read one endpoint at a time and merged
 * (webhook-delivery.queries.ts). Every page, followed by its last id, must be what one
 * `webhook_id in (…) order by id desc` gives: for one endpoint, quiet or busy, for several, and
 * for more endpoints than one statement reads.
 */
describe.each(DIALECTS)('pages of webhook deliveries (%s)', (dialect) => {
  let orm: MikroORM;
  let drop: () => Promise<void>;
  const em = () => orm.em.fork() as Em;

  /** The oracle. */
  const expected = async (webhookIds: readonly number[], afterId: number | null, limit: number) =>
    (
      await em().execute(
        `select id from webhook_delivery where webhook_id in (${webhookIds.map(() => '?').join(', ')})
          ${afterId === null ? '' : 'and id < ?'} order by id desc limit ?`,
        [...webhookIds, ...(afterId === null ? [] : [afterId]), limit],
      )
    ).map((r) => Number(r.id));

  beforeAll(async () => {
    const db = await createTestDatabase(dialect);
    drop = () => db.drop();
    orm = await openOrm({ databaseUrl: db.url, poolSize: 2 });
    await migrate(orm);
    const at = new Date();
    const row = (webhookId: number, n: number) => ({
      webhookId,
      messageId: `msg_${webhookId}_${n}`,
      eventType: 'item.changed',
      payload: '{}',
      nextAttemptAt: at,
      createdAt: at,
    });
    // Endpoint 1 first and then quiet; 2 and 3 interleaved after it; 4 in a few places.
    const rows = [
      ...Array.from({ length: 30 }, (_, n) => row(1, n)),
      ...Array.from({ length: 300 }, (_, n) => row(n % 7 === 0 ? 4 : 2 + (n % 2), n)),
    ];
    await em().transactional((tem) => insertDeliveries(tem as Em, rows));
  });
  afterAll(async () => {
    await orm?.close();
    await drop?.();
  });

  it('follows every page of one endpoint, several, and more than a statement reads', async () => {
    const cases: number[][] = [
      [1],
      [2],
      [4],
      [1, 3],
      [3, 4, 1],
      [99],
      // Over three statements: the endpoints that have rows in the first and the last.
      [2, ...Array.from({ length: 2 * KEYS_PER_STATEMENT }, (_, i) => 1_000 + i), 1],
    ];
    for (const webhookIds of cases) {
      for (const limit of webhookIds.length > 5 ? [50] : [1, 7, 50]) {
        let afterId: number | null = null;
        for (let pages = 0; pages < 400; pages++) {
          const page: number[] = (await findDeliveries(em(), { afterId, limit, webhookIds })).map(
            (d) => d.id,
          );
          expect(page, `${webhookIds.slice(0, 3).join(',')} after ${afterId}`).toEqual(
            await expected(webhookIds, afterId, limit),
          );
          if (page.length < limit) break;
          afterId = page[page.length - 1]!;
        }
      }
    }
  });

  it('gives the id of a delivery it queues alone (a test message is read back by it)', async () => {
    const at = new Date();
    const message = { messageId: 'msg_alone', eventType: 'webhook.test', payload: '{}' };
    const id = await insertDelivery(em(), {
      webhookId: 5,
      ...message,
      nextAttemptAt: at,
      createdAt: at,
    });
    expect((await findDelivery(em(), id))?.messageId).toBe('msg_alone');
    expect(await expected([5], null, 1)).toEqual([id]);
  });

  it('finds one delivery by its id', async () => {
    const [newest] = await expected([1, 2, 3, 4, 5], null, 1);
    expect((await findDelivery(em(), newest!))?.id).toBe(newest);
    expect(await findDelivery(em(), newest! + 1)).toBeUndefined();
  });
});
