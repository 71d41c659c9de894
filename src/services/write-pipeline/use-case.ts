import type { ChangeEvent } from '../../domain/change-events.js';
import type { Em } from '../../db/em.js';
import type { Codec } from '../idempotency.js';
import type { WriteScope } from '../write-scope.js';

/** What a use-case gets: the transaction, the pipeline's clock, and the caller's scope. */
export interface WriteStep {
  readonly tem: Em;
  /**
   * The server's clock for this write, read after the pipeline's locks: every row's recordedAt,
   * and effectiveAt's default.
   */
  readonly now: Date;
  readonly actor: string;
  /** False for an initiative the caller may not change: answer NOT_FOUND. */
  readonly inScope: WriteScope;
}

export interface Outcome<R> {
  readonly result: R;
  /** What changed, in order; the pipeline logs them and derives the counter deltas. */
  readonly events: readonly ChangeEvent[];
}

/**
 * One write (createItems, moveWorkstream…). It decides and writes the rows it owns (items,
 * workstreams) and returns typed events; it never writes the log or the counters, never locks,
 * never opens a transaction: the pipeline does, so no use-case can forget one.
 *
 * `props` must be plain JSON (the idempotency key's payload hash is taken over it).
 */
export interface UseCase<P, R> {
  /** The operation's name (the mutation's), for idempotency. */
  readonly name: string;
  /** Checks that need no database; run before the transaction opens. */
  readonly validate?: (props: P) => void;
  /**
   * For writes that change a tree's shape (or must see it still): the initiative to lock before
   * `run`, read from the props' target. `run` reads its rows again after the lock.
   */
  readonly lockTarget?: (tem: Em, props: P) => Promise<number | null>;
  /**
   * For writes that change existing items: their ids, locked (PostgreSQL) before the clock is
   * read, so two writers to one item stamp their rows in commit order.
   */
  readonly lockItems?: (props: P) => readonly number[];
  /**
   * The input field an event's `effectiveAt` came from, for the pipeline's own refusal of a
   * back-dated event out of order (absent: `effectiveAt`).
   */
  readonly effectiveField?: (props: P, eventIndex: number) => readonly string[];
  /** How the answer is kept for a retry with the same idempotency key. */
  readonly codec?: Codec<R>;
  readonly run: (step: WriteStep, props: P) => Promise<Outcome<R>>;
}
