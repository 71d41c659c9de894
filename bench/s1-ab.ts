import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { finish } from './alone-cli.js';
import { runLoad } from './load.js';
import { isTypenameAnswer, TYPENAME } from './queries.js';
import {
  pinLoadGenerator,
  startBareApollo,
  startServer,
  type ServerProcess,
  jinduEnv,
} from './server-process.js';
import { median } from './summary.js';

const HELP = `node --import @swc-node/register/esm-register bench/s1-ab.ts [options]

S1 alone: \`{ __typename }\` server CPU per request of Jindu ÷ a bare Apollo Server 5, for one
or more compiled builds (a copy of dist/ from another commit, say). Each round measures bare
Apollo, then every build in turn (every other round in reverse order), all on core 0 with the load on core 1, so drift moves them
alike; the output is every round's ratios and their medians. Run \`npm run build\` first.

  --dist DIR       a compiled build to measure (repeatable; default: dist); DIR:LEVEL sets
                   its LOG_LEVEL (default info, as \`npm start\` runs)
  --rounds N       interleaved rounds (default 10)
  --fresh          new server processes for every round (each warmed up first): a process can
                   keep a speed of its own for its whole life, which one process per build
                   for all rounds would take for the build's
  --requests N     requests per load (default 10000; 8 connections)
  --keep           keep the databases and server logs (a failed run keeps them)
  -h, --help       this text`;

const { values: opts } = parseArgs({
  options: {
    dist: { type: 'string', multiple: true },
    rounds: { type: 'string', default: '10' },
    requests: { type: 'string', default: '10000' },
    fresh: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opts.help) {
  console.log(HELP);
  process.exit(0);
}
const builds = (opts.dist ?? ['dist']).map((spec) => {
  const [dir, level = 'info'] = spec.split(':');
  return { name: spec, dir: resolve(dir!), level };
});
const rounds = Number(opts.rounds);
const requests = Number(opts.requests);
if (!(rounds >= 1) || !(requests >= 100)) {
  console.error(`bad --rounds or --requests\n\n${HELP}`);
  process.exit(2);
}
if (pinLoadGenerator() < 0) process.stderr.write('warning: cannot pin to separate cores\n');

const dir = mkdtempSync(join(tmpdir(), 'jindu-s1-'));
const load = (server: ServerProcess, amount: number) =>
  runLoad({ server, amount, connections: 8, body: TYPENAME, verify: isTypenameAnswer });
let started = 0;
/** Bare Apollo and each build's server, each warmed up (two loads), so compiled code and caches settle. */
async function startAll(): Promise<ServerProcess[]> {
  const n = started++;
  const all: ServerProcess[] = [];
  try {
    all.push(await startBareApollo(0, join(dir, `bare-${n}.log`)));
    for (const [i, build] of builds.entries())
      all.push(
        await startServer({
          name: build.name,
          args: [join(build.dir, 'src/cli/main.js'), 'serve'],
          env: jinduEnv(join(dir, `jindu-${n}-${i}.sqlite`), { LOG_LEVEL: build.level }),
          core: 0,
          logFile: join(dir, `jindu-${n}-${i}.log`),
        }),
      );
    for (const server of all) await load(server, 2 * requests);
  } catch (err) {
    await stopAll(all); // none left running behind a failed start
    throw err;
  }
  return all;
}
const stopAll = async (all: readonly ServerProcess[]) => {
  for (const server of all) await server.stop();
};
let running = await startAll();
let failed = true;
try {
  const ratios: number[][] = builds.map(() => []);
  for (let round = 1; round <= rounds; round++) {
    if (opts.fresh && round > 1) {
      await stopAll(running.splice(0));
      running = await startAll();
    }
    const [bare, ...servers] = running as [ServerProcess, ...ServerProcess[]];
    const b = await load(bare, requests);
    const line = [`round ${round}: bare ${b.cpuUs.toFixed(1)} µs`];
    // Every other round in reverse order: a load's place after bare Apollo's must not favour a build.
    const order = servers.map((_, i) => i);
    if (round % 2 === 0) order.reverse();
    for (const i of order) {
      const o = await load(servers[i]!, requests);
      ratios[i]!.push(o.cpuUs / b.cpuUs);
      line.push(`${builds[i]!.name} ${o.cpuUs.toFixed(1)} µs (${(o.cpuUs / b.cpuUs).toFixed(2)}×)`);
    }
    console.log(line.join('  '));
  }
  for (const [i, build] of builds.entries())
    console.log(`${build.name}: median ${median(ratios[i]!).toFixed(2)}× bare Apollo`);
  failed = false;
} finally {
  await finish(running, dir, opts.keep, failed);
}
