import { Worker } from 'node:worker_threads';

export interface LivezReport {
  /** Answers received. */
  readonly count: number;
  /** The slowest round trip, in ms. */
  readonly slowestMs: number;
  /** The first answer other than 200, or the first failed request, if any. */
  readonly failure: string | null;
}

// Plain JavaScript: a worker given source text runs it as a CommonJS script.
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
let running = true;
let count = 0, slowestMs = 0, failure = null;
parentPort.on('message', (m) => {
  if (m === 'read') parentPort.postMessage({ count, slowestMs, failure });
  else running = false;
});
(async () => {
  while (running) {
    const started = performance.now();
    try {
      const res = await fetch(workerData.url);
      await res.arrayBuffer();
      if (!running) break;
      if (res.status !== 200) failure ??= 'HTTP ' + res.status;
    } catch (err) {
      if (!running) break;
      failure ??= String(err);
    }
    slowestMs = Math.max(slowestMs, performance.now() - started);
    count++;
    await new Promise((r) => setTimeout(r, workerData.everyMs));
  }
  parentPort.postMessage({ count, slowestMs, failure });
})();
`;

/**
 * Polls a server's /livez from a worker thread until stopped. The test's own thread parses and
 * costs large queries between requests; a poller on that thread measured those pauses as the
 * server's (a 2.3 s "answer" on a busy machine while the server's loop never held 100 ms).
 */
export function pollLivez(
  baseUrl: string,
  everyMs = 50,
): { read(): Promise<LivezReport>; stop(): Promise<LivezReport> } {
  const worker = new Worker(SOURCE, {
    eval: true,
    workerData: { url: `${baseUrl}/livez`, everyMs },
  });
  let stopped: Promise<LivezReport> | null = null;
  const ask = (message: 'read' | 'stop') =>
    new Promise<LivezReport>((resolve, reject) => {
      worker.once('message', (report: LivezReport) => resolve(report));
      worker.once('error', reject);
      worker.postMessage(message);
    });
  return {
    read: () => stopped ?? ask('read'),
    stop: () =>
      (stopped ??= ask('stop').then(async (report) => {
        await worker.terminate();
        return report;
      })),
  };
}
