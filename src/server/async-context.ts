import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The options Node is started with wherever Jindu runs a server: `npm start` and `npm run
 * jindu` (package.json), the test workers (vitest.config.ts), the servers tests and the bench
 * start. `--experimental-async-context-frame` (Node ≥ 22.7; Node 24's default) keeps
 * AsyncLocalStorage (MikroORM's transaction context, attributed writes) in async context
 * frames instead of async hooks that track every promise, a few percent of each request.
 * Given as arguments, not NODE_OPTIONS: `npm ci` runs install scripts with whatever `node` the
 * machine has, and Node 20 refuses the option there.
 */
export const NODE_FLAGS: readonly string[] = ['--experimental-async-context-frame'];

/**
 * How this Node keeps AsyncLocalStorage: `frames` with NODE_FLAGS, `async hooks` without them.
 * The hook-based storage has a `_propagate` method; the frame-based one has none.
 */
export function asyncContextKind(): 'frames' | 'async hooks' {
  return '_propagate' in AsyncLocalStorage.prototype ? 'async hooks' : 'frames';
}
