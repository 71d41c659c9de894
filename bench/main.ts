import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { BodyCheckError, generatorBusy, runLoad, type LoadResult } from './load.js';
import {
  checkDashboard,
  checkReportLines,
  dashboardQuery,
  isTypenameAnswer,
  reportLinesQuery,
  sameAs,
  StatusUpdates,
  TYPENAME,
} from './queries.js';
import { backgroundWrites, dashboardLike } from './background-writes.js';
import { copyForRaw, rawStatusWrites, type RawResult, type RawScope } from './raw-writes.js';
import {
  longestLoopDelayMs,
  onServersCore,
  pinLoadGenerator,
  startBareApollo,
  startJitFloor,
  startServer,
  type ServerProcess,
  jinduEnv,
} from './server-process.js';
import {
  median,
  meets,
  recordRatio,
  sidesOf,
  spread,
  STEADY,
  table,
  unsteadyEntry,
  type Figure,
} from './summary.js';
import { finish } from './alone-cli.js';
import { interleaved } from './interleaved.js';
import { measureS11, type S11Context } from './s11.js';
import { measureS12 } from './s12.js';
import { measureS7 } from './s7.js';
import { measureS13 } from './s13.js';
import { generateInitiative, type GeneratedInitiative } from './synthetic-data.js';
import { benchImport } from './import-sheet.js';

const HELP = `npm run bench [-- options]

Measures Jindu against the quality bar's speed rows (S1–S6, S8, S10, then S11, S12 and,
on PostgreSQL, S7 and S13) on synthetic initiatives: the servers run pinned to core 0, this load generator to core 1;
every answer is checked. S3 is a ratio to a bare graphql-jit floor measured in the same run.

  --smoke        tiny sizes and short runs (a few minutes): keeps the bench working in CI
  --runs N       runs of each scenario (default 3)
  --seconds S    measuring time of each load (default 3; 0.4 with --smoke)
  --out FILE     where to write the JSON results (default bench/results/latest.json,
                 bench/results/smoke.json with --smoke)
  --keep         keep the generated databases and server logs (a failed run keeps them)
  -h, --help     this text`;

const { values: opts } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    runs: { type: 'string' },
    seconds: { type: 'string' },
    out: { type: 'string' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opts.help) {
  console.log(HELP);
  process.exit(0);
}
const smoke = opts.smoke!;
const runs = Number(opts.runs ?? 3);
const seconds = Number(opts.seconds ?? (smoke ? 0.4 : 3));
const warmUpSeconds = smoke ? 0.3 : 2;
if (!Number.isInteger(runs) || runs < 1 || !(seconds > 0)) {
  console.error(`bad --runs or --seconds\n\n${HELP}`);
  process.exit(2);
}
const sizes = smoke
  ? { small: [30, 300], large: [100, 300], huge: [100, 3_000], writes: [30, 300] }
  : {
      small: [1_000, 10_000],
      large: [10_000, 10_000],
      huge: [10_000, 1_000_000],
      writes: [1_000, 10_000],
    };

const say = (text: string) => process.stderr.write(`${text}\n`);
const began = performance.now();
const elapsed = () => `${((performance.now() - began) / 1000).toFixed(0)} s`;

// The load generator (this process, all its threads) on core 1; the servers on core 0.
const core = pinLoadGenerator();
const pinned = core >= 0;
if (!pinned)
  say('warning: cannot pin to separate cores (taskset, 2 cores); figures will be noisier');

const dir = mkdtempSync(join(tmpdir(), 'jindu-bench-'));
const jindu = (args: string[], file: string) =>
  execFileSync(process.execPath, ['bin/jindu.js', ...args], {
    env: { ...process.env, DATABASE_URL: `sqlite:${file}`, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
  });

function generate(file: string, key: string, [workstreams, items]: number[]): GeneratedInitiative {
  const t = performance.now();
  const g = generateInitiative(file, {
    key,
    workstreams: workstreams!,
    items: items!,
    seed: workstreams! + items!,
  });
  say(
    `  ${key}: ${workstreams!.toLocaleString('en')} workstreams, ${items!.toLocaleString('en')} items, depth ${g.maxDepth + 1} (${((performance.now() - t) / 1000).toFixed(1)} s)`,
  );
  return g;
}

// The servers run as `npm start` runs them: the compiled JavaScript.
say('building (npm run build)');
execFileSync('npm', ['run', 'build', '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
say(`generating synthetic initiatives in ${dir}`);
const mainDb = join(dir, 'main.sqlite');
const hugeDb = join(dir, 'huge.sqlite');
const rawDb = join(dir, 'raw.sqlite');
/** The raw baselines again on the freshly generated file, printed beside the rows. */
const rawFreshDb = join(dir, 'raw-fresh.sqlite');
jindu(['migrate'], mainDb);
jindu(['migrate'], hugeDb);
const small = generate(mainDb, 'small', sizes.small);
const large = generate(mainDb, 'large', sizes.large);
const writes = generate(mainDb, 'writes', sizes.writes);
const huge = generate(hugeDb, 'huge', sizes.huge);
/** A new editor token's secret (the last line the command prints). */
const editorToken = (file: string) =>
  jindu(['token', 'create', '--name', 'bench', '--role', 'editor'], file).trim().split('\n').pop()!;
const token = editorToken(mainDb);
const writesDb = join(dir, 'writes.sqlite');
/**
 * Each load's last rate, by the server process it ran on: a load's first warm-up on a process
 * runs until its CPU per request settles, later ones are short (`warmAndMeasure`). A server
 * started again is a new process, whose loads warm up in full again.
 */
const ratesByServer = new WeakMap<ServerProcess, Map<string, number>>();
const ratesOf = (server: ServerProcess): Map<string, number> => {
  let rates = ratesByServer.get(server);
  if (!rates) ratesByServer.set(server, (rates = new Map()));
  return rates;
};

/** The write server's SQLite commits and WAL syncs so far (group commit; GET /metrics). */
async function walCounters(server: ServerProcess): Promise<{ commits: number; syncs: number }> {
  const text = await (await fetch(`${server.url}/metrics?format=prometheus`)).text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  return {
    commits: value('jindu_sqlite_commits_total'),
    syncs: value('jindu_sqlite_wal_syncs_total'),
  };
}
/** "N commits shared M syncs of the WAL" over a measured load, from two readings. */
const sharedSyncs = (a: { commits: number; syncs: number }, b: typeof a): string =>
  b.syncs > a.syncs
    ? `${b.commits - a.commits} commits shared ${b.syncs - a.syncs} syncs of the WAL (group commit)`
    : 'SQLite synced each commit itself (group commit off)';

const pristineDb = join(dir, 'pristine.sqlite');
copyFileSync(mainDb, pristineDb);
/** `target` made a fresh copy of the generated data (its WAL and shared memory gone). */
const freshCopy = (target: string): string => {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
  copyFileSync(pristineDb, target);
  return target;
};
/**
 * The raw baselines start from the write server's database as it stands just before the
 * measured load (`copyForRaw`): on the project machine the raw bulk transaction cost 4.2 ms on
 * the freshly generated file and 8.6 ms after 3,200 more calls, and the warm-up (thousands of
 * writes, until the server's CPU per write stops falling) grows the server's file as much.
 */
const copyWritesForRaw = () => copyForRaw(writesDb, rawDb);

const serverEnv = (file: string, keptAnswers: boolean, keptForecasts: boolean): NodeJS.ProcessEnv =>
  jinduEnv(file, {
    JINDU_ANSWER_CACHE: String(keptAnswers),
    JINDU_FORECAST_CACHE: String(keptForecasts),
    // The 10,000-workstream dashboard holds ~190,000 values, past the default node limit of
    // 100,000 (README, Limits); the bench raises it as a deployment serving such trees would.
    JINDU_MAX_NODES: '500000',
  });
const pinnedCore = core < 0 ? 0 : core;
/**
 * A Jindu server as `npm start` runs it (compiled), on `file`, pinned with the others. Cold
 * (kept answers and kept forecasts off, JINDU_ANSWER_CACHE=false, JINDU_FORECAST_CACHE=false)
 * where a figure compares the work of answering.
 */
const startJindu = (
  name: string,
  file: string,
  log: string,
  keptAnswers = false,
  keptForecasts = keptAnswers,
): Promise<ServerProcess> =>
  startServer({
    name,
    args: ['dist/src/cli/main.js', 'serve'],
    env: serverEnv(file, keptAnswers, keptForecasts),
    core: pinnedCore,
    logFile: join(dir, log),
  });
say('starting servers');
const bare = await startBareApollo(pinnedCore, join(dir, 'bare-apollo.log'));
const ours = await startJindu('Jindu', mainDb, 'jindu.log', true);
const coldDb = freshCopy(join(dir, 'cold.sqlite'));
const startCold = () => startJindu('Jindu (kept answers off)', coldDb, 'jindu-cold.log');
let oursCold = await startCold();
// Separate processes for the light, the write and the 1M-item loads, so that no measurement
// pays for another's garbage (a 10,000-node answer leaves megabytes for the collector). Each on
// its own file: `jindu serve` refuses a SQLite file another server holds.
const oursLight = await startJindu(
  'Jindu ({ __typename })',
  freshCopy(join(dir, 'light.sqlite')),
  'jindu-light.log',
);
/**
 * The write server starts each run on a fresh copy of the database, as the raw baselines do:
 * a run adds a hundred thousand change-log rows, and later runs would measure a bigger file.
 */
const startWrites = async (): Promise<ServerProcess> => {
  return startJindu('Jindu (writes)', freshCopy(writesDb), 'jindu-writes.log');
};
let oursWrites = await startWrites();
const oursHuge = await startJindu('Jindu (1M items)', hugeDb, 'jindu-huge.log', true);
const hugeColdDb = join(dir, 'huge-cold.sqlite');
copyFileSync(hugeDb, hugeColdDb);
/**
 * S4's 10,000-item tree beside the 1,000,000-item one, in the same file and so the same server
 * process: the same generator call as `large`'s (the same shape, names and items), its rows
 * numbered after the huge tree's. Until the twenty-third session S4 divided by the 10,000-item
 * dashboard of another process, and one process can run a build slower than another for as
 * long as it runs (see S3).
 */
const largeBesideHuge = generate(hugeColdDb, 'large', sizes.large);
const oursHugeCold = await startJindu(
  'Jindu (1M items, kept answers off)',
  hugeColdDb,
  'jindu-huge-cold.log',
);

/** The first answer, checked in depth; later answers must equal it. */
async function firstAnswer(server: ServerProcess, body: string, check: (text: string) => void) {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const text = await res.text();
  if (res.status !== 200) throw new BodyCheckError(`status ${res.status}: ${text.slice(0, 300)}`);
  check(text);
  return text;
}
const dashboards = {
  small: { body: dashboardQuery(small), answer: '' },
  large: { body: dashboardQuery(large), answer: '' },
  huge: { body: dashboardQuery(huge), answer: '' },
};
dashboards.small.answer = await firstAnswer(ours, dashboards.small.body, (t) =>
  checkDashboard(t, small),
);
dashboards.large.answer = await firstAnswer(ours, dashboards.large.body, (t) =>
  checkDashboard(t, large),
);
dashboards.huge.answer = await firstAnswer(oursHuge, dashboards.huge.body, (t) =>
  checkDashboard(t, huge),
);
const largeBesideHugeAnswer = await firstAnswer(oursHugeCold, dashboards.large.body, (t) =>
  checkDashboard(t, largeBesideHuge),
);
// S3's baseline: a bare graphql-jit schema over the same trees in plain objects (bench/jit-floor.ts).
for (const key of ['small', 'large'] as const)
  writeFileSync(join(dir, `answer-${key}.json`), dashboards[key].answer);
const startFloor = () =>
  startJitFloor(
    {
      [small.key]: join(dir, 'answer-small.json'),
      [large.key]: join(dir, 'answer-large.json'),
    },
    pinnedCore,
    join(dir, 'jit-floor.log'),
  );
let floor = await startFloor();
const report = { body: reportLinesQuery(small), answer: '' };
report.answer = await firstAnswer(ours, report.body, (t) => checkReportLines(t, small));

const auth = { authorization: `Bearer ${token}` };
const updates = new StatusUpdates(writes.firstItemId, writes.itemCount);
const BULK = Math.min(100, writes.itemCount);

/** How long the first warm-up of a load may go on while its CPU per request still falls. */
const WARM_UP_CAP_SECONDS = smoke ? 1 : 30;
/** The warm-up's CPU per request is compared between windows of this many seconds. */
const WARM_WINDOW_SECONDS = smoke ? 0.2 : 2;
/**
 * The write loads' warm-up windows (see `measure`): at least this many requests each, and a
 * longer cap, since a slow machine takes a minute to run the first 6,000 writes.
 */
/**
 * The write loads' warm-up, and the fewest requests of each measured load. A short load reads
 * high: on one server, loads of 75, 400 and 1,500 single writes back to back read 3,593, 3,082
 * and 1,795 µs a write (the tenth session; a pair's share of 2 s at ~300 writes a second is
 * about 75), so a measured load holds at least as many requests as a warm-up window.
 */
const WRITE_WARM_UP = smoke
  ? { single: {}, bulk: {} }
  : {
      single: { windowRequests: 1_500, capSeconds: 90, measuredRequests: 1_500 },
      bulk: { windowRequests: 100, capSeconds: 60, measuredRequests: 100 },
    };
/** Requests of a load's warm-up so far, for the details (a new process starts again at 0). */
const warmedWith = new Map<string, number>();

/**
 * One measured load of about `seconds`, after the same load has run until the server's CPU per
 * request stopped falling. V8 compiles hot code in tiers, and a request that runs hundreds of
 * functions (a write: HTTP, GraphQL, the write pipeline, a dozen statements) reaches its
 * steady cost only after thousands of requests: measured on the project machine, a fresh
 * server's `setItemStatus` cost 1.4 ms of CPU over its first 1,500 writes and 0.75–0.8 ms from
 * about the 6,000th on, falling 10–35% every 1,500 writes until then; a fixed two seconds of
 * warm-up measured the start of that descent. So the first warm-up of a load runs in batches of
 * about half a second, gathered into windows of WARM_WINDOW_SECONDS and at least
 * `windowRequests` requests, until a window's CPU per request is no more than 5% below the
 * window's before it (at most `capSeconds`). The descent follows how often the code has run, not
 * the clock: on a machine a third as fast, 2 s held about 400 writes, the CPU per write fell by
 * less than 5% between two such windows while still on its way down, and the warm-up stopped
 * after 635 writes at 4.7 ms a write (2.7–3.3 ms after 7,000). So the write loads' windows hold
 * at least 1,500 writes or 100 bulk calls. Later loads of the same name on the same process warm up for a quarter
 * of `warmUpSeconds` (V8 drops the compiled code of functions that sat idle while other loads
 * ran, and caches and the page cache fill again).
 * The warm-up's last batch tells the rate from which the number of requests is set.
 */
async function measure(
  name: string,
  options: Omit<Parameters<typeof runLoad>[0], 'amount'>,
  extra: Parameters<typeof warmAndMeasure>[2] = {},
): Promise<LoadResult> {
  return withOthersPaused(options.server, () => warmAndMeasure(name, options, extra));
}

/** `work` with every server but `server` paused (SIGSTOP), resumed after however it ends. */
async function withOthersPaused<T>(server: ServerProcess, work: () => Promise<T>): Promise<T> {
  const others = mainServers().filter((other) => other !== server);
  for (const other of others) other.pause();
  try {
    return await work();
  } finally {
    for (const other of others) other.resume();
  }
}

/**
 * The servers started above. Each load is measured with the others paused (SIGSTOP), as the
 * write loads already were: they all share core 0, and another's collector finishing the garbage
 * of its last 10,000-node answer, or its timers, would take turns on the core and its caches
 * during the load.
 */
const mainServers = (): ServerProcess[] => [
  bare,
  floor,
  ours,
  oursCold,
  oursLight,
  oursWrites,
  oursHuge,
  oursHugeCold,
];

async function warmAndMeasure(
  name: string,
  options: Omit<Parameters<typeof runLoad>[0], 'amount'>,
  {
    share = 1,
    beforeMeasured,
    windowRequests = 0,
    capSeconds = WARM_UP_CAP_SECONDS,
    measuredRequests = 0,
  }: {
    /** Of the measuring time: interleaved pairs take several shorter loads. */
    share?: number;
    /** Runs between the warm-up and the measured load. */
    beforeMeasured?: () => Promise<unknown>;
    /** Fewest requests in a warm-up window (a first warm-up). */
    windowRequests?: number;
    /** Longest first warm-up. */
    capSeconds?: number;
    /** Fewest requests in the measured load (the write loads: see WRITE_WARM_UP). */
    measuredRequests?: number;
  } = {},
): Promise<LoadResult> {
  const minimum = options.connections * 2;
  const rates = ratesOf(options.server);
  const first = !rates.has(name);
  let amount = first ? minimum * 2 : Math.max(minimum, Math.floor(rates.get(name)! / 4));
  let requests = 0;
  if (first) {
    // CPU per request over each window: its CPU time ÷ its requests.
    const windows: { cpuUs: number; requests: number; seconds: number }[] = [];
    let window = { cpuUs: 0, requests: 0, seconds: 0 };
    const perRequest = (w: typeof window) => w.cpuUs / w.requests;
    for (let spent = 0; spent < capSeconds;) {
      const warm = await runLoad({ ...options, amount });
      spent += warm.seconds;
      requests += warm.requests;
      window.cpuUs += warm.cpuUs * warm.requests;
      window.requests += warm.requests;
      window.seconds += warm.seconds;
      rates.set(name, warm.perSecond);
      amount = Math.max(minimum, Math.floor(warm.perSecond / 2));
      if (window.seconds < WARM_WINDOW_SECONDS || window.requests < windowRequests) continue;
      windows.push(window);
      window = { cpuUs: 0, requests: 0, seconds: 0 };
      const [before, last] = windows.slice(-2);
      if (before && last && perRequest(last) >= 0.95 * perRequest(before)) break;
    }
    warmedWith.set(name, requests);
  } else {
    for (let spent = 0; spent < warmUpSeconds / 4;) {
      const warm = await runLoad({ ...options, amount });
      spent += warm.seconds;
      rates.set(name, warm.perSecond);
      amount = Math.max(minimum, Math.floor(warm.perSecond / 4));
    }
  }
  await beforeMeasured?.();
  const result = await runLoad({
    ...options,
    amount: Math.max(minimum, measuredRequests, Math.round(rates.get(name)! * seconds * share)),
  });
  rates.set(name, result.perSecond);
  return result;
}

/**
 * Seconds an open loop lasts at least. Its p99 is the tail of a few thousand requests, and one
 * stall (a major collection, a slow sync of the WAL) holds every request due while it lasts: in 4
 * s at 800 writes a second, one 80 ms stall is past the p99 on its own.
 */
const OPEN_LOOP_SECONDS = smoke ? 0 : 10;

/**
 * An open-loop load at `rate` requests a second for about two measuring times (OPEN_LOOP_SECONDS
 * at least), the other servers paused, after the same load has warmed the server up closed-loop
 * as `measure` does. Without the warm-up the write server, idle since its last S5 load minutes
 * before, fell behind at half its measured capacity: 295 ms at the median, the queue growing
 * through the load.
 */
async function atFixedRate(
  name: string,
  options: Omit<Parameters<typeof runLoad>[0], 'amount' | 'rate'>,
  rate: number,
): Promise<OpenLoop> {
  return withOthersPaused(options.server, async () => {
    await warmAndMeasure(name, options);
    const perSecond = Math.max(1, Math.floor(rate));
    await longestLoopDelayMs(options.server); // the open loop's own longest block from here
    const result = await runLoad({
      ...options,
      rate: perSecond,
      amount: Math.max(32, Math.round(perSecond * Math.max(seconds * 2, OPEN_LOOP_SECONDS))),
    });
    return { result, blockMs: await longestLoopDelayMs(options.server) };
  });
}

/**
 * An open loop's load and the server's longest event-loop block during it: a p99 far above the
 * block is requests queued behind one another (or behind a slow sync), not a held loop.
 */
interface OpenLoop {
  readonly result: LoadResult;
  readonly blockMs: number;
}

const openLoopRow = (what: string, { result, blockMs }: OpenLoop) => ({
  what,
  p50: result.latencyMs.p50,
  p99: result.latencyMs.p99,
  max: result.latencyMs.max,
  blockMs,
  requests: result.requests,
});

/**
 * The fewest 10,000-workstream dashboards in one of S3's measured loads. A share of the
 * measuring time held 8 of them (the fewest a load takes), while a full collection of the
 * server's heap came about once in 9 such answers (32 in 280): loads of 8 read 113–216 ms a
 * dashboard, loads of 40 measured alone 98–117 ms.
 */
const LARGE_DASHBOARDS = smoke ? 0 : 24;
const PAIRS = smoke ? 1 : 5;
const ROUNDS = smoke ? 1 : 3;
/** S3's background of writes, spread over the two trees. */
const WRITES_PER_SECOND = 10;
interface Slope {
  readonly one: LoadResult;
  readonly ten: LoadResult;
  readonly slope: number;
}

const figures = {
  s1: [] as number[],
  s2: [] as number[],
  s3: [] as number[],
  s3kept: [] as number[],
  s3cold: [] as number[],
  s3floor: [] as number[],
  s3keptUs: [] as number[],
  s4: [] as number[],
  s5: [] as number[],
  s5rate: [] as number[],
  s5core: [] as number[],
  s6: [] as number[],
  s6core: [] as number[],
  s6block: [] as number[],
  s8: [] as number[],
  s10: [] as number[],
};
const details: Record<keyof typeof figures, string[]> = Object.fromEntries(
  Object.keys(figures).map((k) => [k, [] as string[]]),
) as never;
/** The two sides of each ratio row, run by run, for S9's reasons. */
const sides = {
  s1: sidesOf('Jindu', 'bare Apollo', 'µs'),
  s2: sidesOf('dashboards', '`{ __typename }`', '/s'),
  s3: sidesOf('Jindu', 'the floor', 'µs a node'),
  s3kept: sidesOf('Jindu', 'the floor', 'µs a node'),
  s4: sidesOf('1,000,000 items', '10,000 items', 'ms'),
  s5: sidesOf('the server', 'raw', 'µs'),
  s6: sidesOf('the server', 'raw', 'µs'),
};
const raw: Record<string, unknown>[] = [];
const us = (x: number) => `${x.toFixed(1)} µs`;
const rps = (x: number) => `${x.toFixed(0)}/s`;

/**
 * Waits until every server idles (under 5% of a core over half a second): a server starts with
 * work of its own (tally snapshots of a million items take tens of seconds), and all of them
 * share one core, so any measurement taken meanwhile would pay for it.
 */
async function settle(servers: readonly ServerProcess[]): Promise<void> {
  const until = Date.now() + (smoke ? 20_000 : 180_000);
  for (const server of servers) {
    for (;;) {
      const before = server.cpuNs();
      await new Promise((r) => setTimeout(r, 500));
      if (server.cpuNs() - before < 0.05 * 500e6 || Date.now() > until) break;
    }
  }
}
/**
 * S5's and S6's loads and their raw baselines, each on core 0 alone (see the run below), as
 * interleaved pairs (see `interleaved`): a raw transaction measured once per run moved a whole
 * run's ratio with it (the raw bulk read 2.70–2.77 ms in one run and 2.97–3.66 ms in the next,
 * while the server's call stayed at 5.9–6.8 ms). Each raw baseline starts from a page-for-page
 * copy of the write server's database taken after its load's first warm-up, and goes on
 * writing it.
 */
async function writeLoads() {
  const rawRun = (
    batch: number,
    file = rawDb,
    runSeconds = seconds,
    scope: RawScope = 'same',
  ): RawResult =>
    onServersCore(pinned, oursWrites, () =>
      rawStatusWrites(file, writes.firstItemId, writes.itemCount, batch, runSeconds, scope),
    );
  let warmUpBlock = 0;
  let block = 0;
  let copied = false;
  /** One write load of a pair: its warm-up's and its own loop delays kept apart, its syncs summed. */
  const writeLoad = async (
    name: string,
    options: Omit<Parameters<typeof runLoad>[0], 'amount'>,
    warmUp: typeof WRITE_WARM_UP.single,
    syncs: { commits: number; syncs: number },
    bulk: boolean,
  ): Promise<LoadResult> => {
    let before = { commits: 0, syncs: 0 };
    const result = await measure(name, options, {
      share: 1 / PAIRS,
      beforeMeasured: async () => {
        // Ends the interval of the warm-up (reported beside the row) and starts the load's own.
        const delay = await longestLoopDelayMs(oursWrites);
        warmUpBlock = Math.max(warmUpBlock, delay);
        if (!copied) await copyWritesForRaw();
        copied = true;
        before = await walCounters(oursWrites);
      },
      ...warmUp,
    });
    const after = await walCounters(oursWrites);
    syncs.commits += after.commits - before.commits;
    syncs.syncs += after.syncs - before.syncs;
    const delay = await longestLoopDelayMs(oursWrites);
    if (bulk) block = Math.max(block, delay);
    else warmUpBlock = Math.max(warmUpBlock, delay);
    return result;
  };
  /** A raw load of a pair; the server's loop counted the pause (SIGSTOP) meanwhile: dropped. */
  const rawLoad = async (batch: number): Promise<RawResult> => {
    const result = rawRun(batch, rawDb, seconds / PAIRS);
    await longestLoopDelayMs(oursWrites);
    return result;
  };
  const singleSyncs = { commits: 0, syncs: 0 };
  const bulkSyncs = { commits: 0, syncs: 0 };
  return withOthersPaused(oursWrites, async () => {
    await longestLoopDelayMs(oursWrites); // starts the interval at the first write
    const single = await interleaved(
      PAIRS,
      () =>
        writeLoad(
          'set-one',
          {
            server: oursWrites,
            body: updates.single,
            verify: updates.checkSingle,
            headers: auth,
            connections: 8,
          },
          WRITE_WARM_UP.single,
          singleSyncs,
          false,
        ),
      () => rawLoad(1),
      (ours, raw) => ours.cpuUs / raw.cpuUs,
    );
    // The baseline before live events, once, on the file the pairs left (for comparison only).
    const rawOneCore = rawRun(1, rawDb, seconds / PAIRS, 'core');
    const rawOneFresh = rawRun(1, freshCopy(rawFreshDb));
    await longestLoopDelayMs(oursWrites); // drops the interval holding the pause
    copied = false; // the bulk's raw baseline starts from the server's file as it is by then
    const bulk = await interleaved(
      PAIRS,
      () =>
        writeLoad(
          'set-bulk',
          {
            server: oursWrites,
            body: updates.bulk(BULK),
            verify: updates.checkBulk(BULK),
            headers: auth,
            connections: 2,
          },
          WRITE_WARM_UP.bulk,
          bulkSyncs,
          true,
        ),
      () => rawLoad(BULK),
      (ours, raw) => ours.cpuUs / raw.cpuUs,
    );
    const rawBulkCore = rawRun(BULK, rawDb, seconds / PAIRS, 'core');
    const rawBulkFresh = rawRun(BULK, freshCopy(rawFreshDb));
    return {
      single,
      rawOneCore,
      rawOneFresh,
      bulk,
      rawBulkCore,
      rawBulkFresh,
      block,
      warmUpBlock,
      singleShared: sharedSyncs({ commits: 0, syncs: 0 }, singleSyncs),
      bulkShared: sharedSyncs({ commits: 0, syncs: 0 }, bulkSyncs),
    };
  });
}

say('waiting for the servers to idle');
await settle(mainServers());

let failed = true;
try {
  for (let run = 1; run <= runs; run++) {
    say(`run ${run}/${runs} (${elapsed()})`);
    if (run > 1) {
      await oursWrites.stop();
      oursWrites = await startWrites();
      // S3's cold server and its floor afresh too: one process can run a build slower than
      // another for as long as it runs (two processes of one build read 6.0 and 6.5 µs a node
      // through a whole `bench:s3` run), so each run samples other processes rather than
      // repeating one.
      await oursCold.stop();
      oursCold = await startCold();
      await floor.stop();
      floor = await startFloor();
      await settle([oursWrites, oursCold, floor]);
    }
    // All servers share core 0: give the others' background work (V8's concurrent sweeping
    // after the big answers of the previous run) time to finish before the lightest figure.
    await new Promise((r) => setTimeout(r, smoke ? 100 : 1500));
    const typename = { body: TYPENAME, verify: isTypenameAnswer, connections: 8 };
    const s1 = await interleaved(
      PAIRS,
      () => measure('typename', { server: oursLight, ...typename }, { share: 1 / PAIRS }),
      () => measure('bare', { server: bare, ...typename }, { share: 1 / PAIRS }),
      (ours, bareOne) => ours.cpuUs / bareOne.cpuUs,
    );
    const { a: o, b } = s1;
    figures.s1.push(recordRatio(sides.s1, o.cpuUs, b.cpuUs));
    details.s1.push(`${us(o.cpuUs)} ÷ ${us(b.cpuUs)} (${rps(o.perSecond)} vs ${rps(b.perSecond)})`);

    // S3: Jindu's slope cold (kept answers off), the floor's, and Jindu's with kept answers
    // while 10 writes a second change the trees, as interleaved rounds (each slope's 1k and 10k
    // loads, one after the other), so each ratio compares loads taken moments apart; the
    // median of the rounds' ratios. S2 is the dashboard's throughput in the last setting.
    const nodes = large.workstreamIds.length - small.workstreamIds.length;
    const slopeOf = async (server: ServerProcess, label: string, verify = sameAs) => {
      const load = (key: 'small' | 'large') =>
        measure(
          `${label}-${key}`,
          {
            server,
            body: dashboards[key].body,
            verify: verify(() => dashboards[key].answer),
            connections: 4,
          },
          { share: 1 / ROUNDS, measuredRequests: key === 'large' ? LARGE_DASHBOARDS : 0 },
        );
      const one = await load('small');
      const ten = await load('large');
      return { one, ten, slope: (ten.cpuUs - one.cpuUs) / nodes };
    };
    const rounds: { cold: Slope; floor: Slope; kept: Slope; writes: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const cold = await slopeOf(oursCold, 'cold');
      const bareJit = await slopeOf(floor, 'floor');
      const writer = backgroundWrites(ours, token, [small, large], WRITES_PER_SECOND);
      const kept = await slopeOf(ours, 'kept', dashboardLike);
      rounds.push({ cold, floor: bareJit, kept, writes: await writer.stop() });
    }
    const mid = <T>(xs: T[], by: (x: T) => number): T =>
      [...xs].sort((x, y) => by(x) - by(y))[Math.floor(xs.length / 2)]!;
    const coldRound = mid(rounds, (r) => r.cold.slope / r.floor.slope);
    const keptRound = mid(rounds, (r) => r.kept.slope / r.floor.slope);
    const d1 = mid(rounds, (r) => r.kept.one.perSecond).kept.one;
    figures.s2.push(recordRatio(sides.s2, d1.perSecond, o.perSecond));
    details.s2.push(
      `${rps(d1.perSecond)} ÷ ${rps(o.perSecond)} (${us(d1.cpuUs)} per dashboard, kept answers, ${WRITES_PER_SECOND} writes/s; the load generator ${generatorBusy(d1)} and ${generatorBusy(o)} busy)`,
    );
    const slopeText = (x: Slope) => `(${us(x.ten.cpuUs)} − ${us(x.one.cpuUs)}) ÷ ${nodes} nodes`;
    figures.s3.push(recordRatio(sides.s3, coldRound.cold.slope, coldRound.floor.slope));
    details.s3.push(
      `${us(coldRound.cold.slope)} ÷ ${us(coldRound.floor.slope)}, median of ${ROUNDS} interleaved rounds`,
    );
    figures.s3kept.push(recordRatio(sides.s3kept, keptRound.kept.slope, keptRound.floor.slope));
    details.s3kept.push(
      `${us(keptRound.kept.slope)} ÷ ${us(keptRound.floor.slope)}, ${keptRound.writes} writes during the loads`,
    );
    figures.s3cold.push(coldRound.cold.slope);
    details.s3cold.push(slopeText(coldRound.cold));
    figures.s3floor.push(coldRound.floor.slope);
    details.s3floor.push(slopeText(coldRound.floor));
    figures.s3keptUs.push(keptRound.kept.slope);
    details.s3keptUs.push(slopeText(keptRound.kept));
    // S4: one request at a time, so the mean time per request is the latency; both trees on one
    // server process, as interleaved pairs.
    const ms = (r: LoadResult) => (r.seconds * 1000) / r.requests;
    const latency = (name: string, body: string, answer: () => string) => () =>
      measure(
        name,
        { server: oursHugeCold, body, verify: sameAs(answer), connections: 1 },
        { share: 2 / PAIRS },
      );
    const s4 = await interleaved(
      PAIRS,
      latency('dash-huge-1', dashboards.huge.body, () => dashboards.huge.answer),
      latency('dash-large-beside-huge-1', dashboards.large.body, () => largeBesideHugeAnswer),
      (million, tenThousand) => ms(million) / ms(tenThousand),
    );
    const { a: lat1m, b: lat10k } = s4;
    figures.s4.push(recordRatio(sides.s4, ms(lat1m), ms(lat10k)));
    details.s4.push(
      `${ms(lat1m).toFixed(1)} ms ÷ ${ms(lat10k).toFixed(1)} ms, median of ${PAIRS} interleaved pairs on one server`,
    );

    // S5 and S6 on core 0 alone. The write server shares that core with seven others that have
    // just built 10,000-node answers (their collectors and timers still run), and the raw
    // baseline ran in this process on core 1: the server's CPU per write paid for the cache and
    // the core it shared, its event-loop delay counted the time it waited for the core, and the
    // baseline paid for neither. Now the other servers are paused (SIGSTOP) while the writes are
    // measured, and the raw baseline runs on core 0 too, with the write server paused in turn.
    const w = await writeLoads();
    figures.s5.push(recordRatio(sides.s5, w.single.a.cpuUs, w.single.b.cpuUs));
    figures.s5core.push(w.single.a.cpuUs / w.rawOneCore.cpuUs);
    details.s5core.push(
      `${us(w.single.a.cpuUs)} ÷ ${us(w.rawOneCore.cpuUs)}, the raw write without live events' writes measured once after the pairs, on the file they left`,
    );
    // The rate of every pair's load, not only the median pair's: one load of 1,500 writes
    // (about a second) read 903–1,361 a second between runs; the median of five is steadier.
    const rates = w.single.as.map((l) => l.perSecond);
    figures.s5rate.push(median(rates));
    details.s5.push(
      `${us(w.single.a.cpuUs)} ÷ ${us(w.single.b.cpuUs)} (raw ${rps(w.single.b.perSecond)}), median of ${PAIRS} interleaved pairs, after ${warmedWith.get('set-one')} writes of warm-up; raw on the freshly generated file ${us(w.rawOneFresh.cpuUs)}`,
    );
    details.s5rate.push(
      `median of ${rates.length} loads, 8 clients: ${w.single.as.map((l) => `${rps(l.perSecond)} (${l.requests} mutations, the load generator ${generatorBusy(l)} busy)`).join(', ')} (raw, one at a time, each commit synced: ${rps(w.single.b.perSecond)}); ${w.singleShared}`,
    );
    figures.s6.push(recordRatio(sides.s6, w.bulk.a.cpuUs, w.bulk.b.cpuUs));
    figures.s6core.push(w.bulk.a.cpuUs / w.rawBulkCore.cpuUs);
    details.s6core.push(
      `${us(w.bulk.a.cpuUs)} ÷ ${us(w.rawBulkCore.cpuUs)}, the raw call without live events' writes measured once after the pairs, on the file they left`,
    );
    figures.s6block.push(w.block);
    details.s6.push(
      `${us(w.bulk.a.cpuUs)} ÷ ${us(w.bulk.b.cpuUs)} per ${BULK}-item call, median of ${PAIRS} interleaved pairs, after ${warmedWith.get('set-bulk')} calls of warm-up; raw on the freshly generated file ${us(w.rawBulkFresh.cpuUs)}; ${w.bulkShared}`,
    );
    details.s6block.push(
      `the server's longest event-loop delay (GET /metrics) over its measured bulk loads, the other servers paused (over the warm-ups and the single writes: ${w.warmUpBlock.toFixed(1)} ms)`,
    );

    const lines = await measure('report', {
      server: oursCold,
      body: report.body,
      verify: sameAs(() => report.answer),
      connections: 1,
    });
    figures.s8.push(ms(lines));
    details.s8.push(`mean of ${lines.requests} requests, p99 ${lines.latencyMs.p99.toFixed(1)} ms`);

    oursHuge.resetPeakRss();
    const loaded = await measure('dash-huge-8', {
      server: oursHuge,
      body: dashboards.huge.body,
      verify: sameAs(() => dashboards.huge.answer),
      connections: 8,
    });
    figures.s10.push(oursHuge.peakRssBytes() / 2 ** 20);
    details.s10.push(
      `peak RSS while serving ${loaded.requests} dashboards to 8 clients (and its warm-up)`,
    );
    raw.push({
      run,
      typename: o,
      bare: b,
      dashboardSmall: d1,
      s3: rounds,
      lat10k,
      lat1m,
      single: w.single.a,
      rawOne: w.single.b,
      rawOneFresh: w.rawOneFresh,
      rawOneCore: w.rawOneCore,
      bulk: w.bulk.a,
      rawBulk: w.bulk.b,
      rawBulkFresh: w.rawBulkFresh,
      rawBulkCore: w.rawBulkCore,
      lines,
      loaded,
    });
  }

  // Figure modules measured after the runs above, each with its own servers: one line each.
  const bench: S11Context = {
    dir,
    runs,
    say,
    generate: (file, key) => {
      jindu(['migrate'], file);
      return generate(file, key, sizes.small);
    },
    start: (name, file, log, kept) => startJindu(name, file, log, false, kept?.forecasts ?? false),
    token: editorToken,
    measure,
    pairs: PAIRS,
    entries: smoke ? [3_000, 1_500, 15_000] : [200_000, 100_000, 1_000_000],
  };
  const modules: [string, (b: S11Context) => Promise<Figure[]>][] = [
    ['S11: as-of dashboards over a year of history', measureS11],
    ['S12: burn-up series and forecasts over a year of history', measureS12],
  ];
  const moduleFigures: Figure[] = [];
  for (const [title, measureModule] of modules) {
    say(`${title} (${elapsed()})`);
    moduleFigures.push(...(await measureModule(bench)));
  }

  say(`S7: writes and kept trees on PostgreSQL (${elapsed()})`);
  const s7 = await measureS7({
    dir,
    runs,
    smoke,
    seconds,
    say,
    generate: (file, key) => {
      jindu(['migrate'], file);
      return generate(file, key, sizes.small);
    },
    serverEnv: (file) => serverEnv(file, true, true),
    core: pinnedCore,
    measure,
  });
  say(`S13: live events across two instances on PostgreSQL (${elapsed()})`);
  const s13 = await measureS13({
    dir,
    runs,
    smoke,
    say,
    serverEnv: (file) => serverEnv(file, true, true),
    core: pinnedCore,
  });

  // Open loop: a fixed rate at half the measured capacity, each latency counted from when its
  // request was due (bench/load.ts), after the same load warmed the server up closed-loop.
  say(`open-loop latency (${elapsed()})`);
  const capacity = median(raw.map((r) => (r.dashboardSmall as LoadResult).perSecond));
  const openDash = await atFixedRate(
    'open-dashboard',
    {
      server: ours,
      body: dashboards.small.body,
      // Earlier background writes changed the figures: a whole dashboard, kept answers on.
      verify: dashboardLike(() => dashboards.small.answer),
      connections: 16,
    },
    capacity / 2,
  );
  const mutationCapacity = median(figures.s5rate);
  const openSet = await atFixedRate(
    'open-set-one',
    {
      server: oursWrites,
      body: updates.single,
      verify: updates.checkSingle,
      headers: auth,
      connections: 16,
    },
    mutationCapacity / 2,
  );

  const list: Figure[] = [
    {
      id: 'S1',
      what: '`{ __typename }` CPU per request ÷ bare Apollo Server 5',
      unit: '×',
      runs: figures.s1,
      target: { atMost: 1.25 },
      details: details.s1,
      sides: sides.s1,
    },
    {
      id: 'S2',
      what: `dashboard (${small.workstreamIds.length} workstreams) throughput ÷ \`{ __typename }\` throughput`,
      unit: '1/x',
      runs: figures.s2,
      target: { atLeast: 1 / 20 },
      details: details.s2,
      sides: sides.s2,
    },
    {
      id: 'S3',
      what: `CPU per workstream node (slope ${small.workstreamIds.length} → ${large.workstreamIds.length}), kept answers off ÷ the bare graphql-jit floor`,
      unit: '×',
      runs: figures.s3,
      target: { atMost: 1.5 },
      details: details.s3,
      sides: sides.s3,
    },
    {
      id: 'S3',
      what: `the same, kept answers on, ${WRITES_PER_SECOND} writes/s over the trees ÷ the floor`,
      unit: '×',
      runs: figures.s3kept,
      target: { atMost: 1.5 },
      details: details.s3kept,
      sides: sides.s3kept,
    },
    {
      id: 'S3',
      what: 'Jindu per workstream node, kept answers off',
      unit: 'µs',
      runs: figures.s3cold,
      details: details.s3cold,
    },
    {
      id: 'S3',
      what: 'the floor per workstream node: graphql-jit, plain objects, the same answer',
      unit: 'µs',
      runs: figures.s3floor,
      details: details.s3floor,
    },
    {
      id: 'S3',
      what: `Jindu per workstream node, kept answers, ${WRITES_PER_SECOND} writes/s`,
      unit: 'µs',
      runs: figures.s3keptUs,
      details: details.s3keptUs,
    },
    {
      id: 'S4',
      what: `dashboard latency, ${huge.itemCount.toLocaleString('en')} items ÷ ${large.itemCount.toLocaleString('en')} items (${large.workstreamIds.length} workstreams)`,
      unit: '×',
      runs: figures.s4,
      target: { atMost: 1.2 },
      details: details.s4,
      sides: sides.s4,
    },
    {
      id: 'S5',
      what: '`setItemStatus` server CPU ÷ raw SQLite transaction (the same writes)',
      unit: '×',
      runs: figures.s5,
      target: { atMost: 4 },
      details: details.s5,
      sides: sides.s5,
    },
    {
      id: 'S5',
      what: '`setItemStatus` per second on one core',
      unit: '/s',
      runs: figures.s5rate,
      target: { atLeast: 1000 },
      details: details.s5rate,
    },
    {
      id: 'S5',
      what: 'the same ÷ the raw transaction without live events (the baseline until 2026-12-05)',
      unit: '×',
      runs: figures.s5core,
      details: details.s5core,
    },
    {
      id: 'S6',
      what: `\`setItemStatuses\` of ${BULK} server CPU ÷ raw SQLite transaction (the same writes)`,
      unit: '×',
      runs: figures.s6,
      target: { atMost: 2 },
      details: details.s6,
      sides: sides.s6,
    },
    {
      id: 'S6',
      what: 'the same ÷ the raw transaction without live events (the baseline until 2026-12-05)',
      unit: '×',
      runs: figures.s6core,
      details: details.s6core,
    },
    {
      id: 'S6',
      what: 'longest event-loop block during bulk updates',
      unit: 'ms',
      runs: figures.s6block,
      target: { atMost: 50 },
      details: details.s6block,
    },
    {
      id: 'S8',
      what: `report lines, ${small.workstreamIds.length}-workstream initiative, end to end`,
      unit: 'ms',
      runs: figures.s8,
      target: { atMost: 100 },
      details: details.s8,
    },
    {
      id: 'S10',
      what: `peak server RSS, ${huge.itemCount.toLocaleString('en')}-item dashboard under load`,
      unit: 'MB',
      runs: figures.s10,
      target: { atMost: 256 },
      details: details.s10,
    },
    ...moduleFigures,
    ...s7,
    ...s13,
  ];
  const openLoop = [
    openLoopRow(
      `dashboard (${small.workstreamIds.length} workstreams) at ${Math.floor(capacity / 2)}/s`,
      openDash,
    ),
    openLoopRow(`setItemStatus at ${Math.floor(mutationCapacity / 2)}/s`, openSet),
  ];
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${pinned ? 'server on core 0, load on core 1' : 'not pinned'}`;
  const maxSpread = Math.max(...list.map((f) => spread(f.runs)));
  // S9: the rows this run could not bring within 10%, and what the machine was doing.
  const unsteady = list.filter((f) => runs > 1 && spread(f.runs) > STEADY);
  const load = loadavg().map((x) => x.toFixed(2));
  const text = [
    table(list),
    '',
    '| open loop, half of measured capacity | p50 | p99 | slowest | longest block | requests |',
    '| --- | --- | --- | --- | --- | --- |',
    ...openLoop.map(
      (o) =>
        `| ${o.what} | ${o.p50.toFixed(1)} ms | ${o.p99.toFixed(1)} ms | ${o.max.toFixed(1)} ms | ${o.blockMs.toFixed(1)} ms | ${o.requests} |`,
    ),
    '',
    `${runs} runs of ${seconds} s per load (interleaved ratios: ${PAIRS} pairs of ${(seconds / PAIRS).toFixed(1)} s); largest spread ${(maxSpread * 100).toFixed(1)}%; every body checked.`,
    runs < 2
      ? 'S9: one run, no spread measured.'
      : unsteady.length === 0
        ? `S9: every row within 10% over ${runs} runs.`
        : `S9: not stabilized within 10%: ${unsteady.map(unsteadyEntry).join('; ')}. Load average at the end ${load.join(' ')} on ${cpus().length} cores: ${
            Number(load[0]) > cpus().length - 0.5
              ? 'other processes shared the servers’ core, so each figure moved with their work'
              : 'the machine was quiet; these rows vary of themselves (collection pauses, short loads): rerun with more --seconds'
          }.`,
    machine,
  ].join('\n');
  console.log(`\n${text}\n`);
  for (const f of list) say(`${f.id} ${f.what}: ${f.details.join(' | ')}`);
  say(await benchImport(smoke ? 500 : 10_000));
  say(await benchImport(smoke ? 500 : 5_000, smoke ? 50 : 1_000));
  const out = opts.out ?? (smoke ? 'bench/results/smoke.json' : 'bench/results/latest.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify({ at: new Date().toISOString(), smoke, runs, seconds, machine, figures: list.map((f) => ({ ...f, median: median(f.runs), spread: spread(f.runs), met: meets(f) })), openLoop, loads: raw }, null, 2)}\n`,
  );
  say(`wrote ${out} (${elapsed()} in all)`);
  failed = false;
} finally {
  await finish(mainServers(), dir, opts.keep === true, failed);
}
