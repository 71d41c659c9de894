import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';
import { NODE_FLAGS } from './src/server/async-context.js';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 ships index.js and index.mjs; Node gives type-graphql and Apollo the .js one,
    // so tests must import that same copy or instanceof checks fail across two realms.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/helpers/setup.ts'],
    // Servers the tests start run each query through both executors and fail on any difference.
    env: { JINDU_EXECUTOR: 'compare' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // As `npm start` runs the server (src/server/async-context.ts).
    execArgv: [...NODE_FLAGS],
    // Two cores: files that start servers or hammer a database do better without oversubscription.
    maxWorkers: 2,
  },
});
