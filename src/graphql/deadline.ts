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

  constructor(
    readonly at: number,
    private readonly timeoutMs: number,
    private readonly stopping: AbortSignal,
  ) {}

  /** Throws TIMEOUT when the time is up (or the server stops); yields when the slice is used. */
  async check(): Promise<void> {
    this.throwIfOver();
    if (performance.now() - this.sliceStart < SLICE_MS) return;
    await nextTurn();
    this.sliceStart = performance.now();
    this.throwIfOver();
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
