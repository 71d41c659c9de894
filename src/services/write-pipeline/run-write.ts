import type { ChangeEvent } from '../../domain/change-events.js';
import { lockInitiative } from '../../db/queries/initiative.queries.js';
import { idempotent } from '../idempotency.js';
import { ringAfterCommit } from '../live/commit-bell.js';
import { inTransaction } from '../transaction.js';
import { assertEventsAllowed, recordEvents, touchedBy } from './record-events.js';
import type { UseCase } from './use-case.js';
import type { WriteContext } from './write-context.js';

/**
 * Runs one write: opens the transaction (retried whole on a deadlock or a lost unique race),
 * replays an idempotent retry, locks the initiative when the use-case changes a tree's shape,
 * runs the use-case with the caller's scope, checks and logs its events, applies their counter
 * deltas, commits, and then tells the caller what to forget. Every mutation goes through here.
 */
export async function runWrite<P, R>(
  ctx: WriteContext,
  useCase: UseCase<P, R>,
  props: P,
): Promise<R> {
  useCase.validate?.(props);
  if (ctx.idempotency && !useCase.codec)
    throw new Error(`${useCase.name} does not take an idempotency key`);
  let events: readonly ChangeEvent[] = [];
  const result = await inTransaction(ctx.em, (tem) => {
    events = []; // a retried transaction starts over
    const now = new Date();
    return idempotent(
      tem,
      ctx.idempotency,
      { operation: useCase.name, input: props },
      useCase.codec!,
      async () => {
        if (useCase.lockTarget) {
          const initiativeId = await useCase.lockTarget(tem, props);
          if (initiativeId !== null && ctx.scope(initiativeId))
            await lockInitiative(tem, initiativeId);
        }
        const outcome = await useCase.run(
          { tem, now, actor: ctx.actor, inScope: ctx.scope },
          props,
        );
        assertEventsAllowed(outcome.events, ctx.scope, now);
        await recordEvents(tem, outcome.events, ctx.actor, now);
        events = outcome.events;
        return outcome.result;
      },
    );
  });
  // Committed. A replayed retry changed nothing, so there is nothing to forget.
  if (events.length > 0) {
    ctx.forget(touchedBy(events));
    ringAfterCommit(ctx.em.getDriver());
  }
  return result;
}
