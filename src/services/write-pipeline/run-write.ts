import { lockInitiative } from '../../db/queries/initiative.queries.js';
import type { OutboxRow } from '../../db/queries/outbox.queries.js';
import { lockItems } from '../../db/queries/item.queries.js';
import { idempotent } from '../idempotency.js';
import { attributedWrite, beginAttempt, noteInitiativeWrites } from '../../db/write-generation.js';
import { ringAfterCommit } from '../live/commit-bell.js';
import { inTransaction } from '../transaction.js';
import { writeGate } from '../../db/write-gate.js';
import { durableCommits } from '../../db/group-commit.js';
import { assertInEffectiveOrder } from './assert-in-order.js';
import { assertEventsAllowed, recordEvents, touchedBy } from './record-events.js';
import type { UseCase } from './use-case.js';
import type { Touched, WriteContext } from './write-context.js';

const encodeTouched = (t: Touched): string =>
  JSON.stringify({
    initiativeIds: [...t.initiativeIds],
    workstreamIds: [...t.workstreamIds],
    itemIds: [...t.itemIds],
    wholeTrees: [...t.wholeTrees],
  });

function decodeTouched(json: string): Touched {
  const t = JSON.parse(json) as Partial<Record<keyof Touched, number[]>>;
  return {
    initiativeIds: new Set(t.initiativeIds),
    workstreamIds: new Set(t.workstreamIds),
    itemIds: new Set(t.itemIds),
    // Records kept before wholeTrees was noted have none.
    wholeTrees: new Set(t.wholeTrees ?? []),
  };
}

/**
 * Runs one write: waits for one of this process's write slots (src/db/write-gate.ts), opens the
 * transaction (retried whole on a deadlock or a lost unique race), replays an idempotent retry,
 * locks the initiative when the use-case changes a tree's shape and the item rows it changes,
 * reads the clock, runs the use-case with the caller's scope, checks and logs its events, applies
 * their counter deltas, commits, tells the caller what to forget, and (with group commit) waits
 * for the commit to reach the disk before it answers. Every mutation goes through here.
 *
 * On SQLite, what readers keep (kept trees and answers) is stamped per initiative: the write
 * moves the stamps of the initiatives its events name, in its transaction, and nothing else's
 * (src/db/write-generation.ts); a write that names none (it failed, or changed nothing) moves
 * every stamp.
 */
export async function runWrite<P, R>(
  ctx: WriteContext,
  useCase: UseCase<P, R>,
  props: P,
): Promise<R> {
  useCase.validate?.(props);
  if (ctx.idempotency && !useCase.codec)
    throw new Error(`${useCase.name} does not take an idempotency key`);
  /** What the committed write's events touched; null when it has none (or replayed a retry). */
  let written: Touched | null = null;
  /** What the first run of a replayed retry touched, when its record kept it. */
  let replayed: Touched | null = null;
  let outbox: readonly OutboxRow[] = [];
  const result = await writeGate(ctx.em)(() =>
    attributedWrite(ctx.em, () =>
      inTransaction(ctx.em, (tem) => {
        written = null; // a retried transaction starts over
        replayed = null;
        beginAttempt();
        outbox = [];
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
            if (useCase.lockItems) await lockItems(tem, useCase.lockItems(props));
            // The clock is read only now, with every lock that orders writers to the same object
            // held: a writer that waited on one stamps a later time than the one it waited for, so
            // each object's rows run in commit order in both times and replay equals live.
            const now = new Date();
            const outcome = await useCase.run(
              { tem, now, actor: ctx.actor, inScope: ctx.scope },
              props,
            );
            assertEventsAllowed(outcome.events, ctx.scope, now);
            await assertInEffectiveOrder(tem, outcome.events, now, (i) =>
              useCase.effectiveField ? useCase.effectiveField(props, i) : ['effectiveAt'],
            );
            const recorded = await recordEvents(tem, outcome.events, ctx.actor, now);
            outbox = recorded.outbox;
            const touched = touchedBy(outcome.events);
            noteInitiativeWrites(tem, touched.initiativeIds, {
              events: outcome.events,
              revisions: recorded.revisions,
              merged: recorded.counters,
            });
            if (outcome.events.length > 0) written = touched;
            return outcome.result;
          },
          {
            kept: () => (written ? encodeTouched(written) : null),
            replayed: (kept) => (replayed = kept === null ? null : decodeTouched(kept)),
          },
        );
      }),
    ),
  );
  // Committed. A replayed retry changed nothing now, but its caller is told what the first run
  // touched (affectedNodes answers the same nodes, as they stand now).
  const told: Touched | null = written ?? replayed;
  if (told) ctx.forget(told);
  // With group commit (SQLite), the write is acknowledged and announced only once it is on
  // disk; a replayed retry waits too, in case its first run's commit is not yet.
  const durable = durableCommits(ctx.em);
  if (durable) await durable;
  if (written) ringAfterCommit(ctx.em.getDriver(), outbox);
  return result;
}
