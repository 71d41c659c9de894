import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BodyCheckError } from './load.js';
import type { BenchOptions } from './options.js';
import { checkDashboard, checkReportLines, dashboardQuery, reportLinesQuery } from './queries.js';
import {
  jinduEnv,
  pinLoadGenerator,
  startBareApollo,
  startJitFloor,
  startServer,
  type ServerProcess,
} from './server-process.js';
import { benchInitiative, type GeneratedInitiative, type Size } from './synthetic-data.js';

/** A query and its first answer, checked in depth; later answers must equal it. */
export interface Checked {
  readonly body: string;
  readonly answer: string;
}

/**
 * The servers of the main runs, all pinned to core 0. Separate processes for the light, the
 * write and the 1M-item loads, so that no measurement pays for another's garbage (a
 * 10,000-node answer leaves megabytes for the collector). Each on its own file: `jindu serve`
 * refuses a SQLite file another server holds.
 */
export interface BenchServers {
  readonly bare: ServerProcess;
  /** Kept answers and forecasts on. */
  readonly ours: ServerProcess;
  /** Kept answers off: S3 cold and S8. Started afresh each run. */
  oursCold: ServerProcess;
  /** `{ __typename }` (S1). */
  readonly oursLight: ServerProcess;
  /** The write loads (S5, S6). Started afresh each run, on a fresh copy of its database. */
  oursWrites: ServerProcess;
  /** The 1,000,000-item dashboard under load (S10), kept answers on. */
  readonly oursHuge: ServerProcess;
  /** S4: the 1,000,000-item tree and a 10,000-item one in one file, kept answers off. */
  readonly oursHugeCold: ServerProcess;
  /** S3's baseline: a bare graphql-jit schema over the same trees in plain objects. */
  floor: ServerProcess;
}

export interface BenchSetup {
  readonly dir: string;
  /** Whether the load generator and the servers run on separate cores. */
  readonly pinned: boolean;
  readonly core: number;
  readonly small: GeneratedInitiative;
  readonly large: GeneratedInitiative;
  readonly huge: GeneratedInitiative;
  readonly writes: GeneratedInitiative;
  /** An editor token's secret in the main database. */
  readonly token: string;
  /** The write server's database (a fresh copy each run) and the raw baselines' copies of it. */
  readonly writesDb: string;
  readonly rawDb: string;
  /** The raw baselines again on the freshly generated file, printed beside the rows. */
  readonly rawFreshDb: string;
  readonly servers: BenchServers;
  /** Every server running now. */
  readonly all: () => ServerProcess[];
  /**
   * The write server, S3's cold server and its floor started again: one process can run a build
   * slower than another for as long as it runs (two processes of one build read 6.0 and 6.5 µs
   * a node through a whole `bench:s3` run), so each run samples other processes rather than
   * repeating one. Returns the new processes.
   */
  readonly restartForRun: () => Promise<ServerProcess[]>;
  readonly dashboards: { readonly small: Checked; readonly large: Checked; readonly huge: Checked };
  /** S4's 10,000-item dashboard beside the huge tree (on `oursHugeCold`). */
  readonly largeBesideHuge: Checked;
  readonly report: Checked;
  /** `target` made a fresh copy of the generated data (its WAL and shared memory gone). */
  readonly freshCopy: (target: string) => string;
  /** Migrates a new SQLite file and writes the (workstreams, items) initiative into it. */
  readonly generate: (file: string, key: string, size: Size) => GeneratedInitiative;
  /** Creates an editor token in the file; its secret. */
  readonly editorToken: (file: string) => string;
  /** A server's environment on `file`, with kept answers and kept forecasts on or off. */
  readonly serverEnv: (
    file: string,
    keptAnswers: boolean,
    keptForecasts: boolean,
  ) => NodeJS.ProcessEnv;
  /**
   * A Jindu server as `npm start` runs it (compiled), on `file`, pinned with the others. Cold
   * (kept answers and kept forecasts off, JINDU_ANSWER_CACHE=false, JINDU_FORECAST_CACHE=false)
   * where a figure compares the work of answering.
   */
  readonly startJindu: (
    name: string,
    file: string,
    log: string,
    keptAnswers?: boolean,
    keptForecasts?: boolean,
  ) => Promise<ServerProcess>;
}

/** Pins this process, builds, generates the initiatives and starts the servers. */
export async function prepareBench(
  o: BenchOptions,
  say: (text: string) => void,
): Promise<BenchSetup> {
  // The load generator (this process, all its threads) on core 1; the servers on core 0.
  const pinnedTo = pinLoadGenerator();
  const pinned = pinnedTo >= 0;
  if (!pinned)
    say('warning: cannot pin to separate cores (taskset, 2 cores); figures will be noisier');
  const core = pinned ? pinnedTo : 0;

  const dir = mkdtempSync(join(tmpdir(), 'jindu-bench-'));
  const jindu = (args: string[], file: string) =>
    execFileSync(process.execPath, ['bin/jindu.js', ...args], {
      env: { ...process.env, DATABASE_URL: `sqlite:${file}`, LOG_LEVEL: 'warn' },
      encoding: 'utf8',
    });
  const initiative = (file: string, key: string, size: Size) => {
    const [workstreams, items] = size;
    const t = performance.now();
    const g = benchInitiative(file, key, size);
    say(
      `  ${key}: ${workstreams.toLocaleString('en')} workstreams, ${items.toLocaleString('en')} items, depth ${g.maxDepth + 1} (${((performance.now() - t) / 1000).toFixed(1)} s)`,
    );
    return g;
  };

  // The servers run as `npm start` runs them: the compiled JavaScript.
  say('building (npm run build)');
  execFileSync('npm', ['run', 'build', '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
  say(`generating synthetic initiatives in ${dir}`);
  const mainDb = join(dir, 'main.sqlite');
  const hugeDb = join(dir, 'huge.sqlite');
  jindu(['migrate'], mainDb);
  jindu(['migrate'], hugeDb);
  const { sizes } = o;
  const small = initiative(mainDb, 'small', sizes.small);
  const large = initiative(mainDb, 'large', sizes.large);
  const writes = initiative(mainDb, 'writes', sizes.writes);
  const huge = initiative(hugeDb, 'huge', sizes.huge);
  const editorToken = (file: string) =>
    // The secret is the last line the command prints.
    jindu(['token', 'create', '--name', 'bench', '--role', 'editor'], file)
      .trim()
      .split('\n')
      .pop()!;
  const token = editorToken(mainDb);

  const pristineDb = join(dir, 'pristine.sqlite');
  copyFileSync(mainDb, pristineDb);
  const freshCopy = (target: string): string => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
    copyFileSync(pristineDb, target);
    return target;
  };

  const serverEnv = (file: string, keptAnswers: boolean, keptForecasts: boolean) =>
    jinduEnv(file, {
      JINDU_ANSWER_CACHE: String(keptAnswers),
      JINDU_FORECAST_CACHE: String(keptForecasts),
      // The 10,000-workstream dashboard holds ~190,000 values, past the default node limit of
      // 100,000 (README, Limits); the bench raises it as a deployment serving such trees would.
      JINDU_MAX_NODES: '500000',
    });
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
      core,
      logFile: join(dir, log),
    });

  say('starting servers');
  const bare = await startBareApollo(core, join(dir, 'bare-apollo.log'));
  const ours = await startJindu('Jindu', mainDb, 'jindu.log', true);
  const coldDb = freshCopy(join(dir, 'cold.sqlite'));
  const startCold = () => startJindu('Jindu (kept answers off)', coldDb, 'jindu-cold.log');
  const oursCold = await startCold();
  const oursLight = await startJindu(
    'Jindu ({ __typename })',
    freshCopy(join(dir, 'light.sqlite')),
    'jindu-light.log',
  );
  // A run adds a hundred thousand change-log rows: later runs would measure a bigger file.
  const writesDb = join(dir, 'writes.sqlite');
  const startWrites = () => startJindu('Jindu (writes)', freshCopy(writesDb), 'jindu-writes.log');
  const oursWrites = await startWrites();
  const oursHuge = await startJindu('Jindu (1M items)', hugeDb, 'jindu-huge.log', true);
  const hugeColdDb = join(dir, 'huge-cold.sqlite');
  copyFileSync(hugeDb, hugeColdDb);
  // S4's 10,000-item tree beside the 1,000,000-item one, in the same file and so the same server
  // process: the same generator call as `large`'s (the same shape, names and items), its rows
  // numbered after the huge tree's. Until the twenty-third session S4 divided by the
  // 10,000-item dashboard of another process, and one process can run a build slower than
  // another for as long as it runs (see S3).
  const largeNextToHuge = initiative(hugeColdDb, 'large', sizes.large);
  const oursHugeCold = await startJindu(
    'Jindu (1M items, kept answers off)',
    hugeColdDb,
    'jindu-huge-cold.log',
  );

  const firstAnswer = async (
    server: ServerProcess,
    body: string,
    check: (text: string) => void,
  ): Promise<Checked> => {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const text = await res.text();
    if (res.status !== 200) throw new BodyCheckError(`status ${res.status}: ${text.slice(0, 300)}`);
    check(text);
    return { body, answer: text };
  };
  const dashboardOf = (server: ServerProcess, g: GeneratedInitiative, of = g) =>
    firstAnswer(server, dashboardQuery(g), (t) => checkDashboard(t, of));
  const dashboards = {
    small: await dashboardOf(ours, small),
    large: await dashboardOf(ours, large),
    huge: await dashboardOf(oursHuge, huge),
  };
  const largeBesideHuge = await dashboardOf(oursHugeCold, large, largeNextToHuge);
  // S3's baseline (bench/jit-floor.ts) answers from the same trees as plain objects.
  for (const key of ['small', 'large'] as const)
    writeFileSync(join(dir, `answer-${key}.json`), dashboards[key].answer);
  const startFloor = () =>
    startJitFloor(
      {
        [small.key]: join(dir, 'answer-small.json'),
        [large.key]: join(dir, 'answer-large.json'),
      },
      core,
      join(dir, 'jit-floor.log'),
    );
  const floor = await startFloor();
  const report = await firstAnswer(ours, reportLinesQuery(small), (t) =>
    checkReportLines(t, small),
  );

  const servers: BenchServers = {
    bare,
    ours,
    oursCold,
    oursLight,
    oursWrites,
    oursHuge,
    oursHugeCold,
    floor,
  };
  return {
    dir,
    pinned,
    core,
    small,
    large,
    huge,
    writes,
    token,
    writesDb,
    rawDb: join(dir, 'raw.sqlite'),
    rawFreshDb: join(dir, 'raw-fresh.sqlite'),
    servers,
    all: () => Object.values(servers),
    restartForRun: async () => {
      await servers.oursWrites.stop();
      servers.oursWrites = await startWrites();
      await servers.oursCold.stop();
      servers.oursCold = await startCold();
      await servers.floor.stop();
      servers.floor = await startFloor();
      return [servers.oursWrites, servers.oursCold, servers.floor];
    },
    dashboards,
    largeBesideHuge,
    report,
    freshCopy,
    generate: (file, key, size) => {
      jindu(['migrate'], file);
      return initiative(file, key, size);
    },
    editorToken,
    serverEnv,
    startJindu,
  };
}
