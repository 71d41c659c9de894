import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * How this Node keeps AsyncLocalStorage (MikroORM's transaction context, attributed writes):
 * `frames` with `--experimental-async-context-frame` (the npm scripts set it in .npmrc; Node 24's
 * default), `async hooks` without it, which tracks every promise and costs a few percent of each
 * request. The hook-based storage has a `_propagate` method; the frame-based one has none.
 */
export function asyncContextKind(): 'frames' | 'async hooks' {
  return '_propagate' in AsyncLocalStorage.prototype ? 'async hooks' : 'frames';
}
