import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOrm } from '../../src/db/orm.js';
import { type Em } from '../../src/db/em.js';
import { createToken } from '../../src/services/tokens.js';
import { verifyCounters } from '../../src/services/verify-counters.js';
import { createTestDatabase, POSTGRES_URL, type TestDatabase } from '../helpers/databases.js';
import { FaultLoad, type Answer } from '../helpers/fault-load.js';
import { allowConnections, asAdmin, databaseName, terminateBackends } from '../helpers/pg-admin.js';
import { startServer, type ServerProcess } from '../helpers/server-process.js';
import { toGlobalId } from '../../src/domain/global-id.js';

const INSTANCES = 2;
const WRITERS = 24;
const READERS = 4;
const DEADLINE_MS = 5_000; // JINDU_REQUEST_TIMEOUT_MS of the servers under test
const RECOVERY_MS = 5_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const itemRowId = (id: string) => Number(Buffer.from(id, 'base64').toString().split(':')[1]);

/** How a graphql-ws connection_init ends: acknowledged, or the socket's close code. */
function connectionInit(url: string, token: string): Promise<'ack' | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
    ws.on('open', () =>
      ws.send(
        JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }),
      ),
    );
    ws.on('message', (data) => {
      if (JSON.parse(String(data)).type === 'connection_ack') {
        resolve('ack');
        ws.close();
      }
    });
    ws.on('close', (code) => resolve(code));
    ws.on('error', () => {});
  });
}

/** Milliseconds from `since` until each instance answered a request started after it: ok. */
function recovery(answers: Answer[], kind: Answer['kind'], since: number): number[] {
  return Array.from({ length: INSTANCES }, (_, i) => {
    const first = answers
      .filter((a) => a.instance === i && a.kind === kind && a.ok && a.started >= since)
      .map((a) => a.started + a.ms)
      .sort((x, y) => x - y)[0];
    return first === undefined ? Infinity : Math.round(first - since);
  });
}

/**
 * The pool heals: a database that refuses connections for a while, then every session of the
 * servers' database killed (the stand-in for a PostgreSQL restart: the shared server is not
 * restarted), both while 24 clients write through two instances.
 */
describe.skipIf(!POSTGRES_URL)('PostgreSQL connections cut under write load', () => {
  let db: TestDatabase;
  let name: string;
  let token: string;
  let socketToken: string;
  let items: string[];
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('postgresql');
    name = databaseName(db.url);
    const env = { DATABASE_URL: db.url, JINDU_REQUEST_TIMEOUT_MS: String(DEADLINE_MS) };
    for (let i = 0; i < INSTANCES; i++) servers.push(await startServer(env));
    const orm = await openOrm({ databaseUrl: db.url, poolSize: 1 });
    try {
      const em = orm.em.fork() as Em;
      token = (await createToken({ em, name: 'faults', role: 'admin' })).token;
      socketToken = (await createToken({ em, name: 'socket', role: 'viewer' })).token;
      const rows = await em.execute(
        // Staged items take their status from their stage (setItemStatus refuses them).
        `select id from item where id not in (select item_id from item_stage) order by id limit ${WRITERS}`,
      );
      items = rows.map((r) => toGlobalId('Item', Number(r.id)));
    } finally {
      await orm.close();
    }
  });
  afterAll(async () => {
    await asAdmin((em) => allowConnections(em, name, true)).catch(() => undefined);
    await Promise.all(servers.map((s) => s.stop('SIGKILL')));
    await db?.drop();
  });

  it('serves again within 5 s, answers 503 meanwhile, loses no acknowledged write', async () => {
    const urls = servers.map((s) => s.url);
    const load = new FaultLoad({ urls, token, items, readers: READERS });
    load.start();
    await sleep(1_500);

    // An outage: the database refuses new connections and its sessions are cut.
    await asAdmin(async (em) => {
      await allowConnections(em, name, false);
      await terminateBackends(em, name);
    });
    // From here no session of the servers is left (a probe that began before the cut may have
    // used one that was still open: on a busy machine the cut itself takes a while).
    const outageStart = load.now();
    // At least 2 s, and until every instance's /readyz has said 503 to a probe begun in the
    // outage: on a loaded machine a probe can wait for a connection past a fixed window and be
    // answered only after the restore. At most 20 s: an instance that never says so fails below.
    const readyProbeInOutage = (a: (typeof load.answers)[number]) =>
      a.kind === 'ready' && a.started > outageStart + 200;
    const saidNotReady = (i: number) =>
      load.answers.some((a) => a.instance === i && readyProbeInOutage(a) && a.status === 503);
    await sleep(2_000);
    for (const until = outageStart + 20_000; load.now() < until; await sleep(100))
      if (servers.every((_, i) => saidNotReady(i))) break;
    await asAdmin((em) => allowConnections(em, name, true));
    const restored = load.now();
    await sleep(RECOVERY_MS);

    // A restart's effect on the servers: every session ends, the database stays reachable.
    const killed = load.now();
    const terminated = await asAdmin((em) => terminateBackends(em, name));
    await sleep(RECOVERY_MS);
    await load.stop();

    const { answers } = load;
    const during = answers.filter((a) => a.started >= outageStart && a.started < restored);
    // Probes begun in the outage: those answered within it must say "not ready". One that
    // waited for a connection until after the restore may say either, so it counts only as a
    // 503 (the outage lasts until each instance has said 503 to one, up to 20 s).
    const readyDuring = during.filter(readyProbeInOutage);
    const answeredDuring = readyDuring.filter((a) => a.started + a.ms < restored);
    const summary = {
      requests: answers.filter((a) => a.kind !== 'ready').length,
      acknowledgedWrites: load.acked.reduce((n, a) => n + a.writes, 0),
      unavailableDuringOutage: during.filter((a) => a.status === 503 && a.kind !== 'ready').length,
      terminated,
      writeRecoveryMs: recovery(answers, 'write', restored),
      readyRecoveryMs: recovery(answers, 'ready', restored),
      writeRecoveryAfterKillMs: recovery(answers, 'write', killed),
      slowestMs: Math.round(Math.max(...answers.map((a) => a.ms))),
    };
    console.info('postgres faults', JSON.stringify(summary));

    // No 500, no masked internal error, nothing but success or a 503 to retry.
    const bad = answers.filter(
      (a) =>
        !a.ok &&
        !(a.status === 503 && ['DATABASE_UNAVAILABLE', 'TIMEOUT', undefined].includes(a.code)),
    );
    expect(bad.slice(0, 5)).toEqual([]);
    expect(summary.slowestMs).toBeLessThan(DEADLINE_MS + 1_000);
    // The outage was felt (503s), and /readyz said so on every instance.
    expect(summary.unavailableDuringOutage).toBeGreaterThan(0);
    for (let i = 0; i < INSTANCES; i++) {
      const said = readyDuring.filter((a) => a.instance === i && a.status === 503);
      expect(said.length, `instance ${i}: a 503 from /readyz in the outage`).toBeGreaterThan(0);
      expect(answeredDuring.filter((a) => a.instance === i && a.status !== 503)).toEqual([]);
    }
    expect(terminated).toBeGreaterThan(0);
    for (const ms of [
      ...summary.writeRecoveryMs,
      ...summary.readyRecoveryMs,
      ...summary.writeRecoveryAfterKillMs,
    ])
      expect(ms).toBeLessThan(RECOVERY_MS);

    // Every acknowledged write is there, applied once (the version counts the writes).
    expect(load.refused).toEqual([]);
    expect(load.unacked).toBe(0);
    const orm = await openOrm({ databaseUrl: db.url, poolSize: 1 });
    try {
      const em = orm.em.fork() as Em;
      const rows = await em.execute('select id, percent, version from item');
      const byId = new Map(rows.map((r) => [Number(r.id), r]));
      const lost = items.filter((id, w) => {
        const row = byId.get(itemRowId(id))!;
        const acked = load.acked[w]!;
        return row.percent !== acked.percent || row.version !== acked.version;
      });
      expect(lost).toEqual([]);
      expect((await verifyCounters(em)).differences).toEqual([]);
    } finally {
      await orm.close();
    }
    // A token that cannot be checked (the database refuses connections) is not a refused one:
    // 1013, which graphql-ws clients retry, not 4403, which they take as "sign in again".
    await asAdmin(async (em) => {
      await allowConnections(em, name, false);
      await terminateBackends(em, name);
    });
    const duringOutage = await connectionInit(servers[0]!.url, socketToken);
    await asAdmin((em) => allowConnections(em, name, true));
    expect(duringOutage).toBe(1013);
    await sleep(RECOVERY_MS);
    expect(await connectionInit(servers[0]!.url, socketToken)).toBe('ack');

    // A graceful stop, not the forced exit (code 1).
    for (const server of servers.splice(0)) expect(await server.stop('SIGTERM')).toBe(0);
  }, 120_000);
});
