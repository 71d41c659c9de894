import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as webhookQueries from '../../src/db/queries/webhook.queries.js';
import { IDLE_RECHECK_MS } from '../../src/services/webhooks/webhook-worker.js';
import { DIALECTS } from '../helpers/databases.js';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.js';
import { makeTree, type LiveTree } from '../helpers/live-client.js';
import { SET_ITEM_STATUS } from '../helpers/operations.js';
import { startReceiver, until } from '../helpers/webhook-receiver.js';

// Counts how often the worker asks whether any endpoint is enabled.
vi.mock('../../src/db/queries/webhook.queries.js', async (importOriginal) => {
  const real = await importOriginal<typeof webhookQueries>();
  return { ...real, hasEnabledWebhooks: vi.fn(real.hasEnabledWebhooks) };
});
const asked = vi.mocked(webhookQueries.hasEnabledWebhooks);

const CREATE = `mutation($input: CreateWebhookInput!) { createWebhook(input: $input) {
  webhook { id } secret userErrors { code } } }`;

describe.each(DIALECTS)('webhook worker with no endpoint enabled (%s)', (dialect) => {
  let app: HttpTestApp;
  let tree: LiveTree;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const post = (q: string, v?: Record<string, unknown>) => app.post(q, v);

  beforeAll(async () => {
    receiver = await startReceiver(() => 200);
    app = await startHttpApp(dialect, {
      webhooks: { allowPrivate: true, retryBaseMs: 1_000, worker: true },
    });
    tree = await makeTree((q, v) => post(q, v), 'idle', 1, 40);
  });
  afterAll(async () => {
    await app?.close();
    await receiver?.close();
  });

  it('does not ask per commit, and an endpoint made meanwhile still gets what follows it', async () => {
    asked.mockClear();
    const started = Date.now();
    for (const itemId of tree.items[0]!) {
      const res = await post(SET_ITEM_STATUS, { input: { itemId, status: 'DONE' } });
      expect(res.body.data.setItemStatus.userErrors).toEqual([]);
    }
    const elapsed = Date.now() - started;
    // One question per recheck interval (and the timer's run), not one per write.
    expect(asked.mock.calls.length).toBeLessThanOrEqual(2 + Math.ceil(elapsed / IDLE_RECHECK_MS));
    expect(asked.mock.calls.length).toBeLessThan(tree.items[0]!.length / 2);

    // Made while the worker may still trust "none enabled": the next write reaches it anyway.
    const made = (
      await post(CREATE, {
        input: { url: `${receiver.url}/late`, events: ['item.changed'], initiativeKey: 'idle' },
      })
    ).body.data.createWebhook;
    expect(made.userErrors).toEqual([]);
    await post(SET_ITEM_STATUS, {
      input: { itemId: tree.items[0]![0], status: 'IN_PROGRESS', percent: 50 },
    });
    const got = await until(() => {
      const late = receiver.received.filter((r) => r.path === '/late');
      return late.length > 0 && late;
    });
    expect(JSON.parse(got[0]!.body).data.items[0]).toMatchObject({
      itemId: tree.items[0]![0],
      status: 'IN_PROGRESS',
    });
  });
});
