import type { BenchSetup } from './bench-setup.js';
import { interleaved } from './interleaved.js';
import type { LoadOptions, LoadResult } from './load.js';
import type { MeasureExtra, Measurer } from './measuring.js';
import type { StatusUpdates } from './queries.js';
import { copyForRaw, rawStatusWrites, type RawResult, type RawScope } from './raw-writes.js';
import { longestLoopDelayMs, onServersCore, type ServerProcess } from './server-process.js';

/**
 * The write loads' warm-up, and the fewest requests of each measured load. A short load reads
 * high: on one server, loads of 75, 400 and 1,500 single writes back to back read 3,593, 3,082
 * and 1,795 µs a write (the tenth session; a pair's share of 2 s at ~300 writes a second is
 * about 75), so a measured load holds at least as many requests as a warm-up window. The
 * windows are longer than other loads' and their cap later, since a slow machine takes a minute
 * to run the first 6,000 writes (bench/measuring.ts).
 */
const warmUpOf = (smoke: boolean): { single: MeasureExtra; bulk: MeasureExtra } =>
  smoke
    ? { single: {}, bulk: {} }
    : {
        single: { windowRequests: 1_500, capSeconds: 90, measuredRequests: 1_500 },
        bulk: { windowRequests: 100, capSeconds: 60, measuredRequests: 100 },
      };

interface WalCounters {
  commits: number;
  syncs: number;
}

/** The write server's SQLite commits and WAL syncs so far (group commit; GET /metrics). */
async function walCounters(server: ServerProcess): Promise<WalCounters> {
  const text = await (await fetch(`${server.url}/metrics?format=prometheus`)).text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  return {
    commits: value('jindu_sqlite_commits_total'),
    syncs: value('jindu_sqlite_wal_syncs_total'),
  };
}

/** "N commits shared M syncs of the WAL" over measured loads. */
const sharedSyncs = ({ commits, syncs }: WalCounters): string =>
  syncs > 0
    ? `${commits} commits shared ${syncs} syncs of the WAL (group commit)`
    : 'SQLite synced each commit itself (group commit off)';

export interface WriteLoadsContext {
  readonly setup: BenchSetup;
  readonly measurer: Measurer;
  readonly smoke: boolean;
  readonly seconds: number;
  readonly pairs: number;
  readonly updates: StatusUpdates;
  /** Items in a bulk call. */
  readonly bulk: number;
  readonly headers: Record<string, string>;
}

/**
 * S5's and S6's loads and their raw baselines, each on core 0 alone (see the run in main.ts), as
 * interleaved pairs (see `interleaved`): a raw transaction measured once per run moved a whole
 * run's ratio with it (the raw bulk read 2.70–2.77 ms in one run and 2.97–3.66 ms in the next,
 * while the server's call stayed at 5.9–6.8 ms). Each raw baseline starts from a page-for-page
 * copy of the write server's database taken after its load's first warm-up, and goes on
 * writing it: on the project machine the raw bulk transaction cost 4.2 ms on the freshly
 * generated file and 8.6 ms after 3,200 more calls, and the warm-up (thousands of writes, until
 * the server's CPU per write stops falling) grows the server's file as much.
 */
export async function writeLoads(ctx: WriteLoadsContext) {
  const { setup, measurer, seconds, pairs, updates, bulk: BULK } = ctx;
  const server = setup.servers.oursWrites;
  const { writes, rawDb } = setup;
  const warmUps = warmUpOf(ctx.smoke);
  const rawRun = (
    batch: number,
    file = rawDb,
    runSeconds = seconds,
    scope: RawScope = 'same',
  ): RawResult =>
    onServersCore(setup.pinned, server, () =>
      rawStatusWrites(file, writes.firstItemId, writes.itemCount, batch, runSeconds, scope),
    );
  let warmUpBlock = 0;
  let block = 0;
  let copied = false;
  /** One write load of a pair: its warm-up's and its own loop delays kept apart, its syncs summed. */
  const writeLoad = async (
    name: string,
    options: Omit<LoadOptions, 'amount'>,
    warmUp: MeasureExtra,
    syncs: WalCounters,
    isBulk: boolean,
  ): Promise<LoadResult> => {
    let before = { commits: 0, syncs: 0 };
    const result = await measurer.measure(name, options, {
      share: 1 / pairs,
      beforeMeasured: async () => {
        // Ends the interval of the warm-up (reported beside the row) and starts the load's own.
        const delay = await longestLoopDelayMs(server);
        warmUpBlock = Math.max(warmUpBlock, delay);
        if (!copied) await copyForRaw(setup.writesDb, rawDb);
        copied = true;
        before = await walCounters(server);
      },
      ...warmUp,
    });
    const after = await walCounters(server);
    syncs.commits += after.commits - before.commits;
    syncs.syncs += after.syncs - before.syncs;
    const delay = await longestLoopDelayMs(server);
    if (isBulk) block = Math.max(block, delay);
    else warmUpBlock = Math.max(warmUpBlock, delay);
    return result;
  };
  /** A raw load of a pair; the server's loop counted the pause (SIGSTOP) meanwhile: dropped. */
  const rawLoad = async (batch: number): Promise<RawResult> => {
    const result = rawRun(batch, rawDb, seconds / pairs);
    await longestLoopDelayMs(server);
    return result;
  };
  const load = (body: LoadOptions['body'], verify: LoadOptions['verify'], connections: number) => ({
    server,
    body,
    verify,
    headers: ctx.headers,
    connections,
  });
  const singleSyncs = { commits: 0, syncs: 0 };
  const bulkSyncs = { commits: 0, syncs: 0 };
  return measurer.withOthersPaused(server, async () => {
    await longestLoopDelayMs(server); // starts the interval at the first write
    const single = await interleaved(
      pairs,
      () =>
        writeLoad(
          'set-one',
          load(updates.single, updates.checkSingle, 8),
          warmUps.single,
          singleSyncs,
          false,
        ),
      () => rawLoad(1),
      (ours, raw) => ours.cpuUs / raw.cpuUs,
    );
    // The baseline before live events, once, on the file the pairs left (for comparison only).
    const rawOneCore = rawRun(1, rawDb, seconds / pairs, 'core');
    const rawOneFresh = rawRun(1, setup.freshCopy(setup.rawFreshDb));
    await longestLoopDelayMs(server); // drops the interval holding the pause
    copied = false; // the bulk's raw baseline starts from the server's file as it is by then
    const bulk = await interleaved(
      pairs,
      () =>
        writeLoad(
          'set-bulk',
          load(updates.bulk(BULK), updates.checkBulk(BULK), 2),
          warmUps.bulk,
          bulkSyncs,
          true,
        ),
      () => rawLoad(BULK),
      (ours, raw) => ours.cpuUs / raw.cpuUs,
    );
    const rawBulkCore = rawRun(BULK, rawDb, seconds / pairs, 'core');
    const rawBulkFresh = rawRun(BULK, setup.freshCopy(setup.rawFreshDb));
    return {
      single,
      rawOneCore,
      rawOneFresh,
      bulk,
      rawBulkCore,
      rawBulkFresh,
      block,
      warmUpBlock,
      singleShared: sharedSyncs(singleSyncs),
      bulkShared: sharedSyncs(bulkSyncs),
    };
  });
}
