import autocannon from 'autocannon';
import type { ServerProcess } from './server-process.js';

/**
 * Load from this process (pinned to the other core) with autocannon, every response body
 * checked, the server's CPU read around the run. A run is a fixed number of requests rather than
 * a time, so no request is in flight at either end and CPU ÷ requests is exact. Closed loop (a fixed number of connections,
 * each sending as soon as its answer arrives) for capacity; open loop (a fixed overall rate,
 * latencies corrected for coordinated omission) for latency at a given load.
 */
export interface LoadOptions {
  readonly server: ServerProcess;
  /** How many requests: the run ends when the last one is answered, none left in flight. */
  readonly amount: number;
  readonly connections: number;
  readonly headers?: Record<string, string>;
  /** A fixed body, or one made fresh for each request. */
  readonly body: string | (() => string);
  /** True when a response body is the right answer. */
  readonly verify: (body: string) => boolean;
  /** Open loop: requests per second across all connections. */
  readonly rate?: number;
}

export interface LoadResult {
  readonly requests: number;
  readonly seconds: number;
  readonly perSecond: number;
  /** Server CPU time per request, microseconds. */
  readonly cpuUs: number;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
}

export class BodyCheckError extends Error {}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { server, body } = options;
  const headers = { 'content-type': 'application/json', ...options.headers };
  const cpuBefore = server.cpuNs();
  const started = performance.now();
  const result = await autocannon({
    url: `${server.url}/graphql`,
    // autocannon refuses more connections than requests; a load that small runs one a request.
    connections: Math.min(options.connections, options.amount),
    amount: options.amount,
    // The server's own request deadline (10 s) is what bounds a slow answer; the client waits past it.
    timeout: 30,
    sampleInt: 10, // it notices the end of a run at its next sample: the default 1 s would idle
    ...(options.rate ? { overallRate: options.rate } : {}),
    requests: [
      {
        method: 'POST',
        path: '/graphql',
        headers,
        ...(typeof body === 'string'
          ? { body }
          : { setupRequest: (req: autocannon.Request) => ({ ...req, body: body() }) }),
      },
    ],
    verifyBody: (body) => typeof body === 'string' && options.verify(body),
  });
  const seconds =
    (result.finish.getTime() - result.start.getTime()) / 1000 ||
    (performance.now() - started) / 1000;
  const cpuNs = server.cpuNs() - cpuBefore;
  const failed = result.errors + result.timeouts + result.non2xx + result.mismatches;
  if (failed > 0 || result.requests.total === 0) {
    throw new BodyCheckError(
      `${result.requests.total} requests: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx, ${result.mismatches} bodies not as expected`,
    );
  }
  const requests = result.requests.total;
  return {
    requests,
    seconds,
    perSecond: requests / seconds,
    cpuUs: cpuNs / 1000 / requests,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
  };
}
