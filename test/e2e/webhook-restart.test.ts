import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openOrm } from '../../src/db/orm.js';
import { type Em } from '../../src/db/em.js';
import { createToken } from '../../src/services/tokens.js';
import { makeTree } from '../helpers/live-client.js';
import { SET_ITEM_STATUS } from '../helpers/operations.js';
import { startServer, type ServerProcess } from '../helpers/server-process.js';
import { startReceiver, until } from '../helpers/webhook-receiver.js';

/**
 * A crash between commit and delivery: the first server commits the write (its outbox row) and
 * dies without delivering (its worker is off, the stand-in for a kill at that moment); the
 * server started after it delivers from the outbox.
 */
describe('webhooks survive a crash between commit and delivery (SQLite, one process at a time)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jindu-hooks-'));
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop('SIGKILL')));
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers after the restart what the killed server committed', async () => {
    const receiver = await startReceiver();
    const env = {
      DATABASE_URL: `sqlite:${join(dir, 'jindu.sqlite')}`,
      JINDU_SEED: 'none',
      JINDU_WEBHOOK_ALLOW_PRIVATE: 'true',
      JINDU_WEBHOOK_RETRY_MS: '50',
    };
    const first = await startServer({ ...env, JINDU_WEBHOOK_WORKER: 'false' });
    servers.push(first);
    const orm = await openOrm({ databaseUrl: env.DATABASE_URL });
    const token = (await createToken({ em: orm.em.fork() as Em, name: 'ops', role: 'admin' }))
      .token;
    await orm.close();
    const post = async (query: string, variables?: Record<string, unknown>) => {
      const res = await fetch(`${first.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: (await res.json()) as any };
    };
    const tree = await makeTree(post, 'crash', 1, 2);
    const made = await post(
      `mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { secret userErrors { code } } }`,
      { input: { url: `${receiver.url}/in`, events: ['item.changed'], initiativeKey: 'crash' } },
    );
    expect(made.body.data.createWebhook.userErrors).toEqual([]);
    const ack = await post(SET_ITEM_STATUS, {
      input: { itemId: tree.items[0]![0], status: 'DONE' },
    });
    expect(ack.body.data.setItemStatus.userErrors).toEqual([]);
    expect(await first.stop('SIGKILL')).toBe(null);
    expect(receiver.received).toHaveLength(0);

    servers.push(await startServer(env));
    const [got] = await until(() => receiver.received.length > 0 && receiver.received, 15_000);
    const body = JSON.parse(got!.body);
    expect(body.type).toBe('item.changed');
    expect(body.data.items).toMatchObject([{ itemId: tree.items[0]![0], status: 'DONE' }]);
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.received).toHaveLength(1); // once, not again
    await receiver.close();
  }, 90_000);
});
