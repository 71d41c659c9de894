import { createRequire } from 'node:module';

/** What graphql-jit's runtime gives its compiled queries, as far as this file relies on it. */
interface JitContext {
  promiseCounter: number;
  resolve(ctx: JitContext): void;
  errors: unknown[];
  GraphQLError: new (
    message: string,
    locations?: unknown,
    path?: unknown,
    original?: unknown,
  ) => unknown;
}
type Handler = (value: unknown) => void;
interface JitRuntime {
  isPromise(value: unknown): boolean;
  handleResolverResult(ctx: JitContext, value: unknown, ok: Handler, failed: Handler): void;
  handleListItemResult(ctx: JitContext, value: unknown, ok: Handler, failed: Handler): void;
}

/**
 * graphql-jit reads a field without a resolver (a getter of our types: `overdue`, `percent`)
 * inline, in the continuation of the promise its parent's resolver returned. What such a read
 * throws was lost there: it became an unhandled rejection, which ended the process, and the
 * query's count of pending promises never reached zero, so its answer never came. One row the
 * getter could not read (a milestone stored with an unknown precision) ended the server for
 * anyone who read it.
 *
 * The runtime's two promise handlers are replaced by the same code with the continuation
 * guarded: what it throws becomes an error of the query's answer, and the promise still counts
 * as settled. A query with errors is then answered by graphql-js (executor.ts), which puts the
 * error at its field. graphql-jit is loaded through `require` (its ESM entry loads the CommonJS
 * files), so the runtime changed here is the one its compiled queries call.
 */
export function guardJitContinuations(): void {
  const runtime = (
    createRequire(import.meta.url)('graphql-jit/dist/runtime.js') as { jitRuntime?: JitRuntime }
  ).jitRuntime;
  if (
    !runtime ||
    typeof runtime.handleResolverResult !== 'function' ||
    typeof runtime.handleListItemResult !== 'function'
  )
    throw new Error(
      "graphql-jit's runtime has changed (no handleResolverResult): see src/server/jit-continuations.ts",
    );
  if ((runtime as { guarded?: boolean }).guarded) return;
  const handle = (ctx: JitContext, value: unknown, ok: Handler, failed: Handler) => {
    if (!runtime.isPromise(value)) {
      ok(value);
      return;
    }
    ++ctx.promiseCounter;
    const settled = (then: Handler) => (result: unknown) => {
      try {
        then(result);
      } catch (err) {
        ctx.errors.push(lostError(ctx, err));
      }
      if (--ctx.promiseCounter === 0) ctx.resolve(ctx);
    };
    (value as Promise<unknown>).then(settled(ok), settled(failed));
  };
  runtime.handleResolverResult = handle;
  runtime.handleListItemResult = handle;
  (runtime as { guarded?: boolean }).guarded = true;
}

function lostError(ctx: JitContext, err: unknown) {
  const error = err instanceof Error ? err : new Error(String(err));
  return new ctx.GraphQLError(error.message, undefined, undefined, error);
}
