import { execFileSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadOptions, LoadResult } from './load.js';
import { BodyCheckError, generatorBusy } from './load.js';
import { copySqliteToPostgres } from './pg-copy.js';
import {
  analyzeDatabase,
  createBenchDatabase,
  pgbenchUpdates,
  postgresCpu,
  postgresCpuSince,
  postgresUnavailable,
  preparePgbenchTable,
  type BenchDatabase,
} from './postgres-bench.js';
import {
  checkDashboard,
  dashboardQuery,
  isTypenameAnswer,
  sameAs,
  StatusUpdates,
  TYPENAME,
} from './queries.js';
import { startServer, type ServerProcess } from './server-process.js';
import type { Figure } from './summary.js';
import type { GeneratedInitiative } from './synthetic-data.js';

/** What S7 borrows from the bench's main module. */
export interface S7Context {
  readonly dir: string;
  readonly runs: number;
  readonly smoke: boolean;
  /** Measuring time of each load, seconds (pgbench runs as long, at least 1 s). */
  readonly seconds: number;
  readonly say: (text: string) => void;
  /** Migrates a new SQLite file and writes the (workstreams, items) initiative into it. */
  readonly generate: (file: string, key: string) => GeneratedInitiative;
  /** The environment of a server on a SQLite file (DATABASE_URL is replaced for PostgreSQL). */
  readonly serverEnv: (file: string) => NodeJS.ProcessEnv;
  readonly core: number;
  readonly measure: (
    name: string,
    options: Omit<LoadOptions, 'amount'>,
    /** Runs between the warm-up and the measured load. */
    hooks?: { beforeMeasured?: () => Promise<unknown> },
  ) => Promise<LoadResult>;
}

const jinduCli = (args: string[], url: string) =>
  execFileSync(process.execPath, ['bin/jindu.js', ...args], {
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
  });

const UPDATE_POLICY = `mutation($input: UpdateInitiativeInput!) {
  updateInitiative(input: $input) { userErrors { code message } } }`;

/**
 * Has the server publish the figure of every node (each write's "before"), as a deployment that
 * has been running has them: a rollup-policy change refigures the whole tree, and setting the
 * default back leaves the figures as they were. Without it the first write below each leaf
 * folds the whole tree, and a short load would measure only that.
 */
async function publishEveryFigure(server: ServerProcess, token: string, initiativeId: number) {
  const id = Buffer.from(`Initiative:${initiativeId}`).toString('base64url');
  for (const rollupPolicy of [[{ status: 'CANCELLED', credit: 'EXCLUDED' }], null]) {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: UPDATE_POLICY,
        variables: { input: { initiativeId: id, rollupPolicy } },
      }),
    });
    const text = await res.text();
    if (!text.includes('"userErrors":[]'))
      throw new BodyCheckError(`rollup policy change: ${text.slice(0, 300)}`);
  }
}

const rps = (x: number) => `${x.toFixed(0)}/s`;
const us = (x: number) => `${x.toFixed(0)} µs`;

/**
 * S7 on PostgreSQL: `setItemStatus` throughput with 1–32 concurrent writers in one initiative ÷
 * pgbench's plain single-row UPDATE on the same server with as many clients, on one Jindu
 * instance and on three; and S2 on PostgreSQL (kept trees) ÷ S2 on SQLite, on the same tree.
 * Returns no figures (and says why) when PostgreSQL or pgbench is missing.
 */
export async function measureS7(ctx: S7Context): Promise<Figure[]> {
  const unavailable = await postgresUnavailable();
  if (unavailable) {
    ctx.say(`S7 skipped: ${unavailable} (set JINDU_BENCH_POSTGRES_URL)`);
    return [];
  }
  const file = join(ctx.dir, 's7.sqlite');
  const writes = ctx.generate(file, 's7');
  const dash = ctx.generate(file, 's7dash');
  const db: BenchDatabase = await createBenchDatabase(7);
  const servers: ServerProcess[] = [];
  try {
    jinduCli(['migrate'], db.url);
    await copySqliteToPostgres(file, db.url);
    await preparePgbenchTable(db.url, writes.itemCount);
    const tokenOf = (role: string) =>
      jinduCli(['token', 'create', '--name', `bench-${role}`, '--role', role], db.url)
        .trim()
        .split('\n')
        .pop()!;
    const token = tokenOf('editor');
    const adminToken = tokenOf('admin');
    const start = async (name: string, url: string | null, log: string) => {
      const sqlite = join(ctx.dir, `${log}.sqlite`);
      if (!url) copyFileSync(file, sqlite);
      const env = ctx.serverEnv(sqlite);
      const server = await startServer({
        name,
        args: ['dist/src/cli/main.js', 'serve'],
        env: url ? { ...env, DATABASE_URL: url } : env,
        core: ctx.core,
        logFile: join(ctx.dir, `${log}.log`),
      });
      servers.push(server);
      return server;
    };
    const reader = await start('Jindu (PostgreSQL reads)', db.url, 'jindu-s7-pg-reads');
    const sqliteReader = await start('Jindu (SQLite reads, S7)', null, 'jindu-s7-sqlite');
    const writer = await start('Jindu (PostgreSQL writes)', db.url, 'jindu-s7-pg-writes');

    const dashBody = dashboardQuery(dash);
    const post = async (server: ServerProcess, body: string) => {
      const res = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      return res.text();
    };
    const dashAnswer = await post(reader, dashBody);
    checkDashboard(dashAnswer, dash);
    if ((await post(sqliteReader, dashBody)) !== dashAnswer)
      throw new BodyCheckError('the dashboard on PostgreSQL differs from the one on SQLite');

    await publishEveryFigure(writer, adminToken, writes.id);
    await analyzeDatabase(db.url);
    const auth = { authorization: `Bearer ${token}` };
    const updates = new StatusUpdates(writes.firstItemId, writes.itemCount);
    const writers = ctx.smoke ? [1, 2] : [1, 2, 4, 8, 16, 32];
    const top = writers.at(-1)!;
    const figures = {
      top: [] as number[],
      trend: [] as number[],
      three: [] as number[],
      s2: [] as number[],
    };
    const details = {
      top: [] as string[],
      trend: [] as string[],
      three: [] as string[],
      s2: [] as string[],
    };
    const setOne = (
      server: ServerProcess,
      name: string,
      connections: number,
      beforeMeasured?: () => Promise<unknown>,
    ) =>
      ctx.measure(
        name,
        { server, body: updates.single, verify: updates.checkSingle, headers: auth, connections },
        { beforeMeasured },
      );

    for (let run = 1; run <= ctx.runs; run++) {
      ctx.say(`  S7 run ${run}/${ctx.runs}`);
      const s2Of = async (server: ServerProcess, label: string) => {
        const t = await ctx.measure(`s7-typename-${label}`, {
          server,
          body: TYPENAME,
          verify: isTypenameAnswer,
          connections: 8,
        });
        const d = await ctx.measure(`s7-dash-${label}`, {
          server,
          body: dashBody,
          verify: sameAs(() => dashAnswer),
          connections: 4,
        });
        return { ratio: d.perSecond / t.perSecond, t, d };
      };
      const onPg = await s2Of(reader, 'pg');
      const onSqlite = await s2Of(sqliteReader, 'sqlite');
      figures.s2.push(onPg.ratio / onSqlite.ratio);
      details.s2.push(
        `PostgreSQL ${rps(onPg.d.perSecond)} ÷ ${rps(onPg.t.perSecond)} (${us(onPg.d.cpuUs)} per dashboard, the load generator ${generatorBusy(onPg.d)} busy), SQLite ${rps(onSqlite.d.perSecond)} ÷ ${rps(onSqlite.t.perSecond)} (${us(onSqlite.d.cpuUs)}, ${generatorBusy(onSqlite.d)})`,
      );

      const ratios = new Map<number, number>();
      const lines: string[] = [];
      for (const n of writers) {
        // PostgreSQL's CPU over the measured load alone, as Jindu's (the warm-up before it is
        // left out of both).
        let pgBefore = new Map<number, number>();
        const ours = await setOne(writer, `s7-set-${n}`, n, async () => {
          pgBefore = postgresCpu(db.url);
        });
        const pgCpuUs = postgresCpuSince(db.url, pgBefore) / 1000 / ours.requests;
        const base = pgbenchUpdates(db.url, ctx.dir, writes.itemCount, n, ctx.seconds);
        ratios.set(n, ours.perSecond / base);
        lines.push(
          `${n}: ${rps(ours.perSecond)} ÷ ${rps(base)} = 1/${(base / ours.perSecond).toFixed(1)} (Jindu CPU ${us(ours.cpuUs)}, PostgreSQL CPU ${us(pgCpuUs)} per write, the load generator ${generatorBusy(ours)} busy)`,
        );
        ctx.say(`    ${n} writers, one instance: ${lines.at(-1)!.slice(`${n}: `.length)}`);
      }
      figures.top.push(ratios.get(top)!);
      details.top.push(lines.join('; '));
      figures.trend.push(ratios.get(top)! / ratios.get(1)!);
      details.trend.push(
        `1/${(1 / ratios.get(top)!).toFixed(1)} at ${top} ÷ 1/${(1 / ratios.get(1)!).toFixed(1)} at 1`,
      );

      // Three instances share the writers (as a load balancer would spread them).
      if (servers.length < 5) {
        await start('Jindu (PostgreSQL writes 2)', db.url, 'jindu-s7-pg-writes-2');
        await start('Jindu (PostgreSQL writes 3)', db.url, 'jindu-s7-pg-writes-3');
      }
      const three = [writer, servers[3]!, servers[4]!];
      const split = three.map((_, i) => Math.floor(top / 3) + (i < top % 3 ? 1 : 0));
      const results = await Promise.all(
        three.map((server, i) => setOne(server, `s7-three-${i}`, Math.max(1, split[i]!))),
      );
      const total = results.reduce((sum, r) => sum + r.requests, 0);
      const longest = Math.max(...results.map((r) => r.seconds));
      const perSecond = total / longest;
      const base = pgbenchUpdates(db.url, ctx.dir, writes.itemCount, top, ctx.seconds);
      figures.three.push(perSecond / base);
      details.three.push(
        `${rps(perSecond)} ÷ ${rps(base)} (${results.map((r) => rps(r.perSecond)).join(' + ')})`,
      );
      ctx.say(`    ${top} writers, three instances: ${details.three.at(-1)!}`);
    }
    return [
      {
        id: 'S7',
        what: `PostgreSQL, ${top} writers in one initiative: \`setItemStatus\` ÷ pgbench single-row UPDATE`,
        unit: '1/x',
        runs: figures.top,
        target: { atLeast: 1 / 3 },
        details: details.top,
      },
      {
        id: 'S7',
        what: `that ratio at ${top} writers ÷ at 1 writer (not falling)`,
        unit: '×',
        runs: figures.trend,
        target: { atLeast: 1 },
        details: details.trend,
      },
      {
        id: 'S7',
        what: `the same over three instances, ${top} writers`,
        unit: '1/x',
        runs: figures.three,
        target: { atLeast: 1 / 3 },
        details: details.three,
      },
      {
        id: 'S7',
        what: `S2 on PostgreSQL (kept trees) ÷ S2 on SQLite, ${dash.workstreamIds.length} workstreams`,
        unit: '×',
        runs: figures.s2,
        target: { atLeast: 1 / 1.5 },
        details: details.s2,
      },
    ];
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await db.drop();
  }
}
