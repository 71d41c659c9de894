import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateHistory } from './history.js';
import { runLoad, type LoadResult } from './load.js';
import { asOfAnswer, checkDashboard, dashboardQuery, sameAs } from './queries.js';
import { finish } from './alone-cli.js';
import { pinLoadGenerator, startServer, type ServerProcess, jinduEnv } from './server-process.js';
import { median } from './summary.js';
import { BENCH_SIZES, benchInitiative } from './synthetic-data.js';

const HELP = `node --import @swc-node/register/esm-register bench/s11-ab.ts [options]

S11 alone: the as-of dashboard (random asOf in the last year) ÷ the live dashboard, server CPU
per request, kept answers off, on one generated initiative with a year of history. Each --dist
is a compiled build (a copy of dist/ from another commit, say); the builds are measured in
interleaved rounds (live then as-of on build 1, then on build 2, …), so drift moves them alike.

  --dist DIR       a compiled build to measure (repeatable; default: dist)
  --rounds N       interleaved rounds (default 5)
  --requests N     as-of requests per load (default 60; live loads send 3× as many)
  --entries N      log entries (default 200000)
  --growth         also the growth row: the as-of dashboard on 1,000,000 ÷ 100,000 log entries
  --dir DIR        where the databases go, kept for the next run (default: a new temporary
                   directory, removed at the end)
  --keep           keep the temporary directory's databases and server logs (a failed run
                   keeps them)
  -h, --help       this text`;

const { values: opts } = parseArgs({
  options: {
    dist: { type: 'string', multiple: true },
    rounds: { type: 'string', default: '5' },
    requests: { type: 'string', default: '60' },
    entries: { type: 'string', default: '200000' },
    growth: { type: 'boolean', default: false },
    dir: { type: 'string' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opts.help) {
  console.log(HELP);
  process.exit(0);
}
const dists = (opts.dist ?? ['dist']).map((d) => resolve(d));
const rounds = Number(opts.rounds);
const requests = Number(opts.requests);
const say = (text: string) => process.stderr.write(`${text}\n`);

const core = pinLoadGenerator();
if (core < 0) say('warning: cannot pin to separate cores');

const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'jindu-s11-'));
const base = join(dir, 'base.sqlite');
const now = Date.now();
// With --dir of an earlier run: its databases again (the generator is seeded, so the same tree).
const target = existsSync(base) ? join(dir, 'scratch.sqlite') : base;
for (const suffix of ['', '-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
execFileSync(process.execPath, [join(dists[0]!, 'src/cli/main.js'), 'migrate'], {
  env: { ...process.env, DATABASE_URL: `sqlite:${target}`, LOG_LEVEL: 'warn' },
});
const g = benchInitiative(target, 's11', BENCH_SIZES.small);
const sizes = [Number(opts.entries), ...(opts.growth ? [100_000, 1_000_000] : [])];
const history = (entries: number) => {
  const file = join(dir, `history-${entries}.sqlite`);
  if (!existsSync(file)) {
    copyFileSync(base, file);
    generateHistory(file, g.id, entries, now);
  }
  return file;
};
const files = sizes.map(history);
say(`databases in ${dir}`);

const YEAR = 365 * 86_400_000;
const live = dashboardQuery(g);
const randomAsOf = () => dashboardQuery(g, new Date(now - Math.random() * YEAR).toISOString());

interface Build {
  readonly dist: string;
  readonly servers: ServerProcess[];
  liveAnswer: string;
  top: number;
}
const builds: Build[] = [];
/** Every server started, for the end of the run, also those of a build that did not start whole. */
const started: ServerProcess[] = [];
let failed = true;
try {
  for (const [b, dist] of dists.entries()) {
    const servers: ServerProcess[] = [];
    for (const [i, file] of files.entries()) {
      // One server per file and build: `jindu serve` refuses a file another server holds.
      const copy = join(dir, `b${b}-${i}.sqlite`);
      copyFileSync(file, copy);
      const server = await startServer({
        name: `build ${b} file ${i}`,
        args: [join(dist, 'src/cli/main.js'), 'serve'],
        env: jinduEnv(copy, { JINDU_ANSWER_CACHE: 'false', LOG_LEVEL: 'warn' }),
        core,
        logFile: join(dir, `b${b}-${i}.log`),
      });
      started.push(server);
      servers.push(server);
    }
    const liveAnswer = await (
      await fetch(`${servers[0]!.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: live,
      })
    ).text();
    checkDashboard(liveAnswer, g);
    const top = (JSON.parse(liveAnswer) as { data: { initiative: { workstreams: unknown[] } } })
      .data.initiative.workstreams.length;
    builds.push({ dist, servers, liveAnswer, top });
  }
  // Every build's as-of answers at the same times must agree byte for byte.
  for (let i = 0; i < 5; i++) {
    const body = randomAsOf();
    const answers = await Promise.all(
      builds.map(async (b) =>
        (
          await fetch(`${b.servers[0]!.url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
          })
        ).text(),
      ),
    );
    if (answers.some((a) => a !== answers[0])) throw new Error(`builds differ on ${body}`);
  }
  // Snapshots taken at start: let the servers settle first.
  await new Promise((r) => setTimeout(r, 3000));
  const load = (server: ServerProcess, body: string | (() => string), n: number, b: Build) =>
    runLoad({
      server,
      body,
      amount: n,
      connections: 1,
      verify: typeof body === 'string' ? sameAs(() => b.liveAnswer) : asOfAnswer(b.top),
    });
  const ms = (r: LoadResult) => r.cpuUs / 1000;
  // Warm up every server.
  for (const b of builds) {
    await load(b.servers[0]!, live, requests, b);
    for (const s of b.servers) await load(s, randomAsOf, requests, b);
  }
  const table: { ratio: number[]; asOf: number[]; live: number[]; growth: number[] }[] = builds.map(
    () => ({ ratio: [], asOf: [], live: [], growth: [] }),
  );
  for (let round = 1; round <= rounds; round++) {
    const line: string[] = [];
    for (const [i, b] of builds.entries()) {
      const l = await load(b.servers[0]!, live, requests * 3, b);
      const a = await load(b.servers[0]!, randomAsOf, requests, b);
      table[i]!.live.push(ms(l));
      table[i]!.asOf.push(ms(a));
      table[i]!.ratio.push(ms(a) / ms(l));
      let text = `build ${i}: ${ms(a).toFixed(1)} ÷ ${ms(l).toFixed(1)} ms = ${(ms(a) / ms(l)).toFixed(2)}×`;
      if (opts.growth) {
        const small = await load(b.servers[1]!, randomAsOf, requests, b);
        const large = await load(b.servers[2]!, randomAsOf, requests, b);
        table[i]!.growth.push(ms(large) / ms(small));
        text += `; growth ${ms(large).toFixed(1)} ÷ ${ms(small).toFixed(1)} ms = ${(ms(large) / ms(small)).toFixed(2)}×`;
      }
      line.push(text);
    }
    say(`round ${round}: ${line.join(' | ')}`);
  }
  for (const [i, b] of builds.entries()) {
    const t = table[i]!;
    say(
      `build ${i} (${b.dist}): as-of ${median(t.asOf).toFixed(1)} ms, live ${median(t.live).toFixed(1)} ms, ratio ${median(t.ratio).toFixed(2)}× [${t.ratio.map((r) => r.toFixed(2)).join(' · ')}]` +
        (opts.growth ? `, growth ${median(t.growth).toFixed(2)}×` : ''),
    );
  }
  failed = false;
} finally {
  await finish(started, dir, opts.keep || opts.dir !== undefined, failed);
}
