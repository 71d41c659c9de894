/**
 * Unit and integration files share a worker, and its modules, from one file to the next
 * (vitest.config.ts). These need a worker of their own:
 * - those that `vi.mock` a module: the mock would meet the real module another file imported;
 * - those that measure the process itself (its collector, its event loop's delay), which what
 *   earlier files left behind in a shared worker would move;
 * - one that counts PostgreSQL's named statements, whose budget of names is per process
 *   (src/db/pg-named-statements.ts).
 * test/unit/own-worker.test.ts finds the first two kinds by what their text calls.
 */
export const OWN_WORKER: readonly string[] = [
  'test/integration/import-event-loop.test.ts',
  'test/integration/import-plan-snapshot.test.ts',
  'test/integration/metrics.test.ts',
  'test/integration/pg-bound-parameters.test.ts',
  'test/integration/request-garbage.test.ts',
  'test/integration/webhook-idle.test.ts',
  'test/unit/server/process-metrics.test.ts',
];

/** What a file that needs its own worker calls (see above). */
export const NEEDS_OWN_WORKER: readonly RegExp[] = [
  /\bvi\.(do)?[Mm]ock\(/,
  /\bGCProfiler\b/,
  /\beventLoopDelay/,
  /\bmonitorEventLoopDelay\b/,
  /\bpollLivez\(/,
];
