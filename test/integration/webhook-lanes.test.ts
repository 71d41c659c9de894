import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.js';
import { makeTree, type LiveTree } from '../helpers/live-client.js';
import { SET_ITEM_STATUS } from '../helpers/operations.js';
import { until } from '../helpers/webhook-receiver.js';
import {
  claimDueDeliveries,
  insertDeliveries,
  releaseDeliveries,
} from '../../src/db/queries/webhook-delivery.queries.js';

const CREATE = `mutation($input: CreateWebhookInput!) { createWebhook(input: $input) {
  webhook { id } userErrors { code message } } }`;
const SLOW_MS = 3_000;

/**
 * One endpoint that takes two seconds to answer must not hold up another: each endpoint has a
 * lane of its own (a worker that waited for every delivery of a batch delayed a healthy
 * endpoint by the slow one's time, and grew to minutes under retries).
 */
describe('webhook lanes: a slow endpoint holds up only itself', () => {
  let app: HttpTestApp;
  let tree: LiveTree;
  let server: Server;
  let url: string;
  const arrivals: { path: string; at: number; revision: number }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const revision = Number(JSON.parse(body).data.revision);
        const answer = () => {
          arrivals.push({ path: req.url ?? '/', at: Date.now(), revision });
          res.writeHead(200).end();
        };
        if (req.url === '/slow') setTimeout(answer, SLOW_MS);
        else answer();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    app = await startHttpApp('sqlite', {
      webhooks: { allowPrivate: true, retryBaseMs: 40, worker: true },
    });
    tree = await makeTree((q, v) => app.post(q, v), 'lanes', 1, 6);
    for (const path of ['/slow', '/fast']) {
      const made = (
        await app.post(CREATE, {
          input: { url: `${url}${path}`, events: ['item.changed'], initiativeKey: 'lanes' },
        })
      ).body.data.createWebhook;
      expect(made.userErrors).toEqual([]);
    }
  });
  afterAll(async () => {
    await app?.close();
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
  });

  it('delivers to the fast endpoint within a second of each write, in order, while the slow one waits', async () => {
    const writes: number[] = [];
    for (const itemId of tree.items[0]!) {
      writes.push(Date.now());
      const res = await app.post(SET_ITEM_STATUS, { input: { itemId, status: 'DONE' } });
      expect(res.body.data.setItemStatus.userErrors).toEqual([]);
      await new Promise((r) => setTimeout(r, 150));
    }
    const fast = await until(() => {
      const got = arrivals.filter((a) => a.path === '/fast');
      return got.length >= writes.length && got;
    });
    // Each write's message reached the fast endpoint well before the slow one answers once.
    fast.forEach((a, i) => expect(a.at - writes[i]!, `write ${i}`).toBeLessThan(SLOW_MS / 2));
    expect(fast.map((a) => a.revision)).toEqual(
      [...fast.map((a) => a.revision)].sort((a, b) => a - b),
    );
    // The slow endpoint is still being served, one message at a time, in the same order.
    const slow = arrivals.filter((a) => a.path === '/slow');
    expect(slow.length).toBeLessThan(writes.length);
    expect(slow.map((a) => a.revision)).toEqual(fast.slice(0, slow.length).map((a) => a.revision));
  });

  it('hands back only deliveries still under its own lease, never another instance’s claim', async () => {
    for (const dialect of DIALECTS) {
      const quiet = await startHttpApp(dialect, {
        webhooks: { allowPrivate: true, retryBaseMs: 40, worker: false },
      });
      try {
        const em = quiet.em();
        const t0 = Date.now() - 120_000;
        await insertDeliveries(em, [
          {
            webhookId: 1,
            messageId: 'msg_lease_test',
            eventType: 'item.changed',
            payload: '{}',
            nextAttemptAt: new Date(t0),
            createdAt: new Date(t0),
          },
        ]);
        // This instance claimed it at t0 (lease to t0 + 60 s); the lease ran out, another claimed it.
        const [mine] = await claimDueDeliveries(em, new Date(t0), 60_000, 5);
        const [theirs] = await claimDueDeliveries(em, new Date(), 60_000, 5);
        expect(theirs!.id).toBe(mine!.id);
        await releaseDeliveries(em, [mine!.id], new Date(), new Date(t0 + 60_000));
        // Still the other claim's: not due again, so nobody sends it a third time meanwhile.
        expect(await claimDueDeliveries(em, new Date(), 60_000, 5)).toEqual([]);
      } finally {
        await quiet.close();
      }
    }
  });
});
