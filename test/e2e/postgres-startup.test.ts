import type { MikroORM } from '@mikro-orm/core';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { week20Seed } from '../../seeds/week-20.seed.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/open-database.js';
import { openOrm } from '../../src/db/orm.js';
import { type Em } from '../../src/db/em.js';
import { seedIfEmpty } from '../../src/services/load-seed.js';
import { createTestDatabase, POSTGRES_URL, type TestDatabase } from '../helpers/databases.js';
import { asAdmin } from '../helpers/pg-admin.js';
import { runCli, startServer, type ServerProcess } from '../helpers/server-process.js';

const INSTANCES = 3;
const HIVE_TOTAL = '{ initiative(key: "hive") { progress { total } } }';

async function hiveCount(url: string): Promise<number> {
  const orm = await openOrm({ databaseUrl: url, poolSize: 1 });
  try {
    const [row] = await (orm.em.fork() as Em).execute(
      "select count(*)::int as n from initiative where key = 'hive'",
    );
    return Number(row!.n);
  } finally {
    await orm.close();
  }
}

/**
 * Several instances started at once on an empty PostgreSQL database used to race each other
 * creating the schema (`relation "status_change" already exists`) and loading the seed twice
 * (`项目标识已存在`). The startup lock makes them take turns.
 */
describe.skipIf(!POSTGRES_URL)(`${INSTANCES} instances started at once on PostgreSQL`, () => {
  const dbs: TestDatabase[] = [];
  const servers: ServerProcess[] = [];
  const fresh = async () => {
    const db = await createTestDatabase('postgresql');
    dbs.push(db);
    return db;
  };
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    for (const db of dbs) await db.drop();
  });

  // In one process the three preparations start in the same millisecond: without the lock this
  // fails every time (the real processes below rarely line up that closely).
  it('prepares the database once when three openings race in the same instant', async () => {
    const db = await fresh();
    const config = loadConfig({ DATABASE_URL: db.url });
    const log = pino({ level: 'silent' });
    const seeded: boolean[] = [];
    const opened = await Promise.allSettled(
      Array.from({ length: INSTANCES }, () =>
        openDatabase(config, log, async (orm: MikroORM) => {
          seeded.push(await seedIfEmpty({ em: orm.em.fork() as Em, initiatives: week20Seed }));
        }),
      ),
    );
    await Promise.all(opened.map((o) => (o.status === 'fulfilled' ? o.value.close() : null)));
    expect(opened.flatMap((o) => (o.status === 'rejected' ? [String(o.reason)] : []))).toEqual([]);
    expect(seeded.filter(Boolean)).toHaveLength(1);
    expect(await hiveCount(db.url)).toBe(1);
  });

  it('all server processes start and serve, and the seed is loaded once', async () => {
    const db = await fresh();
    const started = await Promise.allSettled(
      Array.from({ length: INSTANCES }, () => startServer({ DATABASE_URL: db.url })),
    );
    for (const s of started) if (s.status === 'fulfilled') servers.push(s.value);
    expect(started.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : []))).toEqual([]);
    // Exactly one instance found the database empty.
    const seededLogs = servers.map((s) => s.logs.join('').includes('"seeded":true'));
    expect(seededLogs.filter(Boolean)).toHaveLength(1);
    expect(await hiveCount(db.url)).toBe(1);
    for (const server of servers) {
      const res = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: HIVE_TOTAL }),
      });
      expect((await res.json()).data.initiative.progress.total).toBe(164);
    }
    // Beside running servers a reset would leave them serving the old data, and past the new
    // outbox's rows; they are found by their listeners and the reset is refused.
    const reset = await runCli(['seed', '--reset', '--yes'], { DATABASE_URL: db.url });
    expect(reset.code).toBe(1);
    expect(reset.stderr).toContain(
      `jindu seed: ${INSTANCES} jindu serve process(es) are serving this database; stop them before --reset`,
    );
    expect(await hiveCount(db.url)).toBe(1);
  });

  // MikroORM checked for the database and then created it: of instances started together on a
  // new name, all but one failed with a duplicate key in pg_database.
  it('creates a missing database once when three openings race for it', async () => {
    const url = new URL(POSTGRES_URL!);
    const name = `jindu_t_new_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    url.pathname = `/${name}`;
    dbs.push({
      dialect: 'postgresql',
      url: url.toString(),
      drop: () =>
        asAdmin(async (em) => {
          await em.execute(`drop database if exists ${name} with (force)`);
        }),
    });
    const config = loadConfig({ DATABASE_URL: url.toString() });
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const opened = await Promise.allSettled(
      Array.from({ length: INSTANCES }, () => openDatabase(config, log)),
    );
    await Promise.all(opened.map((o) => (o.status === 'fulfilled' ? o.value.close() : null)));
    expect(opened.flatMap((o) => (o.status === 'rejected' ? [String(o.reason)] : []))).toEqual([]);
    expect(lines.filter((l) => l.includes('created the database'))).toHaveLength(1);
  });

  // MikroORM reads only the host, port, user, password and database of a URL: sslmode and the
  // other parameters were dropped, and `?sslmode=require` connected in clear text.
  it('connects with every parameter of DATABASE_URL, sslmode included', async () => {
    const db = await fresh();
    const withParams = (params: string) => `${db.url}${db.url.includes('?') ? '&' : '?'}${params}`;
    const orm = await openDatabase(
      loadConfig({ DATABASE_URL: withParams('application_name=jindu_url_params') }),
      pino({ level: 'silent' }),
    );
    try {
      const [row] = await (orm.em.fork() as Em).execute(
        'select application_name from pg_stat_activity where pid = pg_backend_pid()',
      );
      expect(row!.application_name).toBe('jindu_url_params');
    } finally {
      await orm.close();
    }
    const [ssl] = await asAdmin((em) => em.execute('show ssl'));
    // The test server runs without TLS (as .ci/run starts it): asking for it must fail, not
    // quietly connect without it.
    expect(ssl!.ssl).toBe('off');
    const res = await runCli(['migrate'], { DATABASE_URL: withParams('sslmode=require') });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('does not support SSL connections, which DATABASE_URL asks for');
  });

  it('a PostgreSQL it cannot use is said in one line with what to check, and nothing is logged as opened', async () => {
    const base = new URL(POSTGRES_URL!);
    const at = (change: (u: URL) => void) => {
      const u = new URL(base);
      change(u);
      return u.toString();
    };
    const cases = [
      [at((u) => (u.port = '1')), 'cannot connect (ECONNREFUSED); is the server running'],
      [at((u) => (u.username = 'jindu_no_such_role')), 'refused the user or password'],
      // Without a resolver the name is EAI_AGAIN, an outage; with one, not a name at all.
      [
        at((u) => (u.hostname = 'jindu-no-such-host.invalid')),
        /cannot find the host jindu-no-such-host\.invalid \(ENOTFOUND\); is DATABASE_URL's host right\?|cannot connect \(EAI_AGAIN\)/,
      ],
    ] as const;
    for (const [url, why] of cases) {
      const res = await runCli(['migrate'], { DATABASE_URL: url, LOG_LEVEL: 'info' });
      expect(res.code, url).toBe(1);
      expect(res.stderr).toMatch(/^jindu: PostgreSQL at postgres:\/\/\*\*\*@/);
      expect(res.stderr).toMatch(why);
      expect(res.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(res.stdout).not.toContain('database opened');
    }
  });
});
