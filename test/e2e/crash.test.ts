import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOrm } from '../../src/db/orm.js';
import { type Em } from '../../src/db/em.js';
import { createToken } from '../../src/services/tokens.js';
import { verifyCounters } from '../../src/services/verify-counters.js';
import { STATUSES } from '../helpers/progress-model.js';
import { percentFor, rng } from '../helpers/random.js';
import { startServer, type ServerProcess } from '../helpers/server-process.js';

const KILLS = Number(process.env.CRASH_KILLS ?? 50);
/** The kills run in parts of at most 10, so no one test rides near its timeout on a busy machine. */
const PARTS = Array.from({ length: Math.ceil(KILLS / 10) }, (_, i) => i + 1);
const BULK = `mutation($input: SetItemStatusesInput!) { setItemStatuses(input: $input) { items { id version } userErrors { code } } }`;

/**
 * SQLite's crash-test method, on the real server: start it, send bulk updates from several
 * clients, kill -9 it mid-flight, then check the file's integrity, that every update the server
 * acknowledged is there, and that every counter still equals a recomputation.
 */
describe(`crash safety: ${KILLS} × kill -9 during bulk updates`, { timeout: 180_000 }, () => {
  let dir: string;
  let env: Record<string, string>;
  let secret: string;
  let itemIds: string[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jindu-crash-'));
    // One executor is enough here (the contract test compares them): half the CPU per request.
    env = { DATABASE_URL: `sqlite:${join(dir, 'jindu.sqlite')}`, JINDU_EXECUTOR: 'jit' };
    const server = await startServer(env);
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query:
          '{ initiative(key: "hive") { workstreams { children { items(first: 100) { nodes { id } } } } } }',
      }),
    });
    const body = await res.json();
    itemIds = body.data.initiative.workstreams[0].children.flatMap((c: any) =>
      c.items.nodes.map((n: any) => n.id),
    );
    await server.stop();
    const orm = await openOrm({ databaseUrl: env.DATABASE_URL! });
    secret = (await createToken({ em: orm.em.fork() as Em, name: 'crash-admin', role: 'admin' }))
      .token;
    await orm.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const r = rng(7);
  const acked: { id: string; version: number }[] = [];
  let killedMidFlight = 0;
  const title = `keeps the file, every acknowledged update and every counter (%i/${PARTS.length})`;
  it.each(PARTS)(title, async (part) => {
    for (let round = (part - 1) * 10; round < Math.min(part * 10, KILLS); round++) {
      const server: ServerProcess = await startServer(env);
      const exit = server.stop.bind(server);
      const killAfter = r.int(3, 25); // acknowledged bulk updates before the kill
      let answered = 0;
      let killed: Promise<number | null> | null = null;
      const failures: string[] = [];
      // Clients never throw: a request cut short by the kill is expected, anything else recorded.
      const client = async (seed: number) => {
        const cr = rng(round * 100 + seed);
        for (let i = 0; i < 200 && killed === null; i++) {
          const ids = [...new Set(Array.from({ length: cr.int(10, 60) }, () => cr.pick(itemIds)!))];
          const input = {
            updates: ids.map((itemId) => {
              const status = cr.pick(STATUSES)!;
              return { itemId, status, percent: percentFor(status, cr) };
            }),
          };
          try {
            const res = await fetch(`${server.url}/graphql`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
              body: JSON.stringify({ query: BULK, variables: { input } }),
            });
            const json = await res.json();
            if (json.data?.setItemStatuses?.userErrors?.length !== 0)
              failures.push(JSON.stringify(json).slice(0, 300));
            else acked.push(...json.data.setItemStatuses.items);
            if (++answered >= killAfter && killed === null) killed = exit('SIGKILL');
          } catch (err) {
            if (killed === null) failures.push(String(err));
            return;
          }
        }
      };
      await Promise.all([0, 1, 2, 3].map(client));
      expect(failures).toEqual([]);
      // exit code null: the process died of the signal, in the middle of other clients' requests.
      if ((await (killed ?? exit('SIGKILL'))) === null) killedMidFlight++;

      const orm = await openOrm({ databaseUrl: env.DATABASE_URL! });
      try {
        const em = orm.em.fork() as Em;
        expect(await em.execute('pragma integrity_check')).toEqual([{ integrity_check: 'ok' }]);
        const rows = await em.execute(
          "select item_id, version from change_log where kind = 'ItemStatusChanged'",
        );
        const logged = new Set(rows.map((row) => `${row.item_id}:${row.version}`));
        const missing = acked.filter(
          (a) =>
            !logged.has(`${Buffer.from(a.id, 'base64url').toString().split(':')[1]}:${a.version}`),
        );
        expect(missing).toEqual([]);
        expect((await verifyCounters(em)).differences).toEqual([]);
      } finally {
        await orm.close();
      }
    }
  });

  it('killed every server mid-flight, and serves after the last kill', async () => {
    expect(acked.length).toBeGreaterThan(KILLS);
    expect(killedMidFlight).toBe(KILLS);

    const last = await startServer(env);
    const res = await fetch(`${last.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ initiative(key: "hive") { progress { total } } }' }),
    });
    expect((await res.json()).data.initiative.progress.total).toBe(164);
    expect(await last.stop()).toBe(0);
  }, 600_000);
});
