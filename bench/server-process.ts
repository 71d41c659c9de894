import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus } from 'node:os';
import { NODE_FLAGS } from '../src/server/async-context.js';
import { TYPENAME } from './queries.js';

/**
 * A server under test in its own process, pinned to one core with `taskset`, read from the
 * outside: CPU time from the kernel's per-thread schedstat (nanoseconds, every thread of the
 * process), peak RSS from /proc (VmHWM), so nothing in the server is instrumented for the bench.
 */
export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  /** CPU time the process has used so far, all threads, in nanoseconds. */
  cpuNs(): number;
  /**
   * Time the main thread (the event loop) has spent runnable but waiting for its core so far,
   * in nanoseconds: the kernel's schedstat, so the server's own work is not in it.
   */
  mainThreadWaitNs(): number;
  /** Peak resident set size so far (since the last reset), in bytes. */
  peakRssBytes(): number;
  /** Starts a new peak from the current RSS (Linux: /proc/<pid>/clear_refs). */
  resetPeakRss(): void;
  /**
   * Stops the process where it stands (SIGSTOP), so it takes no turn on its core while
   * another server is measured there; `resume` (SIGCONT) lets it go on. Call only when no
   * request to it is in flight. Pauses nest: a process paused twice goes on after the second
   * resume, so a measurement that pauses the others can run inside one that already did.
   */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly name: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly core: number;
  readonly logFile: string;
  /** True once the server answers; the default asks GET /livez. */
  readonly ready?: (url: string) => Promise<boolean>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const livez = async (url: string) => (await fetch(`${url}/livez`)).ok;

/**
 * A Jindu server's environment as the bench runs one: as `npm start` runs it (production), on
 * the SQLite file `file`, with no seed and no rate limit, and `extra` on top.
 */
export const jinduEnv = (file: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  ...process.env,
  DATABASE_URL: `sqlite:${file}`,
  JINDU_SEED: 'none',
  JINDU_RATE_LIMIT: '0',
  NODE_ENV: 'production',
  ...extra,
});

export function cpuNsOf(pid: number): number {
  let total = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return total;
}

function peakRssOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmHWM:'));
  return Number(line?.match(/(\d+)/)?.[1] ?? 0) * 1024;
}

export async function startServer(options: StartOptions): Promise<ServerProcess> {
  const port = await freePort();
  const log = openSync(options.logFile, 'a');
  const child: ChildProcess = spawn(
    'taskset',
    // Every server with the options `npm start` gives Jindu's (bare Apollo and the floor too).
    ['-c', String(options.core), process.execPath, ...NODE_FLAGS, ...options.args],
    { env: { ...options.env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', log, log] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`${options.name} exited (${child.exitCode}); see ${options.logFile}`);
    try {
      if (await (options.ready ?? livez)(url)) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      // Not left running: a child that never answered would hold its port and file.
      child.kill('SIGKILL');
      await exited;
      throw new Error(`${options.name} did not start; see ${options.logFile}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const pid = child.pid!;
  let pauses = 0;
  return {
    url,
    pid,
    cpuNs: () => {
      try {
        return cpuNsOf(pid);
      } catch (err) {
        // The process is gone: say which server, and where its last words are.
        throw new Error(`${options.name} is no longer running; see ${options.logFile}`, {
          cause: err,
        });
      }
    },
    mainThreadWaitNs: () =>
      Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[1]),
    peakRssBytes: () => peakRssOf(pid),
    resetPeakRss: () => writeFileSync(`/proc/${pid}/clear_refs`, '5'),
    pause: () => {
      if (pauses++ === 0) child.kill('SIGSTOP');
    },
    resume: () => {
      if (pauses > 0 && --pauses === 0) child.kill('SIGCONT');
    },
    async stop() {
      child.kill('SIGTERM');
      child.kill('SIGCONT'); // a paused process acts on the SIGTERM only once it runs again
      await exited;
    },
  };
}

/**
 * Pins this process (the load generator, all its threads) to core 1, so servers started on
 * core 0 have a core of their own. Returns the servers' core, or -1 when it cannot pin (one
 * core, no taskset): figures are noisier then.
 */
export function pinLoadGenerator(): number {
  if (cpus().length < 2) return -1;
  try {
    execFileSync('taskset', ['-a', '-cp', '1', String(process.pid)], { stdio: 'ignore' });
    return 0;
  } catch {
    return -1;
  }
}

/**
 * Runs `work` in this process on the servers' core (0) with `server` paused, then moves back to
 * the load generator's core (1): an in-process baseline (the raw transaction) measured on the
 * core the server is measured on. Without pinning (`pinLoadGenerator` gave -1), just runs it.
 */
export function onServersCore<T>(pinned: boolean, server: ServerProcess, work: () => T): T {
  if (!pinned) return work();
  server.pause();
  execFileSync('taskset', ['-a', '-cp', '0', String(process.pid)], { stdio: 'ignore' });
  try {
    return work();
  } finally {
    execFileSync('taskset', ['-a', '-cp', '1', String(process.pid)], { stdio: 'ignore' });
    server.resume();
  }
}

/**
 * The S3 baseline (bench/jit-floor.ts, compiled by `npm run build`), answering over the answers
 * in `answers` (initiative key → file of Jindu's first answer).
 */
export function startJitFloor(
  answers: Readonly<Record<string, string>>,
  core: number,
  logFile: string,
): Promise<ServerProcess> {
  return startServer({
    name: 'graphql-jit floor',
    args: ['dist/bench/jit-floor.js'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      JINDU_FLOOR_ANSWERS: Object.entries(answers)
        .map(([key, file]) => `${key}=${file}`)
        .join(','),
    },
    core,
    logFile,
  });
}

/** The S1 baseline (bench/bare-apollo.ts, compiled by `npm run build`), ready once it answers. */
export function startBareApollo(core: number, logFile: string): Promise<ServerProcess> {
  return startServer({
    name: 'bare Apollo',
    args: ['dist/bench/bare-apollo.js'],
    env: { ...process.env, NODE_ENV: 'production' },
    core,
    logFile,
    ready: async (url) =>
      (
        await fetch(`${url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: TYPENAME,
        })
      ).ok,
  });
}

/**
 * The server's own longest event-loop delay and its collector's pauses since the previous call
 * (GET /metrics, a Jindu server's).
 */
export async function loopSince(
  server: ServerProcess,
): Promise<{ blockMs: number; gcPauses: { totalMs: number; longestMs: number } }> {
  const res = await fetch(`${server.url}/metrics`);
  const metrics = (await res.json()) as {
    eventLoopDelayMs: { max: number };
    gcPauses: { totalMs: number; longestMs: number };
  };
  return { blockMs: metrics.eventLoopDelayMs.max, gcPauses: metrics.gcPauses };
}

/** The server's own longest event-loop delay since the previous call (GET /metrics). */
export const longestLoopDelayMs = async (server: ServerProcess): Promise<number> =>
  (await loopSince(server)).blockMs;
