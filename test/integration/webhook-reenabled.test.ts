import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesOf } from '../../src/graphql/webhooks/webhook-messages.js';
import { fanOutOutbox } from '../../src/services/webhooks/webhook-fan-out.js';
import { DIALECTS } from '../helpers/databases.js';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.js';
import { makeTree, type LiveTree } from '../helpers/live-client.js';
import { SET_ITEM_STATUS } from '../helpers/operations.js';

const CREATE = `mutation($input: CreateWebhookInput!) { createWebhook(input: $input) {
  webhook { id } userErrors { code } } }`;
const UPDATE = `mutation($input: UpdateWebhookInput!) { updateWebhook(input: $input) {
  webhook { enabled } userErrors { code } } }`;
const DELIVERIES = `query($id: ID) { webhookDeliveries(first: 50, webhookId: $id) { nodes { id } } }`;

/**
 * One rule for an endpoint that was off: it receives what commits after it is enabled again,
 * never what was written while it was off, however late the fan-out reaches those writes (it
 * moves past them only every ten seconds while no endpoint is enabled). The fan-out is run by
 * hand here, after the endpoint is back on: the late case, which used to deliver them.
 */
describe.each(DIALECTS)('an endpoint enabled again (%s)', (dialect) => {
  let app: HttpTestApp;
  let tree: LiveTree;
  beforeAll(async () => {
    app = await startHttpApp(dialect, {
      webhooks: { allowPrivate: true, retryBaseMs: 10_000, worker: false },
    });
    tree = await makeTree((q, v) => app.post(q, v), 'back', 1, 2);
  });
  afterAll(() => app?.close());

  const fanOut = async () => {
    while ((await fanOutOutbox(app.em(), false, messagesOf)).rows > 0);
  };
  const deliveries = async (id: string) =>
    (await app.post(DELIVERIES, { id })).body.data.webhookDeliveries.nodes.length;
  const write = (percent: number) =>
    app.post(SET_ITEM_STATUS, {
      input: { itemId: tree.items[0]![0], status: 'IN_PROGRESS', percent },
    });

  it('receives nothing written while it was off, and what is written after', async () => {
    await fanOut(); // the tree's own writes: before the endpoint was made
    const made = (
      await app.post(CREATE, {
        input: { url: 'http://127.0.0.1:9/x', events: ['item.changed'], initiativeKey: 'back' },
      })
    ).body.data.createWebhook.webhook.id;
    await app.post(UPDATE, { input: { id: made, enabled: false } });
    await write(10);
    // Enabled again before the fan-out reached the write made while it was off.
    await new Promise((r) => setTimeout(r, 5)); // a clock tick between the write and enabling
    const back = await app.post(UPDATE, { input: { id: made, enabled: true } });
    expect(back.body.data.updateWebhook.webhook.enabled).toBe(true);
    await fanOut();
    expect(await deliveries(made)).toBe(0);
    await new Promise((r) => setTimeout(r, 5));
    await write(20);
    await fanOut();
    expect(await deliveries(made)).toBe(1);
    // Enabling one that is already on moves nothing: it keeps what it was due.
    await write(30);
    await app.post(UPDATE, { input: { id: made, enabled: true } });
    await fanOut();
    expect(await deliveries(made)).toBe(2);
  });
});

/**
 * Receivers deduplicate on `webhook-id`. It was built from the outbox row's and the endpoint's
 * ids alone, which start again after `jindu seed --reset` or a restore: the first message of the
 * new database repeated an id a receiver had seen, and was dropped as a duplicate.
 */
describe('message ids', () => {
  it('differ for the same write in two databases that start alike', async () => {
    const ids: string[][] = [];
    for (let run = 0; run < 2; run++) {
      const app = await startHttpApp('sqlite', {
        webhooks: { allowPrivate: true, retryBaseMs: 10_000, worker: false },
      });
      try {
        const tree = await makeTree((q, v) => app.post(q, v), 'ids', 1, 1);
        const made = (
          await app.post(CREATE, {
            input: { url: 'http://127.0.0.1:9/x', events: ['item.changed'], initiativeKey: 'ids' },
          })
        ).body.data.createWebhook.webhook.id;
        await app.post(SET_ITEM_STATUS, {
          input: { itemId: tree.items[0]![0], status: 'DONE' },
        });
        while ((await fanOutOutbox(app.em(), false, messagesOf)).rows > 0);
        const res = await app.post(
          `query($id: ID) { webhookDeliveries(first: 5, webhookId: $id) { nodes { messageId } } }`,
          { id: made },
        );
        ids.push(
          res.body.data.webhookDeliveries.nodes.map((n: { messageId: string }) => n.messageId),
        );
      } finally {
        await app.close();
      }
    }
    expect(ids[0]).toHaveLength(1);
    expect(ids[1]).toHaveLength(1);
    // The same outbox row and endpoint in both: the readable part is alike, the id is not.
    expect(ids[0]![0]!.replace(/_[^_]+$/, '')).toBe(ids[1]![0]!.replace(/_[^_]+$/, ''));
    expect(ids[0]![0]).not.toBe(ids[1]![0]);
  });
});
