import { backgroundWrites, dashboardLike } from './background-writes.js';
import type { BenchSetup } from './bench-setup.js';
import { WRITES_PER_SECOND, type CoreFigures } from './core-rows.js';
import { interleaved } from './interleaved.js';
import { generatorBusy, type LoadResult } from './load.js';
import type { Measurer } from './measuring.js';
import { isTypenameAnswer, sameAs, TYPENAME, type StatusUpdates } from './queries.js';
import type { ServerProcess } from './server-process.js';
import { median, recordRatio } from './summary.js';
import { writeLoads } from './write-loads.js';

export interface CoreRunContext {
  readonly setup: BenchSetup;
  readonly measurer: Measurer;
  readonly figures: CoreFigures;
  readonly smoke: boolean;
  readonly seconds: number;
  /** Pairs in each interleaved ratio (bench/interleaved.ts). */
  readonly pairs: number;
  /** S3's interleaved rounds. */
  readonly rounds: number;
  /**
   * The fewest 10,000-workstream dashboards in one of S3's measured loads. A share of the
   * measuring time held 8 of them (the fewest a load takes), while a full collection of the
   * server's heap came about once in 9 such answers (32 in 280): loads of 8 read 113–216 ms a
   * dashboard, loads of 40 measured alone 98–117 ms.
   */
  readonly largeDashboards: number;
  readonly updates: StatusUpdates;
  /** Items in a bulk call. */
  readonly bulk: number;
  readonly headers: Record<string, string>;
}

interface Slope {
  readonly one: LoadResult;
  readonly ten: LoadResult;
  readonly slope: number;
}

const us = (x: number) => `${x.toFixed(1)} µs`;
const rps = (x: number) => `${x.toFixed(0)}/s`;
/** The mean time per request of a load: its latency when one request runs at a time. */
const ms = (r: LoadResult) => (r.seconds * 1000) / r.requests;

/**
 * One run of the main rows (S1–S6, S8, S10), each pushed into `ctx.figures`; returns the run's
 * loads, as the JSON results keep them.
 */
export async function coreRun(ctx: CoreRunContext, run: number): Promise<Record<string, unknown>> {
  const { setup, measurer, figures, pairs } = ctx;
  const { servers, small, large, dashboards } = setup;
  const measure = measurer.measure;
  const typename = { body: TYPENAME, verify: isTypenameAnswer, connections: 8 };
  const s1 = await interleaved(
    pairs,
    () => measure('typename', { server: servers.oursLight, ...typename }, { share: 1 / pairs }),
    () => measure('bare', { server: servers.bare, ...typename }, { share: 1 / pairs }),
    (ours, bareOne) => ours.cpuUs / bareOne.cpuUs,
  );
  const { a: o, b } = s1;
  figures.push(
    's1',
    recordRatio(figures.sides.s1, o.cpuUs, b.cpuUs),
    `${us(o.cpuUs)} ÷ ${us(b.cpuUs)} (${rps(o.perSecond)} vs ${rps(b.perSecond)})`,
  );

  // S3: Jindu's slope cold (kept answers off), the floor's, and Jindu's with kept answers while
  // 10 writes a second change the trees, as interleaved rounds (each slope's 1k and 10k loads,
  // one after the other), so each ratio compares loads taken moments apart; the median of the
  // rounds' ratios. S2 is the dashboard's throughput in the last setting.
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
        { share: 1 / ctx.rounds, measuredRequests: key === 'large' ? ctx.largeDashboards : 0 },
      );
    const one = await load('small');
    const ten = await load('large');
    return { one, ten, slope: (ten.cpuUs - one.cpuUs) / nodes };
  };
  const rounds: { cold: Slope; floor: Slope; kept: Slope; writes: number }[] = [];
  for (let round = 0; round < ctx.rounds; round++) {
    const cold = await slopeOf(servers.oursCold, 'cold');
    const bareJit = await slopeOf(servers.floor, 'floor');
    const writer = backgroundWrites(servers.ours, setup.token, [small, large], WRITES_PER_SECOND);
    const kept = await slopeOf(servers.ours, 'kept', dashboardLike);
    rounds.push({ cold, floor: bareJit, kept, writes: await writer.stop() });
  }
  const mid = <T>(xs: T[], by: (x: T) => number): T =>
    [...xs].sort((x, y) => by(x) - by(y))[Math.floor(xs.length / 2)]!;
  const coldRound = mid(rounds, (r) => r.cold.slope / r.floor.slope);
  const keptRound = mid(rounds, (r) => r.kept.slope / r.floor.slope);
  const d1 = mid(rounds, (r) => r.kept.one.perSecond).kept.one;
  figures.push(
    's2',
    recordRatio(figures.sides.s2, d1.perSecond, o.perSecond),
    `${rps(d1.perSecond)} ÷ ${rps(o.perSecond)} (${us(d1.cpuUs)} per dashboard, kept answers, ${WRITES_PER_SECOND} writes/s; the load generator ${generatorBusy(d1)} and ${generatorBusy(o)} busy)`,
  );
  const slopeText = (x: Slope) => `(${us(x.ten.cpuUs)} − ${us(x.one.cpuUs)}) ÷ ${nodes} nodes`;
  figures.push(
    's3',
    recordRatio(figures.sides.s3, coldRound.cold.slope, coldRound.floor.slope),
    `${us(coldRound.cold.slope)} ÷ ${us(coldRound.floor.slope)}, median of ${ctx.rounds} interleaved rounds`,
  );
  figures.push(
    's3kept',
    recordRatio(figures.sides.s3kept, keptRound.kept.slope, keptRound.floor.slope),
    `${us(keptRound.kept.slope)} ÷ ${us(keptRound.floor.slope)}, ${keptRound.writes} writes during the loads`,
  );
  figures.push('s3cold', coldRound.cold.slope, slopeText(coldRound.cold));
  figures.push('s3floor', coldRound.floor.slope, slopeText(coldRound.floor));
  figures.push('s3keptUs', keptRound.kept.slope, slopeText(keptRound.kept));

  // S4: one request at a time, so the mean time per request is the latency; both trees on one
  // server process, as interleaved pairs.
  const latency = (name: string, body: string, answer: () => string) => () =>
    measure(
      name,
      { server: servers.oursHugeCold, body, verify: sameAs(answer), connections: 1 },
      { share: 2 / pairs },
    );
  const s4 = await interleaved(
    pairs,
    latency('dash-huge-1', dashboards.huge.body, () => dashboards.huge.answer),
    latency(
      'dash-large-beside-huge-1',
      setup.largeBesideHuge.body,
      () => setup.largeBesideHuge.answer,
    ),
    (million, tenThousand) => ms(million) / ms(tenThousand),
  );
  const { a: lat1m, b: lat10k } = s4;
  figures.push(
    's4',
    recordRatio(figures.sides.s4, ms(lat1m), ms(lat10k)),
    `${ms(lat1m).toFixed(1)} ms ÷ ${ms(lat10k).toFixed(1)} ms, median of ${pairs} interleaved pairs on one server`,
  );

  // S5 and S6 on core 0 alone. The write server shares that core with seven others that have
  // just built 10,000-node answers (their collectors and timers still run), and the raw
  // baseline ran in this process on core 1: the server's CPU per write paid for the cache and
  // the core it shared, its event-loop delay counted the time it waited for the core, and the
  // baseline paid for neither. Now the other servers are paused (SIGSTOP) while the writes are
  // measured, and the raw baseline runs on core 0 too, with the write server paused in turn.
  const w = await writeLoads(ctx);
  const { bulk: BULK } = ctx;
  figures.push('s5', recordRatio(figures.sides.s5, w.single.a.cpuUs, w.single.b.cpuUs));
  figures.push(
    's5core',
    w.single.a.cpuUs / w.rawOneCore.cpuUs,
    `${us(w.single.a.cpuUs)} ÷ ${us(w.rawOneCore.cpuUs)}, the raw write without live events' writes measured once after the pairs, on the file they left`,
  );
  // The rate of every pair's load, not only the median pair's: one load of 1,500 writes (about
  // a second) read 903–1,361 a second between runs; the median of five is steadier.
  const rates = w.single.as.map((l) => l.perSecond);
  figures.push('s5rate', median(rates));
  figures.details.s5.push(
    `${us(w.single.a.cpuUs)} ÷ ${us(w.single.b.cpuUs)} (raw ${rps(w.single.b.perSecond)}), median of ${pairs} interleaved pairs, after ${measurer.warmedWith.get('set-one')} writes of warm-up; raw on the freshly generated file ${us(w.rawOneFresh.cpuUs)}`,
  );
  figures.details.s5rate.push(
    `median of ${rates.length} loads, 8 clients: ${w.single.as.map((l) => `${rps(l.perSecond)} (${l.requests} mutations, the load generator ${generatorBusy(l)} busy)`).join(', ')} (raw, one at a time, each commit synced: ${rps(w.single.b.perSecond)}); ${w.singleShared}`,
  );
  figures.push('s6', recordRatio(figures.sides.s6, w.bulk.a.cpuUs, w.bulk.b.cpuUs));
  figures.push(
    's6core',
    w.bulk.a.cpuUs / w.rawBulkCore.cpuUs,
    `${us(w.bulk.a.cpuUs)} ÷ ${us(w.rawBulkCore.cpuUs)}, the raw call without live events' writes measured once after the pairs, on the file they left`,
  );
  figures.push('s6block', w.block);
  figures.details.s6.push(
    `${us(w.bulk.a.cpuUs)} ÷ ${us(w.bulk.b.cpuUs)} per ${BULK}-item call, median of ${pairs} interleaved pairs, after ${measurer.warmedWith.get('set-bulk')} calls of warm-up; raw on the freshly generated file ${us(w.rawBulkFresh.cpuUs)}; ${w.bulkShared}`,
  );
  figures.details.s6block.push(
    `the server's longest event-loop delay (GET /metrics) over its measured bulk loads, the other servers paused (over the warm-ups and the single writes: ${w.warmUpBlock.toFixed(1)} ms)`,
  );

  const lines = await measure('report', {
    server: servers.oursCold,
    body: setup.report.body,
    verify: sameAs(() => setup.report.answer),
    connections: 1,
  });
  figures.push(
    's8',
    ms(lines),
    `mean of ${lines.requests} requests, p99 ${lines.latencyMs.p99.toFixed(1)} ms`,
  );

  servers.oursHuge.resetPeakRss();
  const loaded = await measure('dash-huge-8', {
    server: servers.oursHuge,
    body: dashboards.huge.body,
    verify: sameAs(() => dashboards.huge.answer),
    connections: 8,
  });
  figures.push(
    's10',
    servers.oursHuge.peakRssBytes() / 2 ** 20,
    `peak RSS while serving ${loaded.requests} dashboards to 8 clients (and its warm-up)`,
  );
  return {
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
  };
}
