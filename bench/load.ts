import { Client, type Dispatcher } from 'undici';
import type { ServerProcess } from './server-process.js';

/**
 * Load from this process (pinned to the other core) over undici connections, every response
 * body checked as bytes, the server's CPU read around the run. A run is a fixed number of
 * requests rather than a time, so no request is in flight at either end and CPU ÷ requests is
 * exact. Closed loop (a fixed number of connections, each sending as soon as its answer
 * arrives) for capacity; open loop (requests due at a fixed overall rate, each one's latency
 * counted from when it was due, so a request that waited for a busy connection counts its
 * wait: no coordinated omission) for latency at a given load.
 *
 * Why not a load tool that hands checks text (autocannon, until the twenty-third session): it
 * turned each network chunk of a body into a string and joined them, and a 1,000-workstream
 * dashboard (330 kB, names in Chinese) then cost this process 0.9 ms a request against the
 * server's 0.5 ms. Its core was 94–100% busy while the server's was 50–65%, so the dashboard's
 * throughput measured the load generator. Bytes are compared as bytes here.
 */
export interface LoadOptions {
  readonly server: ServerProcess;
  /** How many requests: the run ends when the last one is answered, none left in flight. */
  readonly amount: number;
  readonly connections: number;
  readonly headers?: Record<string, string>;
  /** A fixed body, or one made fresh for each request. */
  readonly body: string | (() => string);
  /** True when a response body (its bytes, as received) is the right answer. */
  readonly verify: (body: Buffer) => boolean;
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
  /**
   * How busy this process (the load generator, all its threads) was over the run, as a share
   * of one core: near 1, a closed loop's throughput is the generator's rather than the server's.
   */
  readonly generatorBusy: number;
}

export class BodyCheckError extends Error {}

/**
 * How busy the load generator was over a load, for a figure's details: a throughput taken with
 * it near a whole core is the generator's, not the server's, and the text says so.
 */
export const generatorBusy = (l: LoadResult): string =>
  `${Math.round(100 * l.generatorBusy)}%${l.generatorBusy >= 0.9 ? ' (its own limit: this throughput is the generator’s)' : ''}`;

/** The server's own request deadline (10 s) is what bounds a slow answer; the client waits past it. */
const TIMEOUT_MS = 30_000;

interface Answer {
  readonly status: number;
  /** The body's bytes: a view of the connection's buffer, good until its next request. */
  readonly body: Buffer;
}

/**
 * One connection: one request at a time, each answer's bytes gathered into a buffer the
 * connection keeps (grown when an answer is bigger), so a load of large answers allocates
 * nothing per request. Allocating each answer afresh (330 kB a dashboard) kept this process's
 * collector busy for a quarter of its time.
 */
class Connection {
  private buffer = Buffer.allocUnsafe(64 * 1024);
  readonly client: Client;

  constructor(url: string) {
    this.client = new Client(url, {
      pipelining: 1,
      headersTimeout: TIMEOUT_MS,
      bodyTimeout: TIMEOUT_MS,
      keepAliveTimeout: 60_000,
    });
  }

  send(headers: Record<string, string>, body: Buffer | string): Promise<Answer> {
    return new Promise((resolve, reject) => {
      let status = 0;
      let length = 0;
      // onRequestStart is what tells undici this handler speaks its current interface.
      const handler: Dispatcher.DispatchHandler = {
        onRequestStart: () => {},
        onResponseStart: (_controller, statusCode) => void (status = statusCode),
        onResponseData: (_controller, chunk) => {
          if (length + chunk.length > this.buffer.length) {
            const bigger = Buffer.allocUnsafe(
              Math.max(2 * this.buffer.length, length + chunk.length),
            );
            this.buffer.copy(bigger, 0, 0, length);
            this.buffer = bigger;
          }
          length += chunk.copy(this.buffer, length);
        },
        onResponseEnd: () => resolve({ status, body: this.buffer.subarray(0, length) }),
        onResponseError: (_controller, error) => reject(error),
      };
      this.client.dispatch({ path: '/graphql', method: 'POST', headers, body }, handler);
    });
  }
}

/** The nearest-rank percentile: the smallest value with at least `share` of `sorted` at or below it. */
const percentile = (sorted: Float64Array, share: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.max(0, Math.ceil(share * sorted.length) - 1)]!;

/**
 * Until `due` (a `performance.now()` time). Node keeps a timer's start in whole milliseconds,
 * so a timer can fire up to a millisecond early: the request would go out before it is due and
 * its latency read short. Waits again until the time has really come.
 */
async function until(due: number): Promise<void> {
  for (let wait = due - performance.now(); wait > 0; wait = due - performance.now())
    await new Promise((r) => setTimeout(r, wait));
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { server, amount, rate } = options;
  if (!Number.isInteger(amount) || amount < 1)
    throw new RangeError(`a load is a whole number of requests, not ${amount}`);
  const headers = { 'content-type': 'application/json', ...options.headers };
  const fixed = typeof options.body === 'string' ? Buffer.from(options.body) : null;
  const bodyOf = typeof options.body === 'string' ? () => fixed! : options.body;
  // A load smaller than its connections runs one connection a request.
  const connections = Array.from(
    { length: Math.max(1, Math.min(options.connections, amount)) },
    () => new Connection(server.url),
  );
  const latencies = new Float64Array(amount);
  const failed = { errors: 0, non2xx: 0, mismatches: 0 };
  let firstFailure = '';
  let next = 0;
  const interval = rate ? 1000 / rate : 0;
  const cpuBefore = server.cpuNs();
  const generatorBefore = process.cpuUsage();
  const started = performance.now();
  const run = async (connection: Connection) => {
    for (let i = next++; i < amount; i = next++) {
      const due = rate ? started + i * interval : performance.now();
      await until(due);
      try {
        const answer = await connection.send(headers, bodyOf());
        latencies[i] = performance.now() - due;
        if (answer.status < 200 || answer.status >= 300) failed.non2xx++;
        else if (!options.verify(answer.body)) failed.mismatches++;
        else continue;
        firstFailure ||= `status ${answer.status}: ${answer.body.subarray(0, 300).toString()}`;
      } catch (error) {
        latencies[i] = performance.now() - due;
        failed.errors++;
        firstFailure ||= String(error);
      }
    }
  };
  let seconds: number;
  let cpuNs: number;
  let generator: NodeJS.CpuUsage;
  try {
    await Promise.all(connections.map(run));
    // Read before the connections close: their teardown, here and in the server, is not the load's.
    seconds = (performance.now() - started) / 1000;
    cpuNs = server.cpuNs() - cpuBefore;
    generator = process.cpuUsage(generatorBefore);
  } finally {
    await Promise.all(connections.map((c) => c.client.close()));
  }
  const failures = failed.errors + failed.non2xx + failed.mismatches;
  if (failures > 0)
    throw new BodyCheckError(
      `${amount} requests: ${failed.errors} errors, ${failed.non2xx} non-2xx, ${failed.mismatches} bodies not as expected; first: ${firstFailure}`,
    );
  const sorted = latencies.sort();
  return {
    requests: amount,
    seconds,
    perSecond: amount / seconds,
    cpuUs: cpuNs / 1000 / amount,
    latencyMs: {
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
      max: sorted[sorted.length - 1] ?? 0,
    },
    generatorBusy: (generator.user + generator.system) / 1000 / (seconds * 1000),
  };
}
