import type { ChangeEvent } from '../../domain/change-events.js';
import { CLOCK_SKEW_MS } from '../../domain/effective-time.js';
import { DomainError } from '../../domain/errors.js';
import { deltasOf } from '../../domain/event-deltas.js';
import { movesEveryFigure } from '../../domain/live-events.js';
import { mergeDeltas, type MergedDelta } from '../../domain/tally.js';
import { toLogRow } from '../../db/change-log-row.js';
import type { Em } from '../../db/em.js';
import type { OutboxRow } from '../../db/queries/outbox.queries.js';
import { CHANGE_LOG_CHUNK } from '../../db/queries/change-log.queries.js';
import { recordChanges } from '../../db/queries/write-record.queries.js';
import { turnInWrite } from '../../db/write-turn.js';
import { appendOutbox } from '../live/append-outbox.js';
import { groupTallyDeltas } from '../tally-deltas.js';
import type { WriteScope } from '../write-scope.js';
import type { Touched } from './write-context.js';

/**
 * The pipeline's own check of what a use-case returns: nothing outside the caller's scope (a
 * use-case that forgot its NOT_FOUND check still cannot write there) and no effective time in
 * the future. Either aborts the transaction.
 */
export function assertEventsAllowed(
  events: readonly ChangeEvent[],
  scope: WriteScope,
  now: Date,
): void {
  for (const e of events) {
    if (!scope(e.initiativeId)) throw new DomainError('NOT_FOUND', '项目不存在');
    if (e.effectiveAt.getTime() > now.getTime() + CLOCK_SKEW_MS)
      throw new DomainError('INVALID_INPUT', '生效时间不能晚于现在', ['effectiveAt']);
  }
}

/**
 * Applies the counter deltas the events imply (one atomic upsert per initiative), writes their
 * change-log rows (one statement per 500), reserves the outbox numbers and appends the live
 * events to the outbox, in the caller's transaction (on PostgreSQL in three statements: see
 * write-record.queries.ts). Returns the outbox rows, in seq order, and each initiative's
 * counter deltas, merged, and revision (what a kept tree is brought forward by and to:
 * write-generation.ts).
 */
export async function recordEvents(
  tem: Em,
  events: readonly ChangeEvent[],
  actor: string,
  now: Date,
): Promise<RecordedEvents> {
  if (events.length === 0) return { outbox: [], counters: new Map(), revisions: new Map() };
  const tally = groupTallyDeltas(deltasOf(events)).map(
    ([initiativeId, group]) => [initiativeId, mergeDeltas(group)] as const,
  );
  const initiatives = [...new Set(events.map((e) => e.initiativeId))].sort((a, b) => a - b);
  // A write of many events (an import) turns the event loop between these steps, as between its
  // change-log statements: each takes tens of milliseconds at 10,000 events.
  const long = events.length > CHANGE_LOG_CHUNK;
  if (long) await turnInWrite(tem);
  // Last: it takes the outbox's commit-order lock, held until commit (see append-outbox.ts).
  const recorded = await recordChanges(
    tem,
    tally,
    events.map((e) => toLogRow(e, actor, now)),
    initiatives,
  );
  const counters = new Map(tally);
  if (long) await turnInWrite(tem);
  const outbox = await appendOutbox(tem, events, counters, actor, now, recorded);
  return { outbox, counters, revisions: recorded.revisions };
}

export interface RecordedEvents {
  readonly outbox: readonly OutboxRow[];
  /** Each initiative's counter deltas, summed per workstream and status. */
  readonly counters: ReadonlyMap<number, readonly MergedDelta[]>;
  /** Each initiative's revision after the write. */
  readonly revisions: ReadonlyMap<number, number>;
}

/**
 * Writes that change what nodes other than the ones on their path show, though not their
 * figures: a move (the subtree's depth, and the named figures, stages and target dates it now
 * inherits), the status labels (every byStatus label), named figures and stages (every node's),
 * a target date (the health of every node that inherits it). A write payload's affectedNodes
 * lists the whole tree for them, so a normalized client cache is not left with the old ones.
 */
const CHANGES_OTHER_NODES: ReadonlySet<ChangeEvent['type']> = new Set([
  'WorkstreamMoved',
  'InitiativeLabelsChanged',
  'NamedFiguresSet',
  'StagesDefined',
  'InitiativeTargetDateSet',
  'WorkstreamTargetDateSet',
]);

/** Which initiatives, workstreams and items the events touched. */
export function touchedBy(events: readonly ChangeEvent[]): Touched {
  const touched = {
    initiativeIds: new Set<number>(),
    workstreamIds: new Set<number>(),
    itemIds: new Set<number>(),
    wholeTrees: new Set<number>(),
  };
  for (const e of events) {
    touched.initiativeIds.add(e.initiativeId);
    if (movesEveryFigure(e.type) || CHANGES_OTHER_NODES.has(e.type))
      touched.wholeTrees.add(e.initiativeId);
    if ('workstreamId' in e) touched.workstreamIds.add(e.workstreamId);
    if (e.type === 'ItemMoved') touched.workstreamIds.add(e.from);
    // The parent it left loses its figure's share, as the one it joined gains it.
    if (e.type === 'WorkstreamMoved' && e.from.parentId !== null)
      touched.workstreamIds.add(e.from.parentId);
    if ('itemId' in e) touched.itemIds.add(e.itemId);
  }
  return touched;
}
