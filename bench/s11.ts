import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateHistory } from './history.js';
import { interleaved } from './interleaved.js';
import type { LoadOptions, LoadResult } from './load.js';
import { BodyCheckError } from './load.js';
import { asOfAnswer, checkDashboard, dashboardQuery, sameAs } from './queries.js';
import type { ServerProcess } from './server-process.js';
import { recordRatio, sidesOf, type Figure } from './summary.js';
import type { GeneratedInitiative } from './synthetic-data.js';

/** What S11 borrows from the bench's main module. */
export interface S11Context {
  readonly dir: string;
  readonly runs: number;
  readonly say: (text: string) => void;
  /** Migrates a new SQLite file and writes the (workstreams, items) initiative into it. */
  readonly generate: (file: string, key: string) => GeneratedInitiative;
  /** A server with everything kept between requests off, unless `kept` turns kept forecasts on. */
  readonly start: (
    name: string,
    file: string,
    log: string,
    kept?: { forecasts: boolean },
  ) => Promise<ServerProcess>;
  /** Creates an editor token in the file; its secret. */
  readonly token: (file: string) => string;
  /**
   * One load, warmed up first; with `share`, that share of the measuring time (a pair's side),
   * and at least `measuredRequests` requests.
   */
  readonly measure: (
    name: string,
    options: Omit<LoadOptions, 'amount'>,
    extra?: { share?: number; measuredRequests?: number },
  ) => Promise<LoadResult>;
  /** Pairs in each interleaved ratio (bench/interleaved.ts). */
  readonly pairs: number;
  /** Log entries: [the as-of ÷ live database, the small, the large]. */
  readonly entries: readonly [number, number, number];
}

const YEAR = 365 * 86_400_000;

/**
 * S11: the as-of dashboard (random asOf within the last year, weekly snapshots) ÷ the live one
 * on the same tree and server; and the as-of dashboard's latency on a 10× longer log ÷ a
 * shorter one. Each database is a copy of one generated initiative with its own history.
 */
export async function measureS11(ctx: S11Context): Promise<Figure[]> {
  const now = Date.now();
  const files = ctx.entries.map((n) => join(ctx.dir, `history-${n}.sqlite`));
  const base = join(ctx.dir, 'history-base.sqlite');
  const g = ctx.generate(base, 's11');
  for (const [i, file] of files.entries()) {
    copyFileSync(base, file);
    const t = performance.now();
    const h = generateHistory(file, g.id, ctx.entries[i]!, now);
    ctx.say(
      `  s11 history: ${h.entries.toLocaleString('en')} log entries, ${h.snapshots} weekly snapshots (${((performance.now() - t) / 1000).toFixed(1)} s)`,
    );
  }
  const live = dashboardQuery(g);
  const randomAsOf = () => dashboardQuery(g, new Date(now - Math.random() * YEAR).toISOString());
  const ratio: number[] = [];
  const growth: number[] = [];
  const details: string[] = [];
  const growthDetails: string[] = [];
  const sides = {
    ratio: sidesOf('as-of', 'live', 'ms'),
    growth: sidesOf('the longer log', 'the shorter log', 'ms'),
  };
  const servers = await Promise.all(
    files.map((file, i) => ctx.start(`Jindu (history ${i})`, file, `jindu-history-${i}.log`)),
  );
  try {
    // In depth once: the live answer has the generator's counts, and the log replayed at now
    // gives the same answer byte for byte.
    const post = async (server: ServerProcess, body: string) =>
      (
        await fetch(`${server.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        })
      ).text();
    const liveAnswer = await post(servers[0]!, live);
    checkDashboard(liveAnswer, g);
    const nowAnswer = await post(servers[0]!, dashboardQuery(g, new Date().toISOString()));
    if (nowAnswer !== liveAnswer)
      throw new BodyCheckError('the as-of dashboard at now differs from the live one');
    const topLevel = (
      JSON.parse(liveAnswer) as { data: { initiative: { workstreams: unknown[] } } }
    ).data.initiative.workstreams.length;
    const check = asOfAnswer(topLevel);
    // Server CPU per request: the machine may be shared, and CPU is what a read costs.
    const cpu = (r: LoadResult) => r.cpuUs / 1000;
    const ms = (r: LoadResult) => (r.seconds * 1000) / r.requests;
    const share = { share: 1 / ctx.pairs };
    const asOf = (name: string, server: ServerProcess) => () =>
      ctx.measure(name, { server, body: randomAsOf, verify: check, connections: 1 }, share);
    for (let run = 1; run <= ctx.runs; run++) {
      // Each ratio as interleaved pairs, as S5's, so the two sides of a pair see the machine in
      // the same state (measured once a run, the sides moved apart: spreads of 12% each, 16%
      // for their ratio).
      const r = await interleaved(
        ctx.pairs,
        asOf('s11-asof', servers[0]!),
        () =>
          ctx.measure(
            's11-live',
            { server: servers[0]!, body: live, verify: sameAs(() => liveAnswer), connections: 1 },
            share,
          ),
        (a, l) => cpu(a) / cpu(l),
      );
      ratio.push(recordRatio(sides.ratio, cpu(r.a), cpu(r.b)));
      details.push(
        `${cpu(r.a).toFixed(1)} ms ÷ ${cpu(r.b).toFixed(1)} ms CPU (${r.a.requests} as-of requests; ${ms(r.a).toFixed(1)} ms ÷ ${ms(r.b).toFixed(1)} ms wall), median of ${ctx.pairs} interleaved pairs`,
      );
      const growthPair = await interleaved(
        ctx.pairs,
        asOf('s11-large', servers[2]!),
        asOf('s11-small', servers[1]!),
        (large, small) => cpu(large) / cpu(small),
      );
      growth.push(recordRatio(sides.growth, cpu(growthPair.a), cpu(growthPair.b)));
      growthDetails.push(
        `${cpu(growthPair.a).toFixed(1)} ms ÷ ${cpu(growthPair.b).toFixed(1)} ms CPU (${ms(growthPair.a).toFixed(1)} ms ÷ ${ms(growthPair.b).toFixed(1)} ms wall), median of ${ctx.pairs} interleaved pairs`,
      );
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
  const n = (x: number) => x.toLocaleString('en');
  return [
    {
      id: 'S11',
      what: `as-of dashboard server CPU (${n(g.workstreamIds.length)} workstreams, ${n(g.itemCount)} items, ${n(ctx.entries[0])} log entries, weekly snapshots, random asOf in the last year) ÷ live`,
      unit: '×',
      runs: ratio,
      target: { atMost: 2 },
      details,
      sides: sides.ratio,
    },
    {
      id: 'S11',
      what: `as-of dashboard server CPU, ${n(ctx.entries[2])} ÷ ${n(ctx.entries[1])} log entries`,
      unit: '×',
      runs: growth,
      target: { atMost: 1.2 },
      details: growthDetails,
      sides: sides.growth,
    },
  ];
}
