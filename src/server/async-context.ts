import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Each of the young generation's two halves may grow to this many MB (V8's default: 16). A
 * dashboard of a large tree builds its answer as one tree of objects that stays alive until it
 * is written out; with 16 MB halves the collector copied that tree again at every young
 * collection and promoted it, 32–47% of the server's CPU in profiles of the 10,000-workstream
 * dashboard. With 32 MB halves that dashboard took about 30% less CPU (about 125 → 89 ms a
 * request, four clients, kept answers off). The young generation may then hold 32 MB more:
 * peak resident memory with kept answers on rose 20 MB in that script (206 → 226 MB). 64 MB
 * halves saved about 45% but cost 60 MB more.
 */
export const YOUNG_SEMI_SPACE_MB = 32;

/**
 * The options Node is started with wherever Jindu runs a server: `npm start` and `npm run
 * jindu` (package.json), the test workers (vitest.config.ts), the servers tests and the bench
 * start. `--experimental-async-context-frame` (Node ≥ 22.7; Node 24's default) keeps
 * AsyncLocalStorage (MikroORM's transaction context, attributed writes) in async context
 * frames instead of async hooks that track every promise, a few percent of each request.
 * `--max-semi-space-size` (YOUNG_SEMI_SPACE_MB) lets V8's young generation grow to twice the
 * default: see YOUNG_SEMI_SPACE_MB.
 * Given as arguments, not NODE_OPTIONS: `npm ci` runs install scripts with whatever `node` the
 * machine has, and Node 20 refuses the option there.
 */
export const NODE_FLAGS: readonly string[] = [
  '--experimental-async-context-frame',
  `--max-semi-space-size=${YOUNG_SEMI_SPACE_MB}`,
];

/**
 * How this Node keeps AsyncLocalStorage: `frames` with NODE_FLAGS, `async hooks` without them.
 * The hook-based storage has a `_propagate` method; the frame-based one has none.
 */
export function asyncContextKind(): 'frames' | 'async hooks' {
  return '_propagate' in AsyncLocalStorage.prototype ? 'async hooks' : 'frames';
}
