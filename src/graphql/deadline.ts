import { GraphQLError } from 'graphql';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Continuous work after which a request lets the event loop run (/livez, signals, others). */
const SLICE_MS = 20;

/**
 * A request's deadline, checked where resolving can multiply (each page read, each lookup). A
 * timer cannot stop a query that holds the event loop; these checks can: past the deadline, or
 * once the server is stopping, the next check throws TIMEOUT and the rest of the query is
 * skipped. Between checks the request yields every SLICE_MS, so nothing starves the process.
 */
export class Deadline {
  private sliceStart = performance.now();
  /** The turn the request's branches wait for once the slice is used; null: none pending. */
  private turn: Promise<void> | null = null;

  constructor(
    readonly at: number,
    private readonly timeoutMs: number,
    private readonly stopping: AbortSignal,
  ) {}

  /**
   * Throws TIMEOUT when the time is up (or the server stops); yields when the slice is used.
   * A query's branches (every node's forecast, every page) check at once and share one turn
   * and one slice: the slice starts when the turn comes, and a branch that resumes after
   * another has used it waits for the next turn. Each branch starting a slice of its own on
   * resuming let a hundred of them run 20 ms each, back to back, in one turn of the loop.
   */
  async check(): Promise<void> {
    for (let wait; (wait = this.yieldIfDue());) await wait;
  }

  /**
   * For work in many branches at once: throws TIMEOUT when the time is up; answers undefined
   * while the slice lasts, and otherwise the next turn of the loop to wait for. Call it in a
   * loop right before the work, `while ((wait = d.yieldIfDue())) await wait;`, so the decision
   * and the work run in one microtask. (After `await check()` the work runs a microtask later,
   * behind every other branch that passed its check meanwhile: a hundred branches each
   * passing, then each running 10 ms, held the loop for a second.)
   */
  yieldIfDue(): Promise<void> | undefined {
    this.throwIfOver();
    if (performance.now() - this.sliceStart < SLICE_MS) return undefined;
    return (this.turn ??= nextTurn().then(() => {
      this.turn = null;
      this.sliceStart = performance.now();
    }));
  }

  throwIfOver(): void {
    if (this.stopping.aborted) throw timeoutError('服务器正在停止，请稍后重试');
    if (Date.now() > this.at)
      throw timeoutError(
        `请求超过 ${this.timeoutMs / 1000} 秒未完成；写操作可能已生效，请带同一 idempotencyKey 重试`,
      );
  }
}

function timeoutError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'TIMEOUT' } });
}
