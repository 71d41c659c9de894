import { createHistogram, PerformanceObserver, type RecordableHistogram } from 'node:perf_hooks';

/**
 * What GET /metrics reports of the process: memory, uptime, the event loop's delay and the
 * garbage collector's pauses since the previous read, so each read covers the interval since
 * the one before, as a scraper polling it expects. Node samples the loop every 5 ms and records
 * the time between samples, so an idle loop reads about 5 ms and a 40 ms block about 45 ms. A
 * long delay with no long pause beside it was not the collector: the process's own work, or a
 * wait for its core.
 */
export interface ProcessMetrics {
  readonly uptimeSeconds: number;
  readonly memory: { readonly rssBytes: number; readonly heapUsedBytes: number };
  readonly eventLoopDelayMs: {
    readonly mean: number;
    readonly p99: number;
    readonly max: number;
  };
  /** Collections that paused the main thread (every kind V8 reports), and how long. */
  readonly gcPauses: {
    readonly count: number;
    readonly totalMs: number;
    readonly longestMs: number;
  };
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/** How often the loop is sampled. */
const SAMPLE_MS = 5;

export class MetricsSource {
  /**
   * The gaps between samples since the previous read. Node's own `monitorEventLoopDelay` is not
   * used: its `reset()` also forgets when it last sampled, so the first gap after a read is
   * never recorded, and a block that began within 5 ms of a read went unreported (a test that
   * blocked the loop right after reading saw 6 ms for an 80 ms block).
   */
  private gaps: RecordableHistogram = createHistogram();
  private last = process.hrtime.bigint();
  private readonly timer = setInterval(() => this.sample(), SAMPLE_MS).unref();
  private pauses = { count: 0, totalMs: 0, longestMs: 0 };
  /**
   * Node reports each collection's main-thread pause (V8's prologue to epilogue) as a `gc`
   * entry, delivered a few at a time after the pauses; every entry counts.
   */
  private readonly collections = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      this.pauses.count++;
      this.pauses.totalMs += entry.duration;
      if (entry.duration > this.pauses.longestMs) this.pauses.longestMs = entry.duration;
    }
  });

  constructor() {
    this.collections.observe({ entryTypes: ['gc'] });
  }

  /** Ends the gap under way: records it and starts the next. */
  private sample(): void {
    const now = process.hrtime.bigint();
    this.gaps.record(Number(now - this.last) || 1);
    this.last = now;
  }

  /** The figures since the previous read (the event-loop histogram starts over). */
  read(): ProcessMetrics {
    const ms = (ns: number) => Math.round((Number.isFinite(ns) ? ns : 0) / 1e4) / 100;
    const memory = process.memoryUsage();
    // The gap under way ends here and counts in this read (the next starts now): a read that is
    // the loop's first task after a block has not been sampled yet.
    this.sample();
    const gaps = this.gaps;
    const metrics: ProcessMetrics = {
      uptimeSeconds: Math.round(process.uptime()),
      memory: { rssBytes: memory.rss, heapUsedBytes: memory.heapUsed },
      eventLoopDelayMs: {
        mean: ms(gaps.mean),
        p99: ms(gaps.percentile(99)),
        max: ms(gaps.max),
      },
      gcPauses: {
        count: this.pauses.count,
        totalMs: round(this.pauses.totalMs),
        longestMs: round(this.pauses.longestMs),
      },
    };
    this.gaps = createHistogram();
    this.pauses = { count: 0, totalMs: 0, longestMs: 0 };
    return metrics;
  }

  stop(): void {
    clearInterval(this.timer);
    this.collections.disconnect();
  }
}
