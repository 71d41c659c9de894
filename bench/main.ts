import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { finish } from './alone-cli.js';
import { dashboardLike } from './background-writes.js';
import { prepareBench } from './bench-setup.js';
import { coreRun } from './core-run.js';
import { CoreFigures } from './core-rows.js';
import { benchImport } from './import-sheet.js';
import type { LoadResult } from './load.js';
import { Measurer, openLoopRow } from './measuring.js';
import { benchOptions } from './options.js';
import { StatusUpdates } from './queries.js';
import { machineLine, runText } from './run-text.js';
import { measureS11, type S11Context } from './s11.js';
import { measureS12 } from './s12.js';
import { measureS13 } from './s13.js';
import { measureS7 } from './s7.js';
import { median, meets, spread, type Figure } from './summary.js';

/*
 * `npm run bench`: the main rows (bench/core-run.ts) run by run, then the figure modules (S11,
 * S12), PostgreSQL's (S7, S13) and the open loops, each with the servers it needs; then the
 * table, the details of every row and the import lines, and the JSON results.
 */

const o = benchOptions();
const say = (text: string) => process.stderr.write(`${text}\n`);
const began = performance.now();
const elapsed = () => `${((performance.now() - began) / 1000).toFixed(0)} s`;

const PAIRS = o.smoke ? 1 : 5;
const setup = await prepareBench(o, say);
const { servers, small, writes } = setup;
const measurer = new Measurer({ ...o, servers: setup.all });
const updates = new StatusUpdates(writes.firstItemId, writes.itemCount);
const BULK = Math.min(100, writes.itemCount);
const headers = { authorization: `Bearer ${setup.token}` };
const figures = new CoreFigures();
const loads: Record<string, unknown>[] = [];

say('waiting for the servers to idle');
await measurer.settle(setup.all());

let failed = true;
try {
  for (let run = 1; run <= o.runs; run++) {
    say(`run ${run}/${o.runs} (${elapsed()})`);
    if (run > 1) await measurer.settle(await setup.restartForRun());
    // All servers share core 0: give the others' background work (V8's concurrent sweeping
    // after the big answers of the previous run) time to finish before the lightest figure.
    await new Promise((r) => setTimeout(r, o.smoke ? 100 : 1500));
    loads.push(
      await coreRun(
        {
          setup,
          measurer,
          figures,
          smoke: o.smoke,
          seconds: o.seconds,
          pairs: PAIRS,
          rounds: o.smoke ? 1 : 3,
          largeDashboards: o.smoke ? 0 : 24,
          updates,
          bulk: BULK,
          headers,
        },
        run,
      ),
    );
  }

  // Figure modules measured after the runs above, each with its own servers: one line each.
  const generate = (file: string, key: string) => setup.generate(file, key, o.sizes.small);
  const bench: S11Context = {
    dir: setup.dir,
    runs: o.runs,
    say,
    generate,
    start: (name, file, log, kept) =>
      setup.startJindu(name, file, log, false, kept?.forecasts ?? false),
    token: setup.editorToken,
    measure: measurer.measure,
    pairs: PAIRS,
    entries: o.smoke ? [3_000, 1_500, 15_000] : [200_000, 100_000, 1_000_000],
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

  const postgres = {
    dir: setup.dir,
    runs: o.runs,
    smoke: o.smoke,
    say,
    serverEnv: (file: string) => setup.serverEnv(file, true, true),
    core: setup.core,
  };
  say(`S7: writes and kept trees on PostgreSQL (${elapsed()})`);
  const s7 = await measureS7({
    ...postgres,
    seconds: o.seconds,
    generate,
    measure: measurer.measure,
  });
  say(`S13: live events across two instances on PostgreSQL (${elapsed()})`);
  const s13 = await measureS13(postgres);

  // Open loop: a fixed rate at half the measured capacity, each latency counted from when its
  // request was due (bench/load.ts), after the same load warmed the server up closed-loop.
  say(`open-loop latency (${elapsed()})`);
  const capacity = median(loads.map((r) => (r.dashboardSmall as LoadResult).perSecond));
  const openDash = await measurer.atFixedRate(
    'open-dashboard',
    {
      server: servers.ours,
      body: setup.dashboards.small.body,
      // Earlier background writes changed the figures: a whole dashboard, kept answers on.
      verify: dashboardLike(() => setup.dashboards.small.answer),
      connections: 16,
    },
    capacity / 2,
  );
  const mutationCapacity = median(figures.runs.s5rate);
  const openSet = await measurer.atFixedRate(
    'open-set-one',
    {
      server: servers.oursWrites,
      body: updates.single,
      verify: updates.checkSingle,
      headers,
      connections: 16,
    },
    mutationCapacity / 2,
  );

  const list: Figure[] = [...figures.rows(setup, BULK), ...moduleFigures, ...s7, ...s13];
  const openLoop = [
    openLoopRow(
      `dashboard (${small.workstreamIds.length} workstreams) at ${Math.floor(capacity / 2)}/s`,
      openDash,
    ),
    openLoopRow(`setItemStatus at ${Math.floor(mutationCapacity / 2)}/s`, openSet),
  ];
  const machine = machineLine(setup.pinned);
  const text = runText(list, openLoop, { runs: o.runs, seconds: o.seconds, pairs: PAIRS, machine });
  console.log(`\n${text}\n`);
  for (const f of list) say(`${f.id} ${f.what}: ${f.details.join(' | ')}`);
  say(await benchImport(o.smoke ? 500 : 10_000));
  say(await benchImport(o.smoke ? 500 : 5_000, o.smoke ? 50 : 1_000));
  mkdirSync(dirname(o.out), { recursive: true });
  writeFileSync(
    o.out,
    `${JSON.stringify({ at: new Date().toISOString(), smoke: o.smoke, runs: o.runs, seconds: o.seconds, machine, figures: list.map((f) => ({ ...f, median: median(f.runs), spread: spread(f.runs), met: meets(f) })), openLoop, loads }, null, 2)}\n`,
  );
  say(`wrote ${o.out} (${elapsed()} in all)`);
  failed = false;
} finally {
  await finish(setup.all(), setup.dir, o.keep, failed);
}
