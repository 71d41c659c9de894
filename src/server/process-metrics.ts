import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/**
 * What GET /metrics reports of the process: memory, uptime, and the event loop's delay since
 * the previous read, so each read covers the interval since the one before, as a scraper
 * polling it expects. Node samples the loop every 5 ms and records the time between samples,
 * so an idle loop reads about 5 ms and a 40 ms block about 45 ms.
 */
export interface ProcessMetrics {
  readonly uptimeSeconds: number;
  readonly memory: { readonly rssBytes: number; readonly heapUsedBytes: number };
  readonly eventLoopDelayMs: {
    readonly mean: number;
    readonly p99: number;
    readonly max: number;
  };
}

export class MetricsSource {
  private readonly loop: IntervalHistogram = monitorEventLoopDelay({ resolution: 5 });

  constructor() {
    this.loop.enable();
  }

  /** The figures since the previous read (the event-loop histogram starts over). */
  read(): ProcessMetrics {
    const ms = (ns: number) => Math.round((Number.isFinite(ns) ? ns : 0) / 1e4) / 100;
    const memory = process.memoryUsage();
    const metrics: ProcessMetrics = {
      uptimeSeconds: Math.round(process.uptime()),
      memory: { rssBytes: memory.rss, heapUsedBytes: memory.heapUsed },
      eventLoopDelayMs: {
        mean: ms(this.loop.mean),
        p99: ms(this.loop.percentile(99)),
        max: ms(this.loop.max),
      },
    };
    this.loop.reset();
    return metrics;
  }

  stop(): void {
    this.loop.disable();
  }
}
