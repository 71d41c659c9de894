import { runLoad, type LoadOptions, type LoadResult } from './load.js';
import { loopSince, type ServerProcess } from './server-process.js';

/** What a load's warm-up and measured load may be asked for beyond the load itself. */
export interface MeasureExtra {
  /** Of the measuring time: interleaved pairs take several shorter loads. */
  readonly share?: number;
  /** Runs between the warm-up and the measured load. */
  readonly beforeMeasured?: () => Promise<unknown>;
  /** Fewest requests in a warm-up window (a first warm-up). */
  readonly windowRequests?: number;
  /** Longest first warm-up. */
  readonly capSeconds?: number;
  /** Fewest requests in the measured load (the write loads: bench/write-loads.ts). */
  readonly measuredRequests?: number;
}

/**
 * An open loop's load and the server's longest event-loop block during it: a p99 far above the
 * block is requests queued behind one another (or behind a slow sync), not a held loop. Beside
 * the block, what may have held the loop: the collector's longest pause and all its pauses, and
 * how long the loop's thread waited for its core (another process or the server's own helper
 * threads running there). A block far above the longest pause was not the collector.
 */
export interface OpenLoop {
  readonly result: LoadResult;
  readonly blockMs: number;
  readonly gcPauses: { readonly totalMs: number; readonly longestMs: number };
  readonly coreWaitMs: number;
}

export const openLoopRow = (what: string, { result, blockMs, gcPauses, coreWaitMs }: OpenLoop) => ({
  what,
  p50: result.latencyMs.p50,
  p99: result.latencyMs.p99,
  max: result.latencyMs.max,
  blockMs,
  longestPauseMs: gcPauses.longestMs,
  pausesMs: gcPauses.totalMs,
  coreWaitMs,
  requests: result.requests,
});

/**
 * Measures loads on the bench's servers, each warmed up first and with every other server
 * paused. `servers` gives the servers running now (a run restarts some of them).
 */
export class Measurer {
  /** How long the first warm-up of a load may go on while its CPU per request still falls. */
  private readonly warmUpCapSeconds: number;
  /** The warm-up's CPU per request is compared between windows of this many seconds. */
  private readonly warmWindowSeconds: number;
  /**
   * Seconds an open loop lasts at least. Its p99 is the tail of a few thousand requests, and
   * one stall (a major collection, a slow sync of the WAL) holds every request due while it
   * lasts: in 4 s at 800 writes a second, one 80 ms stall is past the p99 on its own.
   */
  private readonly openLoopSeconds: number;
  /**
   * Each load's last rate, by the server process it ran on: a load's first warm-up on a process
   * runs until its CPU per request settles, later ones are short (`warmAndMeasure`). A server
   * started again is a new process, whose loads warm up in full again.
   */
  private readonly ratesByServer = new WeakMap<ServerProcess, Map<string, number>>();
  /** Requests of a load's warm-up so far, for the details (a new process starts again at 0). */
  readonly warmedWith = new Map<string, number>();

  constructor(
    private readonly o: {
      readonly smoke: boolean;
      readonly seconds: number;
      readonly warmUpSeconds: number;
      readonly servers: () => readonly ServerProcess[];
    },
  ) {
    this.warmUpCapSeconds = o.smoke ? 1 : 30;
    this.warmWindowSeconds = o.smoke ? 0.2 : 2;
    this.openLoopSeconds = o.smoke ? 0 : 10;
  }

  /**
   * One measured load of about `seconds`, after the same load has run until the server's CPU
   * per request stopped falling. V8 compiles hot code in tiers, and a request that runs hundreds
   * of functions (a write: HTTP, GraphQL, the write pipeline, a dozen statements) reaches its
   * steady cost only after thousands of requests: measured on the project machine, a fresh
   * server's `setItemStatus` cost 1.4 ms of CPU over its first 1,500 writes and 0.75–0.8 ms from
   * about the 6,000th on, falling 10–35% every 1,500 writes until then; a fixed two seconds of
   * warm-up measured the start of that descent. So the first warm-up of a load runs in batches
   * of about half a second, gathered into windows of `warmWindowSeconds` and at least
   * `windowRequests` requests, until a window's CPU per request is no more than 5% below the
   * window's before it (at most `capSeconds`). The descent follows how often the code has run,
   * not the clock: on a machine a third as fast, 2 s held about 400 writes, the CPU per write
   * fell by less than 5% between two such windows while still on its way down, and the warm-up
   * stopped after 635 writes at 4.7 ms a write (2.7–3.3 ms after 7,000). So the write loads'
   * windows hold at least 1,500 writes or 100 bulk calls. Later loads of the same name on the
   * same process warm up for a quarter of `warmUpSeconds` (V8 drops the compiled code of
   * functions that sat idle while other loads ran, and caches and the page cache fill again).
   * The warm-up's last batch tells the rate from which the number of requests is set.
   */
  measure = (
    name: string,
    options: Omit<LoadOptions, 'amount'>,
    extra: MeasureExtra = {},
  ): Promise<LoadResult> =>
    this.withOthersPaused(options.server, () => this.warmAndMeasure(name, options, extra));

  /**
   * `work` with every server but `server` paused (SIGSTOP), resumed after however it ends. They
   * all share core 0: another's collector finishing the garbage of its last 10,000-node answer,
   * or its timers, would take turns on the core and its caches during the load.
   */
  async withOthersPaused<T>(server: ServerProcess, work: () => Promise<T>): Promise<T> {
    const others = this.o.servers().filter((other) => other !== server);
    for (const other of others) other.pause();
    try {
      return await work();
    } finally {
      for (const other of others) other.resume();
    }
  }

  /**
   * An open-loop load at `rate` requests a second for about two measuring times
   * (`openLoopSeconds` at least), the other servers paused, after the same load has warmed the
   * server up closed-loop as `measure` does. Without the warm-up the write server, idle since its
   * last S5 load minutes before, fell behind at half its measured capacity: 295 ms at the
   * median, the queue growing through the load.
   */
  atFixedRate(
    name: string,
    options: Omit<LoadOptions, 'amount' | 'rate'>,
    rate: number,
  ): Promise<OpenLoop> {
    return this.withOthersPaused(options.server, async () => {
      await this.warmAndMeasure(name, options);
      const perSecond = Math.max(1, Math.floor(rate));
      await loopSince(options.server); // the open loop's own longest block from here
      const waitedBefore = options.server.mainThreadWaitNs();
      const result = await runLoad({
        ...options,
        rate: perSecond,
        amount: Math.max(
          32,
          Math.round(perSecond * Math.max(this.o.seconds * 2, this.openLoopSeconds)),
        ),
      });
      const coreWaitMs = (options.server.mainThreadWaitNs() - waitedBefore) / 1e6;
      return { result, ...(await loopSince(options.server)), coreWaitMs };
    });
  }

  /**
   * Waits until every server idles (under 5% of a core over half a second): a server starts
   * with work of its own (tally snapshots of a million items take tens of seconds), and all of
   * them share one core, so any measurement taken meanwhile would pay for it.
   */
  async settle(servers: readonly ServerProcess[]): Promise<void> {
    const until = Date.now() + (this.o.smoke ? 20_000 : 180_000);
    for (const server of servers) {
      for (;;) {
        const before = server.cpuNs();
        await new Promise((r) => setTimeout(r, 500));
        if (server.cpuNs() - before < 0.05 * 500e6 || Date.now() > until) break;
      }
    }
  }

  private ratesOf(server: ServerProcess): Map<string, number> {
    let rates = this.ratesByServer.get(server);
    if (!rates) this.ratesByServer.set(server, (rates = new Map()));
    return rates;
  }

  private async warmAndMeasure(
    name: string,
    options: Omit<LoadOptions, 'amount'>,
    {
      share = 1,
      beforeMeasured,
      windowRequests = 0,
      capSeconds = this.warmUpCapSeconds,
      measuredRequests = 0,
    }: MeasureExtra = {},
  ): Promise<LoadResult> {
    const minimum = options.connections * 2;
    const rates = this.ratesOf(options.server);
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
        if (window.seconds < this.warmWindowSeconds || window.requests < windowRequests) continue;
        windows.push(window);
        window = { cpuUs: 0, requests: 0, seconds: 0 };
        const [before, last] = windows.slice(-2);
        if (before && last && perRequest(last) >= 0.95 * perRequest(before)) break;
      }
      this.warmedWith.set(name, requests);
    } else {
      for (let spent = 0; spent < this.o.warmUpSeconds / 4;) {
        const warm = await runLoad({ ...options, amount });
        spent += warm.seconds;
        rates.set(name, warm.perSecond);
        amount = Math.max(minimum, Math.floor(warm.perSecond / 4));
      }
    }
    await beforeMeasured?.();
    const result = await runLoad({
      ...options,
      amount: Math.max(
        minimum,
        measuredRequests,
        Math.round(rates.get(name)! * this.o.seconds * share),
      ),
    });
    rates.set(name, result.perSecond);
    return result;
  }
}
