import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { outboxInsert } from '../../src/db/queries/outbox.queries.js';
import { insertWebhook, PRUNE_BATCH } from '../../src/db/queries/webhook.queries.js';
import { messagesOf } from '../../src/graphql/webhooks/webhook-messages.js';
import { OUTBOX_KEEP_MS, WebhookWorker } from '../../src/services/webhooks/webhook-worker.js';
import { DIALECTS } from '../helpers/databases.js';
import { createTestApp, silentLog, type TestApp } from '../helpers/test-app.js';

/**
 * What the fan-out reads: with bulk writes an outbox row's payload is ~10 KB (it was 29 KB before
 * outbox-payload.ts), and parsing a backlog of them held the event loop for tens of milliseconds. The rows here carry payloads
 * that are not JSON: a fan-out that parses a row no endpoint takes fails and stays where it was.
 */
describe.each(DIALECTS)('webhook fan-out reads only what an endpoint takes (%s)', (dialect) => {
  let app: TestApp;
  let seq = 0;
  const worker = () =>
    new WebhookWorker(
      () => app.em(),
      silentLog,
      { allowPrivate: false, retryBaseMs: 60_000, worker: true },
      messagesOf,
    );
  const position = async () => {
    const [row] = await app.em().execute("select seq from outbox_position where name = 'webhooks'");
    return Number(row?.seq ?? 0);
  };
  const unreadable = async (initiativeId: number, count: number, createdAt = new Date()) => {
    const rows = Array.from({ length: count }, () => ({
      seq: ++seq,
      initiativeId,
      revision: seq,
      payload: 'not JSON: this row must not be parsed',
      createdAt,
    }));
    const { sql, params } = outboxInsert(rows);
    await app.em().execute(
      sql,
      // SQLite keeps times as epoch milliseconds (as the server's own statements bind them).
      dialect === 'sqlite' ? params.map((p) => (p instanceof Date ? p.getTime() : p)) : params,
    );
    return seq;
  };

  beforeAll(async () => {
    app = await createTestApp(dialect);
  });
  afterAll(async () => {
    await app?.close();
  });
  beforeEach(async () => {
    await app.em().execute('delete from webhook');
  });

  it('with no endpoint enabled, moves past the committed rows without reading them', async () => {
    const end = await unreadable(1, 450);
    await worker().kick();
    expect(await position()).toBe(end);
    expect(await app.em().execute('select id from webhook_delivery')).toEqual([]);
  });

  it('with an endpoint for another initiative, moves past rows it does not take', async () => {
    await insertWebhook(app.em(), {
      url: 'https://hooks.example.com/b',
      events: ['item.changed'],
      initiativeId: 2,
      secret: 'whsec_test',
      createdBy: 'test',
      createdAt: new Date(Date.now() - 60_000),
    });
    const end = await unreadable(1, 250);
    await worker().kick();
    expect(await position()).toBe(end);
    expect(await app.em().execute('select id from webhook_delivery')).toEqual([]);
  });

  it('prunes a backlog of old rows it is past, batch by batch, and keeps the rest', async () => {
    await app.em().execute('delete from outbox');
    const old = new Date(Date.now() - OUTBOX_KEEP_MS - 3_600_000);
    await unreadable(1, PRUNE_BATCH * 2 + 500, old);
    const recent = await unreadable(1, 3);
    await worker().kick(); // moves past them all (no endpoint), then prunes
    const left = await app.em().execute('select seq from outbox order by seq');
    expect(left.map((r) => Number(r.seq))).toEqual([recent - 2, recent - 1, recent]);
  });
});
