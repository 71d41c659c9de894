import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { aloneOptions, finish } from './alone-cli.js';
import { runLoad, type LoadResult } from './load.js';
import { checkDashboard, dashboardQuery, sameAs } from './queries.js';
import {
  jinduEnv,
  pinLoadGenerator,
  startJitFloor,
  startServer,
  type ServerProcess,
} from './server-process.js';
import { median, spread } from './summary.js';
import { BENCH_SIZES, benchInitiative } from './synthetic-data.js';

/** Clients of every load, as in the bench's S3 loads. */
const CLIENTS = 4;

const HELP = `npm run bench:s3 [-- options]

S3 alone: the dashboard's server CPU per workstream node, cold (kept answers off), as the slope
from a 1,000-workstream to a 10,000-workstream initiative, ÷ the bare graphql-jit floor's slope
over the same trees (bench/jit-floor.ts), for one or more compiled builds on the same generated
data (so the builds must share a schema). Every round takes each build's slope, then the
floor's, each slope as a 1,000-workstream load and a 10,000-workstream load one after the other;
builds run in the reverse order every other round. Each server is pinned to core 0 and paused
(SIGSTOP) while another is measured; the load comes from core 1. Every round starts each server
afresh and warms it up with two slopes first: one process can run a build slower than another
for as long as it runs (two servers of one build read 6.0 and 6.5 µs a node through a whole
run), so a comparison of one process a build measures the processes. Prints every round
and each build's median ratio. Run \`npm run build\` first.

  --dist DIR       a compiled build to measure (repeatable; default: dist)
  --rounds N       interleaved rounds (default 8)
  --same-servers   keep one process per build (and the floor's) through the run
  --requests N     10,000-workstream dashboards per load, at least ${CLIENTS} (default 40;
                   ten times as many 1,000-workstream ones)
  --keep           keep the generated databases and server logs (a failed run keeps them)
  -h, --help       this text`;

const opts = aloneOptions(HELP, {
  dist: { type: 'string', multiple: true, default: [] },
  rounds: { type: 'string', default: '8' },
  'same-servers': { type: 'boolean', default: false },
  requests: { type: 'string', default: '40' },
});
const rounds = Number(opts.rounds);
const requests = Number(opts.requests);
if (!Number.isInteger(rounds) || rounds < 1 || !Number.isInteger(requests) || requests < CLIENTS) {
  console.error(`--rounds must be a whole number ≥ 1 and --requests one ≥ ${CLIENTS}\n\n${HELP}`);
  process.exit(2);
}
const dists = (opts.dist!.length ? opts.dist! : ['dist']).map((d) => resolve(d));
const say = (text: string) => process.stderr.write(`${text}\n`);
if (pinLoadGenerator() < 0) say('warning: cannot pin to separate cores; figures will be noisier');

const dir = mkdtempSync(join(tmpdir(), 'jindu-s3-'));
const file = join(dir, 'main.sqlite');
execFileSync(process.execPath, ['bin/jindu.js', 'migrate'], {
  env: { ...process.env, DATABASE_URL: `sqlite:${file}`, LOG_LEVEL: 'warn' },
});
const small = benchInitiative(file, 'small', BENCH_SIZES.small);
const large = benchInitiative(file, 'large', BENCH_SIZES.large);
const nodes = large.workstreamIds.length - small.workstreamIds.length;

interface Measured {
  readonly name: string;
  server: ServerProcess;
  readonly start: () => Promise<ServerProcess>;
  readonly slopes: number[];
}
const servers: Measured[] = [];
/** The builds' servers and the floor's, once the floor is started. */
const all: Measured[] = [];
const dashboards = {
  small: { body: dashboardQuery(small), answer: '' },
  large: { body: dashboardQuery(large), answer: '' },
};

let failed = true;
try {
  for (const [i, dist] of dists.entries()) {
    const copy = join(dir, `cold-${i}.sqlite`);
    copyFileSync(file, copy);
    const start = () =>
      startServer({
        name: dist,
        args: [join(dist, 'src/cli/main.js'), 'serve'],
        env: jinduEnv(copy, {
          JINDU_ANSWER_CACHE: 'false',
          JINDU_FORECAST_CACHE: 'false',
          JINDU_MAX_NODES: '500000',
        }),
        core: 0,
        logFile: join(dir, `cold-${i}.log`),
      });
    servers.push({ name: dist, server: await start(), start, slopes: [] });
  }
  for (const key of ['small', 'large'] as const) {
    const res = await fetch(`${servers[0]!.server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: dashboards[key].body,
    });
    const text = await res.text();
    checkDashboard(text, key === 'small' ? small : large);
    dashboards[key].answer = text;
    writeFileSync(join(dir, `answer-${key}.json`), text);
  }
  const startFloor = () =>
    startJitFloor(
      { small: join(dir, 'answer-small.json'), large: join(dir, 'answer-large.json') },
      0,
      join(dir, 'jit-floor.log'),
    );
  all.push(...servers, {
    name: 'floor',
    server: await startFloor(),
    start: startFloor,
    slopes: [],
  });
  for (const m of all) m.server.pause();

  const load = (
    server: ServerProcess,
    key: 'small' | 'large',
    amount: number,
  ): Promise<LoadResult> =>
    runLoad({
      server,
      amount,
      connections: CLIENTS,
      body: dashboards[key].body,
      verify: sameAs(() => dashboards[key].answer),
    });
  const slope = async (m: Measured) => {
    m.server.resume();
    const one = await load(m.server, 'small', 10 * requests);
    const ten = await load(m.server, 'large', requests);
    m.server.pause();
    return { one, ten, slope: (ten.cpuUs - one.cpuUs) / nodes };
  };
  say('warming up');
  for (const m of all) for (let i = 0; i < 3; i++) await slope(m);
  for (let round = 1; round <= rounds; round++) {
    if (round > 1 && !opts['same-servers']) {
      // Fresh processes, one at a time, each warmed up while the others are paused.
      for (const m of all) {
        await m.server.stop();
        m.server = await m.start();
        m.server.pause();
        for (let i = 0; i < 2; i++) await slope(m);
      }
    }
    const order = round % 2 ? servers : [...servers].reverse();
    const line: string[] = [];
    for (const m of [...order, all[all.length - 1]!]) {
      const s = await slope(m);
      m.slopes.push(s.slope);
      line.push(
        `${m.name} ${s.slope.toFixed(2)} µs (${(s.one.cpuUs / 1000).toFixed(1)} → ${(s.ten.cpuUs / 1000).toFixed(1)} ms)`,
      );
    }
    say(`round ${round}: ${line.join(' · ')}; load ${loadavg()[0]!.toFixed(2)}`);
  }
  const floorSlopes = all[all.length - 1]!.slopes;
  console.log(
    `floor: ${median(floorSlopes).toFixed(2)} µs a node (spread ${(100 * spread(floorSlopes)).toFixed(1)}%)`,
  );
  for (const m of servers) {
    const ratios = m.slopes.map((s, i) => s / floorSlopes[i]!);
    console.log(
      `${m.name}: ${median(m.slopes).toFixed(2)} µs a node (spread ${(100 * spread(m.slopes)).toFixed(1)}%), ÷ floor per round ${ratios.map((r) => r.toFixed(2)).join(' · ')} (median ${median(ratios).toFixed(2)}×)`,
    );
  }
  failed = false;
} finally {
  const started = all.length > 0 ? all : servers;
  await finish(
    started.map((m) => m.server),
    dir,
    opts.keep === true,
    failed,
  );
}
