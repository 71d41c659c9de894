import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { aloneOptions, finish } from './alone-cli.js';
import { backgroundWrites } from './background-writes.js';
import { generateHistory } from './history.js';
import { checkDashboard, dashboardQuery } from './queries.js';
import { forecastQuery, historyQuery } from './s12.js';
import { pinLoadGenerator, startServer, type ServerProcess, jinduEnv } from './server-process.js';
import { median } from './summary.js';
import { BENCH_SIZES, benchInitiative } from './synthetic-data.js';

const HELP = `npm run bench:s12 [-- options]

S12 alone (a 52-week progressHistory and forecast on every node, each ÷ the live dashboard, in
server CPU per request), on a generated 1,000-workstream, 10,000-item initiative with a year
of history; quicker than the whole bench, for working on those two rows. It also sends the
forecast query with trials: 1, everything a forecast costs but the simulation, so the
simulation's share is the difference. The server runs the compiled build (npm run build
first), pinned to core 0 when there are two cores.

  --rounds N       interleaved rounds (default 5); each round sends every query to every build
  --requests N     requests of each query per round (default 3; the live dashboard 5× that)
  --entries N      log entries (default 200000)
  --against DIR    also serve from another checkout's build (its dist/), interleaved with this
                   one, every round; repeatable. The burn-up answers must agree byte for byte.
  --forecasts M    cold: kept forecasts off (JINDU_FORECAST_CACHE=false), the history, the
                   forecast and the forecast with 1 trial; kept: a second server per build with
                   kept forecasts on, the forecast measured while --writes setItemStatus a
                   second change that initiative; both (the default): a server of each
  --writes N       writes per second during the kept forecasts (default 10)
  --keep           keep the generated databases and server logs (a failed run keeps them)
  -h, --help       this text`;

const opts = aloneOptions(HELP, {
  rounds: { type: 'string', default: '5' },
  requests: { type: 'string', default: '3' },
  entries: { type: 'string', default: '200000' },
  against: { type: 'string', multiple: true, default: [] },
  forecasts: { type: 'string', default: 'both' },
  writes: { type: 'string', default: '10' },
});
const rounds = Number(opts.rounds);
const requests = Number(opts.requests);
const entries = Number(opts.entries);
const writesPerSecond = Number(opts.writes);
if (!['cold', 'kept', 'both'].includes(opts.forecasts!)) {
  console.error('--forecasts must be cold, kept or both');
  process.exit(2);
}
const modes = opts.forecasts === 'both' ? ['cold', 'kept'] : [opts.forecasts!];
const say = (text: string) => process.stderr.write(`${text}\n`);

const core = pinLoadGenerator();
if (core < 0) say('warning: cannot pin to separate cores');

const dir = mkdtempSync(join(tmpdir(), 'jindu-s12-'));
const base = join(dir, 'base.sqlite');
execFileSync(process.execPath, ['bin/jindu.js', 'migrate'], {
  env: { ...process.env, DATABASE_URL: `sqlite:${base}`, LOG_LEVEL: 'warn' },
});
const g = benchInitiative(base, 's12', BENCH_SIZES.small);
const now = Date.now();
const h = generateHistory(base, g.id, entries, now);
const token = execFileSync(
  process.execPath,
  ['bin/jindu.js', 'token', 'create', '--name', 'bench', '--role', 'editor'],
  {
    env: { ...process.env, DATABASE_URL: `sqlite:${base}`, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
  },
)
  .trim()
  .split('\n')
  .pop()!;
say(
  `s12: ${g.workstreamIds.length} workstreams, ${h.entries} log entries, ${h.snapshots} snapshots`,
);

const builds = [resolve('.'), ...opts.against!.map((d) => resolve(d))].flatMap((root) =>
  modes.map((mode) => ({ root, kept: mode === 'kept' })),
);
const nameOf = (b: { root: string; kept: boolean }) =>
  `${b.root} (${b.kept ? `kept forecasts, ${writesPerSecond} writes/s` : 'kept forecasts off'})`;
const servers: { root: string; kept: boolean; server: ServerProcess }[] = [];
let failed = true;
try {
  for (const [i, { root, kept }] of builds.entries()) {
    const file = join(dir, `s12-${i}.sqlite`);
    copyFileSync(base, file);
    const server = await startServer({
      name: `Jindu (${root})`,
      args: [join(root, 'dist/src/cli/main.js'), 'serve'],
      env: jinduEnv(file, { JINDU_ANSWER_CACHE: 'false', JINDU_FORECAST_CACHE: String(kept) }),
      core: Math.max(core, 0),
      logFile: join(dir, `s12-${i}.log`),
    });
    servers.push({ root, kept, server });
  }
  const post = async (server: ServerProcess, body: string) => {
    const text = await (
      await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      })
    ).text();
    if (JSON.parse(text).errors) throw new Error(`errors: ${text.slice(0, 300)}`);
    return text;
  };
  const live = dashboardQuery(g);
  const history = historyQuery(g, now);
  const forecasts = forecastQuery(g);
  const oneTrial = forecastQuery(g, 1);
  const histories = new Set<string>();
  for (const { server } of servers) {
    checkDashboard(await post(server, live), g);
    histories.add(await post(server, history));
    await post(server, forecasts); // warm
    await post(server, oneTrial);
  }
  if (histories.size !== 1) throw new Error('the builds answer the burn-up differently');
  /** Server CPU per request, ms. */
  const cpu = async (server: ServerProcess, body: string, n: number) => {
    const before = server.cpuNs();
    for (let i = 0; i < n; i++) await post(server, body);
    return (server.cpuNs() - before) / 1e6 / n;
  };
  const taken = servers.map(() => ({
    live: [] as number[],
    history: [] as number[],
    forecast: [] as number[],
    rest: [] as number[],
    simulation: [] as number[],
    writes: 0,
  }));
  for (let round = 1; round <= rounds; round++) {
    for (const [i, { server, kept }] of servers.entries()) {
      const t = taken[i]!;
      const l = await cpu(server, live, requests * 5);
      t.live.push(l);
      const load = `load ${loadavg()[0]!.toFixed(2)}`;
      if (kept) {
        const writer = backgroundWrites(server, token, [g], writesPerSecond);
        const f = await cpu(server, forecasts, requests).catch(async (err: unknown) => {
          await writer.stop().catch(() => 0);
          throw err;
        });
        const writes = await writer.stop();
        t.forecast.push(f / l);
        t.writes += writes;
        say(
          `round ${round} ${nameOf(builds[i]!)}: live ${l.toFixed(1)} ms, forecast ${f.toFixed(1)} ms (${(f / l).toFixed(2)}×), ${writes} writes; ${load}`,
        );
        continue;
      }
      const hi = await cpu(server, history, requests);
      const f = await cpu(server, forecasts, requests);
      const one = await cpu(server, oneTrial, requests);
      t.history.push(hi / l);
      t.forecast.push(f / l);
      t.rest.push(one / l);
      t.simulation.push((f - one) / l);
      say(
        `round ${round} ${nameOf(builds[i]!)}: live ${l.toFixed(1)} ms, history ${hi.toFixed(1)} ms (${(hi / l).toFixed(2)}×), forecast ${f.toFixed(1)} ms (${(f / l).toFixed(2)}×), with 1 trial ${one.toFixed(1)} ms (${(one / l).toFixed(2)}×); ${load}`,
      );
    }
  }
  const show = (xs: number[]) =>
    `${median(xs).toFixed(2)}× (${xs.map((x) => x.toFixed(2)).join(' · ')})`;
  for (const [i, t] of taken.entries())
    console.log(
      builds[i]!.kept
        ? `${nameOf(builds[i]!)}: live ${median(t.live).toFixed(1)} ms CPU; ÷ live: forecast ${show(t.forecast)}; ${t.writes} writes in all`
        : `${nameOf(builds[i]!)}: live ${median(t.live).toFixed(1)} ms CPU; ÷ live: history ${show(t.history)}; forecast ${show(t.forecast)}; forecast with 1 trial ${show(t.rest)}; the difference (the simulation) ${show(t.simulation)}`,
    );
  failed = false;
} finally {
  await finish(
    servers.map((s) => s.server),
    dir,
    opts.keep === true,
    failed,
  );
}
