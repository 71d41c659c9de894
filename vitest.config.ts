import { createRequire } from 'node:module';
import { configDefaults, defineConfig } from 'vitest/config';
import { NODE_FLAGS } from './src/server/async-context.js';
import { OWN_WORKER } from './test/helpers/own-worker.js';

const require = createRequire(import.meta.url);

/** Test files that measure time and run with no other file beside them. */
const ALONE = 'test/e2e/hostile-queries.test.ts';

/** Unit and integration files: in-process, sharing a worker's modules (see `in-process` below). */
const IN_PROCESS = ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'];

export default defineConfig({
  resolve: {
    // graphql 16 ships index.js and index.mjs; Node gives type-graphql and Apollo the .js one,
    // so tests must import that same copy or instanceof checks fail across two realms.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    setupFiles: ['test/helpers/setup.ts'],
    // Servers the tests start run each query through both executors and fail on any difference.
    env: { JINDU_EXECUTOR: 'compare' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // expect.poll's own default (1 s) is shorter than a browser's answer takes on a busy CI
    // machine: a poll left without a timeout failed there while the page was still correct.
    expect: { poll: { timeout: 10_000 } },
    pool: 'forks',
    // As `npm start` runs the server (src/server/async-context.ts).
    execArgv: [...NODE_FLAGS],
    // Two cores: files that start servers or hammer a database do better without oversubscription.
    maxWorkers: 2,
    // R8 times /livez while the largest allowed queries run: that file runs last, on its own,
    // so the figure is the server's and not that of whatever file shares the machine with it.
    projects: [
      {
        extends: true,
        test: {
          // These files run in a worker that keeps its modules from one file to the next:
          // importing the app again for each of ~140 files took a quarter of their time
          // (integration alone, 2026-12-06: 221 s each file isolated, 112 s sharing). Each file
          // still builds its own apps and databases (test/helpers/test-app.ts).
          name: 'in-process',
          include: IN_PROCESS,
          exclude: [...configDefaults.exclude, ...OWN_WORKER],
          isolate: false,
        },
      },
      {
        extends: true,
        test: { name: 'own-worker', include: [...OWN_WORKER] },
      },
      {
        extends: true,
        // Everything else (servers, CLIs and browsers in their own processes), a fresh worker
        // for each file: no file can fall between the projects.
        test: {
          name: 'isolated',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...IN_PROCESS, ALONE],
        },
      },
      {
        extends: true,
        test: { name: 'alone', include: [ALONE], sequence: { groupOrder: 1 } },
      },
    ],
  },
});
