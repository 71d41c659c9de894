import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateHistory } from './history.js';
import { interleaved } from './interleaved.js';
import type { LoadOptions, LoadResult } from './load.js';
import { BodyCheckError } from './load.js';
import { backgroundWrites, dashboardLike } from './background-writes.js';
import { checkDashboard, dashboardQuery, sameAs } from './queries.js';
import type { ServerProcess } from './server-process.js';
import type { S11Context } from './s11.js';
import { recordRatio, sidesOf, type Figure } from './summary.js';
import type { GeneratedInitiative } from './synthetic-data.js';

const WEEK = 7 * 86_400_000;

/**
 * A 52-week burn-up of the whole initiative: weekly points up to `now`, the time the query is
 * made. `to` is given: without it a series ends at the server's now, and once that is more than
 * a minute after the last weekly step, it gains a 53rd point (S12's loads last minutes).
 */
export function historyQuery(g: GeneratedInitiative, now: number): string {
  const from = new Date(now - 51 * WEEK).toISOString();
  const to = new Date(now).toISOString();
  return JSON.stringify({
    query: `query History { initiative(key: "${g.key}") { progressHistory(from: "${from}", to: "${to}", every: WEEK) { at percent credit counted total byStatus { status count } } } }`,
  });
}

/** The forecast (default 12 weeks, 10,000 trials, or `trials`) on every node of the tree. */
export function forecastQuery(g: GeneratedInitiative, trials?: number): string {
  const args = trials === undefined ? '' : `(trials: ${trials})`;
  const fields = `id forecast${args} { status p50 p85 p95 }`;
  let selection = fields;
  for (let level = 0; level < g.maxDepth; level++)
    selection = `${fields} children { ${selection} }`;
  return JSON.stringify({
    query: `query Forecasts { initiative(key: "${g.key}") { forecast${args} { status p50 p85 p95 } workstreams { ${selection} } } }`,
  });
}

const noErrors =
  (check: (data: any) => boolean) =>
  (body: Buffer): boolean => {
    const parsed = JSON.parse(body.toString()) as { data?: any; errors?: unknown };
    return !parsed.errors && check(parsed.data);
  };

/** S12's forecast row is measured twice, as S3 is: cold, and kept under a steady write load. */
export const WRITES_PER_SECOND = 10;
/** The fewest forecasts in one measured load (a pair's fifth of 2 s holds about two). */
const FORECASTS_A_LOAD = 4;

/**
 * S12: on one generated initiative with a year of history (weekly snapshots), a 52-week
 * progressHistory ÷ the live dashboard, and forecast on every node ÷ the live dashboard: cold
 * (kept forecasts off, JINDU_FORECAST_CACHE=false), and with kept forecasts while 10
 * `setItemStatus` a second go to that initiative (bench/background-writes.ts), on a second
 * server over a copy of the same database. Kept answers are off on both.
 */
export async function measureS12(ctx: S11Context): Promise<Figure[]> {
  const now = Date.now();
  const file = join(ctx.dir, 'history-s12.sqlite');
  const keptFile = join(ctx.dir, 'history-s12-kept.sqlite');
  const base = join(ctx.dir, 'history-s12-base.sqlite');
  const g = ctx.generate(base, 's12');
  copyFileSync(base, file);
  const h = generateHistory(file, g.id, ctx.entries[0], now);
  copyFileSync(file, keptFile);
  const token = ctx.token(keptFile);
  ctx.say(`  s12 history: ${h.entries.toLocaleString('en')} log entries, ${h.snapshots} snapshots`);
  const live = dashboardQuery(g);
  const history = historyQuery(g, now);
  const forecasts = forecastQuery(g);
  const server: ServerProcess = await ctx.start('Jindu (s12)', file, 'jindu-s12.log');
  const kept: ServerProcess = await ctx.start(
    'Jindu (s12, kept forecasts)',
    keptFile,
    'jindu-s12-kept.log',
    { forecasts: true },
  );
  const ratios = { history: [] as number[], forecast: [] as number[], kept: [] as number[] };
  const details = { history: [] as string[], forecast: [] as string[], kept: [] as string[] };
  const sides = {
    history: sidesOf('the burn-up', 'live', 'ms'),
    forecast: sidesOf('the forecasts', 'live', 'ms'),
    kept: sidesOf('the forecasts', 'live', 'ms'),
  };
  try {
    const post = async (to: ServerProcess, body: string) =>
      (
        await fetch(`${to.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        })
      ).text();
    const liveAnswer = await post(server, live);
    checkDashboard(liveAnswer, g);
    const keptLive = await post(kept, live);
    checkDashboard(keptLive, g);
    // The last point of the series is the live figure.
    const points = JSON.parse(await post(server, history)).data?.initiative?.progressHistory;
    if (!Array.isArray(points) || points.length !== 52)
      throw new BodyCheckError('the 52-week history did not answer 52 points');
    const top = JSON.parse(liveAnswer).data.initiative.workstreams.length;
    const wholeForecast = noErrors((d) => d.initiative.workstreams.length === top);
    // Server CPU per request (the machine may be shared), wall time in the details.
    const cpu = (r: LoadResult) => r.cpuUs / 1000;
    const ms = (r: LoadResult) => (r.seconds * 1000) / r.requests;
    const detail = (a: LoadResult, b: LoadResult) =>
      `${cpu(a).toFixed(1)} ms ÷ ${cpu(b).toFixed(1)} ms CPU (${ms(a).toFixed(1)} ÷ ${ms(b).toFixed(1)} ms wall)`;
    // A pair's side gets a fifth of the measuring time; a forecast on every node takes about a
    // quarter of a second, so its loads hold at least FORECASTS_A_LOAD requests, not two.
    const share = { share: 1 / ctx.pairs };
    const load =
      (name: string, to: ServerProcess, body: string, verify: LoadOptions['verify'], fewest = 0) =>
      () =>
        ctx.measure(
          name,
          { server: to, body, verify, connections: 1 },
          { ...share, measuredRequests: fewest },
        );
    const liveLoad = load(
      's12-live',
      server,
      live,
      sameAs(() => liveAnswer),
    );
    // Kept forecasts: the live dashboard on that server (the writes moved its counts), and the
    // forecast while writes change the nodes on an item's path.
    const keptLiveLoad = load(
      's12-kept-live',
      kept,
      live,
      dashboardLike(() => keptLive),
    );
    let writes = 0;
    const keptForecastLoad = async () => {
      const writer = backgroundWrites(kept, token, [g], WRITES_PER_SECOND);
      const result = await load(
        's12-kept-forecast',
        kept,
        forecasts,
        wholeForecast,
        FORECASTS_A_LOAD,
      )().catch(async (err: unknown) => {
        await writer.stop().catch(() => 0); // the load's own failure is the one to report
        throw err;
      });
      writes += await writer.stop(); // throws if a background write failed its check
      return result;
    };
    const ratio = (a: LoadResult, b: LoadResult) => cpu(a) / cpu(b);
    for (let run = 1; run <= ctx.runs; run++) {
      // Each ratio as interleaved pairs, as S5's: measured once a run, the live dashboard these
      // rows divide by read 9.9–16.4 ms of CPU while the forecasts held within 5%.
      const hist = await interleaved(
        ctx.pairs,
        load(
          's12-history',
          server,
          history,
          noErrors((d) => d.initiative.progressHistory.length === 52),
        ),
        liveLoad,
        ratio,
      );
      const fc = await interleaved(
        ctx.pairs,
        load('s12-forecast', server, forecasts, wholeForecast, FORECASTS_A_LOAD),
        liveLoad,
        ratio,
      );
      writes = 0;
      const kf = await interleaved(ctx.pairs, keptForecastLoad, keptLiveLoad, ratio);
      ratios.history.push(recordRatio(sides.history, cpu(hist.a), cpu(hist.b)));
      ratios.forecast.push(recordRatio(sides.forecast, cpu(fc.a), cpu(fc.b)));
      ratios.kept.push(recordRatio(sides.kept, cpu(kf.a), cpu(kf.b)));
      const pairs = `median of ${ctx.pairs} interleaved pairs`;
      details.history.push(`${detail(hist.a, hist.b)}, ${pairs}`);
      details.forecast.push(`${detail(fc.a, fc.b)}, ${pairs}`);
      details.kept.push(
        `${detail(kf.a, kf.b)}, ${pairs}; ${writes} writes during the ${ctx.pairs} forecast loads and their warm-ups`,
      );
    }
  } finally {
    await server.stop();
    await kept.stop();
  }
  const n = (x: number) => x.toLocaleString('en');
  const what = `${n(g.workstreamIds.length)} workstreams, ${n(ctx.entries[0])} log entries`;
  return [
    {
      id: 'S12',
      what: `52-week progressHistory server CPU (${what}) ÷ live dashboard`,
      unit: '×',
      runs: ratios.history,
      target: { atMost: 10 },
      details: details.history,
      sides: sides.history,
    },
    {
      id: 'S12',
      what: `forecast on every node server CPU (${what}), kept forecasts off ÷ live dashboard`,
      unit: '×',
      runs: ratios.forecast,
      target: { atMost: 5 },
      details: details.forecast,
      sides: sides.forecast,
    },
    {
      id: 'S12',
      what: `the same, kept forecasts on, ${WRITES_PER_SECOND} writes/s to the initiative ÷ live dashboard`,
      unit: '×',
      runs: ratios.kept,
      target: { atMost: 5 },
      details: details.kept,
      sides: sides.kept,
    },
  ];
}
