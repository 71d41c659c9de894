import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOrm } from '../../src/db/orm.js';
import { type Em } from '../../src/db/em.js';
import { httpClient } from '../helpers/http-client.js';
import { createToken, startServer, type ServerProcess } from '../helpers/server-process.js';

const MILESTONES = '{ initiatives { key milestones { name overdue } } }';
const SET = `mutation($input: SetMilestoneInput!) { setMilestone(input: $input) {
  milestone { id overdue } userErrors { code field message } } }`;

/**
 * An editor's setMilestone with duePrecision "YEAR" was stored, and the server's process ended
 * on the next read of the milestone's `overdue`, by anyone: graphql-jit read the getter in a
 * promise's continuation, and what it threw was an unhandled rejection. Such rows are repaired
 * by a migration (milestone-precision-repair.test.ts); this one is written after it ran.
 */
describe('a row the server cannot read does not end the server', () => {
  let dir: string;
  let server: ServerProcess;
  let env: Record<string, string>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jindu-bad-row-'));
    env = { DATABASE_URL: `sqlite:${join(dir, 'j.sqlite')}`, JINDU_REQUEST_TIMEOUT_MS: '1500' };
    server = await startServer(env);
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an unknown duePrecision, with or without a due date, and a done date still to come', async () => {
    const api = httpClient(server.url, await createToken(env, 'pm', 'editor'));
    const { initiative } = await api.ok('{ initiative(key: "hive") { id } }');
    for (const input of [
      { initiativeId: initiative.id, name: '年度目标', due: '2026-12-01', duePrecision: 'YEAR' },
      { initiativeId: initiative.id, name: '年度目标', duePrecision: 'YEAR' },
    ]) {
      const answer = await api.ok(SET, { input });
      expect(answer.setMilestone.userErrors).toEqual([
        expect.objectContaining({ code: 'INVALID_INPUT', field: ['duePrecision'] }),
      ]);
    }
    // 已于1/1评审 printed a future day as a past fact.
    const base = { initiativeId: initiative.id, name: '评审', due: '2026-01-15' };
    const future = await api.ok(SET, { input: { ...base, doneDate: '2099-01-01' } });
    expect(future.setMilestone.userErrors).toEqual([
      expect.objectContaining({ code: 'INVALID_INPUT', field: ['doneDate'] }),
    ]);
    const past = await api.ok(SET, { input: { ...base, doneDate: '2026-01-10' } });
    expect(past.setMilestone.userErrors).toEqual([]);
  });

  it('answers a read of such a row (written before) with an error, logs it, and serves on', async () => {
    const orm = await openOrm({ databaseUrl: env.DATABASE_URL! });
    try {
      const em = orm.em.fork() as Em;
      const [hive] = await em.execute("select id from initiative where key = 'hive'");
      await em.execute(
        `insert into milestone (initiative_id, name, due_date, due_precision, original_due_date, original_due_precision)
         values (?, '坏行', '2026-12-01', 'YEAR', '2026-12-01', 'YEAR')`,
        [hive!.id],
        'run',
      );
    } finally {
      await orm.close();
    }
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: MILESTONES }),
    });
    // Answered at once by graphql-js, the error at its field; it used to hang until the deadline.
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.errors).toEqual([
      expect.objectContaining({
        path: expect.arrayContaining(['milestones', 'overdue']),
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      }),
    ]);
    expect((await fetch(`${server.url}/livez`)).status).toBe(200);
    const other = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ initiative(key: "hive") { name } }' }),
    });
    expect((await other.json()).data.initiative.name).toBe('Hive数仓建设');
    const logs = server.logs.join('');
    expect(logs).toContain('unexpected value: YEAR');
    expect(logs).not.toContain('unhandled rejection');
  });
});

describe('a rejection nobody handles outside a request', () => {
  it('is logged as fatal and ends the process with code 1, for a supervisor to restart it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jindu-bad-row-'));
    const preload = fileURLToPath(new URL('../fixtures/reject-on-signal.mjs', import.meta.url));
    try {
      const server = await startServer({
        DATABASE_URL: `sqlite:${join(dir, 'j.sqlite')}`,
        NODE_OPTIONS: `--import ${preload}`,
      });
      const exited = new Promise<number | null>((resolve) => server.child.once('exit', resolve));
      server.child.kill('SIGUSR2');
      expect(await exited).toBe(1);
      const fatal = server.logs
        .join('')
        .split('\n')
        .find((line) => line.includes('unhandled rejection (a bug): exiting'));
      expect(JSON.parse(fatal!)).toMatchObject({ level: 60, err: { message: 'a background bug' } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
