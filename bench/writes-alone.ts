import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { aloneOptions, finish } from './alone-cli.js';
import { runLoad, type LoadResult } from './load.js';
import { copyForRaw, rawStatusWrites } from './raw-writes.js';
import { StatusUpdates } from './queries.js';
import {
  jinduEnv,
  longestLoopDelayMs,
  onServersCore,
  pinLoadGenerator,
  startServer,
  type ServerProcess,
} from './server-process.js';
import { median, spread } from './summary.js';
import type { GeneratedInitiative, InitiativeSpec } from './synthetic-data.js';

const HELP = `npm run bench:writes [-- options]

The write server alone (S5's setItemStatus, S6's 100-item setItemStatuses), for before and after
a change to the write path: this checkout's build and each --against checkout's build serve in
turn, interleaved, every round, each on a 1,000-workstream, 10,000-item initiative its own
release generated (its migrations, its bench/synthetic-data.ts, its \`jindu token create\`), so
releases with different schemas can be compared. Each server is pinned to core 0 and paused
(SIGSTOP) while another is measured; the load comes from core 1. A round gives each build a
short warm-up load, then three measured loads, and keeps the median; builds run in the reverse
order every other round. Prints each load's server CPU per write (all threads, from schedstat)
and writes a second, and the server's longest event-loop block over a round's measured loads
(the longest gap between its 5 ms loop samples: an idle server reads about 5 ms; n/a for a
build without JSON /metrics),
as it goes (stderr), then each build's medians over the rounds, its blocks and its per-round
ratio to this checkout's. Build first (npm run build, and in each other checkout npm ci and
npm run build).

  --against DIR    another checkout to compare with (repeatable)
  --kind K         single, bulk or both (default both)
  --rounds N       interleaved rounds (default 5)
  --writes N       single writes per measured load (default 3000; a bulk load has N ÷ 40 calls)
  --warm-up N      single writes before the first round, per build and kind (a bulk warm-up
                   has N ÷ 40 calls; default 10000: a write server reaches its steady cost only
                   after thousands of writes)
  --raw            also the raw transaction making the same writes (S5's and S6's baseline,
                   bench/raw-writes.ts), in this process on core 0 after each round, on a copy
                   of this checkout's database taken after its warm-up; prints this checkout's
                   ratio to it per round, as \`npm run bench\` does
  --keep           keep the generated databases and server logs (a failed run keeps them)
  -h, --help       this text`;

const opts = aloneOptions(HELP, {
  against: { type: 'string', multiple: true, default: [] },
  kind: { type: 'string', default: 'both' },
  rounds: { type: 'string', default: '5' },
  writes: { type: 'string', default: '3000' },
  'warm-up': { type: 'string', default: '10000' },
  raw: { type: 'boolean', default: false },
});
const rounds = Number(opts.rounds);
const writes = Number(opts.writes);
const warmUp = Number(opts['warm-up']);
const kinds = opts.kind === 'both' ? (['single', 'bulk'] as const) : [opts.kind];
if (
  !kinds.every((k) => k === 'single' || k === 'bulk') ||
  ![rounds, writes, warmUp].every((n) => Number.isInteger(n) && n >= 1)
) {
  console.error(`bad option\n\n${HELP}`);
  process.exit(2);
}
const say = (text: string) => process.stderr.write(`${text}\n`);

const BULK = 100;
/** Single writes a bulk call stands for, in load sizes: about the same time per load. */
const PER_CALL = 40;
const core = pinLoadGenerator();
if (core < 0) say('warning: cannot pin to separate cores; figures will be noisier');
const dir = mkdtempSync(join(tmpdir(), 'jindu-writes-'));

interface Build {
  readonly root: string;
  readonly file: string;
  readonly generated: GeneratedInitiative;
  readonly server: ServerProcess;
  readonly updates: StatusUpdates;
  readonly headers: Record<string, string>;
  readonly taken: Record<string, LoadResult[]>;
  /** The longest event-loop block over each round's measured loads, ms. */
  readonly blocks: Record<string, number[]>;
}

/** One checkout's server on a database its own release generated. */
async function startBuild(root: string, n: number): Promise<Build> {
  const file = join(dir, `writes-${n}.sqlite`);
  const jindu = (args: string[]) =>
    execFileSync(process.execPath, [join(root, 'bin/jindu.js'), ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: `sqlite:${file}`, LOG_LEVEL: 'warn' },
      encoding: 'utf8',
    });
  jindu(['migrate']);
  const { generateInitiative } = (await import(
    pathToFileURL(join(root, 'bench/synthetic-data.ts')).href
  )) as {
    generateInitiative: (file: string, spec: InitiativeSpec) => GeneratedInitiative;
  };
  const g = generateInitiative(file, {
    key: 'writes',
    workstreams: 1_000,
    items: 10_000,
    seed: 11_000,
  });
  const token = jindu(['token', 'create', '--name', 'bench', '--role', 'editor'])
    .trim()
    .split('\n')
    .pop()!;
  const server = await startServer({
    name: `Jindu (${root})`,
    args: [join(root, 'dist/src/cli/main.js'), 'serve'],
    env: jinduEnv(file),
    core: Math.max(core, 0),
    logFile: join(dir, `writes-${n}.log`),
  });
  server.pause();
  return {
    root,
    file,
    generated: g,
    server,
    updates: new StatusUpdates(g.firstItemId, g.itemCount),
    headers: { authorization: `Bearer ${token}` },
    taken: { single: [], bulk: [] },
    blocks: { single: [], bulk: [] },
  };
}

/** The server's longest loop gap since the last read; NaN for a build that cannot say. */
const blockMs = (server: ServerProcess) => longestLoopDelayMs(server).catch(() => Number.NaN);
const ms = (x: number) => (Number.isNaN(x) ? 'n/a' : `${x.toFixed(1)} ms`);

/** `amount` single writes' worth of `kind` (8 clients one at a time; 2 clients in bulk). */
const load = (b: Build, kind: string, amount: number) =>
  kind === 'single'
    ? runLoad({
        server: b.server,
        amount,
        connections: 8,
        headers: b.headers,
        body: b.updates.single,
        verify: b.updates.checkSingle,
      })
    : runLoad({
        server: b.server,
        amount: Math.max(1, Math.ceil(amount / PER_CALL)),
        connections: 2,
        headers: b.headers,
        body: b.updates.bulk(BULK),
        verify: b.updates.checkBulk(BULK),
      });

/** Seconds of raw writes a round: about as long as one measured load of the server. */
const rawSeconds = (l: LoadResult) => Math.max(0.2, l.seconds);
/** The raw baseline's CPU per write (or call), one a round, per kind. */
const raw: Record<string, number[]> = { single: [], bulk: [] };
const rawFile = join(dir, 'raw.sqlite');

const builds: Build[] = [];
let failed = true;
try {
  for (const [n, root] of [resolve('.'), ...opts.against!.map((d) => resolve(d))].entries())
    builds.push(await startBuild(root, n));
  for (const kind of kinds) {
    for (const b of builds) {
      b.server.resume();
      await load(b, kind, warmUp);
      b.server.pause();
    }
    if (opts.raw) await copyForRaw(builds[0]!.file, rawFile);
    for (let round = 1; round <= rounds; round++) {
      for (const b of round % 2 ? builds : [...builds].reverse()) {
        b.server.resume();
        await load(b, kind, Math.ceil(writes / 3));
        await blockMs(b.server); // the measured loads' own longest block from here
        const loads: LoadResult[] = [];
        for (let i = 0; i < 3; i++) loads.push(await load(b, kind, writes));
        const block = await blockMs(b.server);
        b.server.pause();
        loads.sort((x, y) => x.cpuUs - y.cpuUs);
        b.taken[kind]!.push(loads[1]!);
        b.blocks[kind]!.push(block);
        say(
          `${kind} round ${round} ${b.root}: ${loads.map((l) => `${l.cpuUs.toFixed(0)} µs, ${l.perSecond.toFixed(0)}/s`).join(' · ')}; longest block ${ms(block)}; load ${loadavg()[0]!.toFixed(2)}`,
        );
      }
      if (opts.raw) {
        const own = builds[0]!;
        const { firstItemId, itemCount } = own.generated;
        const r = onServersCore(core >= 0, own.server, () =>
          rawStatusWrites(
            rawFile,
            firstItemId,
            itemCount,
            kind === 'single' ? 1 : BULK,
            rawSeconds(own.taken[kind]!.at(-1)!),
          ),
        );
        raw[kind]!.push(r.cpuUs);
        say(
          `${kind} round ${round} raw, the same writes: ${r.cpuUs.toFixed(0)} µs, ${r.perSecond.toFixed(0)}/s`,
        );
      }
    }
    const per = kind === 'single' ? 'write' : `${BULK}-item call`;
    const first = builds[0]!.taken[kind]!;
    for (const b of builds) {
      const taken = b.taken[kind]!;
      const cpu = taken.map((l) => l.cpuUs);
      const ratios = taken.map((l, i) => l.cpuUs / first[i]!.cpuUs);
      console.log(
        `${kind}, ${b.root}: ${median(cpu).toFixed(0)} µs per ${per} (spread ${(100 * spread(cpu)).toFixed(1)}%; ${cpu.map((c) => c.toFixed(0)).join(' · ')}), ${median(taken.map((l) => l.perSecond)).toFixed(0)}/s` +
          `; longest event-loop block per round ${b.blocks[kind]!.map(ms).join(' · ')}` +
          (b === builds[0]
            ? ''
            : `; ÷ this checkout, per round: ${ratios.map((r) => r.toFixed(2)).join(' · ')} (median ${median(ratios).toFixed(2)})`),
      );
    }
    if (opts.raw) {
      const r = raw[kind]!;
      const ratios = first.map((l, i) => l.cpuUs / r[i]!);
      console.log(
        `${kind}, the raw transaction making the same writes: ${median(r).toFixed(0)} µs per ${per} (${r.map((c) => c.toFixed(0)).join(' · ')}); this checkout ÷ raw, per round: ${ratios.map((x) => x.toFixed(2)).join(' · ')} (median ${median(ratios).toFixed(2)}×)`,
      );
    }
  }
  failed = false;
} finally {
  await finish(
    builds.map((b) => b.server),
    dir,
    opts.keep === true,
    failed,
  );
}
