import type { Em } from '../../db/em.js';
import type { Idempotency } from '../idempotency.js';
import { ALL_INITIATIVES, type WriteScope } from '../write-scope.js';

/** What a committed write changed, so readers can forget what they kept from before. */
export interface Touched {
  readonly initiativeIds: ReadonlySet<number>;
  readonly workstreamIds: ReadonlySet<number>;
  readonly itemIds: ReadonlySet<number>;
  /**
   * Initiatives where any node's figure, or what any node shows, may have moved (a policy change,
   * a subtree deleted, restored or moved, new labels, named figures, stages or target dates).
   */
  readonly wholeTrees: ReadonlySet<number>;
}

/**
 * Who writes, and under which rules: every field is required, so a new caller cannot forget the
 * scope or the actor (no default that means "everywhere").
 */
export interface WriteContext {
  /** A request's entity manager, or the root one; the pipeline forks it for the transaction. */
  readonly em: Em;
  /** The change log's actor: a token's name, or `seed` / `cli`. */
  readonly actor: string;
  readonly scope: WriteScope;
  /** The caller's idempotency key, or null. */
  readonly idempotency: Idempotency | null;
  /** Called after commit with what changed (per-request loaders clear themselves here). */
  readonly forget: (touched: Touched) => void;
}

/** The operator's own writes (CLI commands, the seed): every initiative, nothing to forget. */
export function operatorContext(em: Em, actor: string): WriteContext {
  return { em, actor, scope: ALL_INITIATIVES, idempotency: null, forget: () => {} };
}
