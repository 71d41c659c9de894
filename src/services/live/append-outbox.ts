import type { ChangeEvent } from '../../domain/change-events.js';
import {
  figureChanges,
  INITIATIVE_NODE,
  itemChangesOf,
  touchedWorkstreams,
  withAncestors,
  type FigureChange,
  type FigureValue,
  type LiveEvent,
} from '../../domain/live-events.js';
import type { Em } from '../../db/em.js';
import { findInitiativesByIds } from '../../db/queries/initiative.queries.js';
import { readFigureStates, type OutboxRow } from '../../db/queries/outbox.queries.js';
import { findTallyRows, findTreeRows } from '../../db/queries/workstream.queries.js';
import {
  publishOutbox,
  readFigureInputs,
  type PublishedChanges,
  type RecordedChanges,
} from '../../db/queries/write-record.queries.js';
import type { InitiativeRecord } from '../../db/records.js';
import type { MergedDelta } from '../../domain/tally.js';
import { figuresFromDeltas, itemsOnly } from '../../domain/live-figures.js';
import { resolvePolicy } from '../../domain/rollup-policy.js';
import { buildTree } from '../load-initiative-tree.js';
import { encodeLiveEvent } from '../../db/outbox-payload.js';

/**
 * Appends a write's live events to the outbox, in the write's transaction, after its counters
 * moved: one outbox row per initiative it touched. Order of work matters:
 * 1. the outbox numbers were reserved first (`recordChanges`, with the revisions): that locks
 *    the 'head' row until commit, so every write that took an earlier number has committed by now;
 * 2. the tree is then read inside the lock: it holds every earlier write and this one's own, so
 *    "after" is exact in commit order, and "before" (the figures last published) is exactly
 *    the previous write's "after": figure events chain without gaps or overlaps.
 * Returns the rows it appended, in seq order (once committed, this process's reader takes them
 * from here instead of reading them back: outbox-feed.ts).
 */
export async function appendOutbox(
  tem: Em,
  events: readonly ChangeEvent[],
  /** The events' counter deltas, summed per initiative, workstream and status (record-events.ts). */
  counters: ReadonlyMap<number, readonly MergedDelta[]>,
  actor: string,
  now: Date,
  recorded: RecordedChanges,
): Promise<readonly OutboxRow[]> {
  // Each initiative's events and their change-log ids, in the write's order.
  const byInitiative = new Map<number, { events: ChangeEvent[]; changeIds: number[] }>();
  events.forEach((e, n) => {
    let own = byInitiative.get(e.initiativeId);
    if (!own) byInitiative.set(e.initiativeId, (own = { events: [], changeIds: [] }));
    own.events.push(e);
    own.changeIds.push(recorded.changeIds[n]!);
  });
  const initiatives = [...byInitiative.keys()].sort((a, b) => a - b);
  const last = recorded.lastSeq;
  const rows: OutboxRow[] = [];
  const published: PublishedChanges[] = [];
  for (const [n, initiativeId] of initiatives.entries()) {
    const { events: own, changeIds } = byInitiative.get(initiativeId)!;
    const revision = recorded.revisions.get(initiativeId)!;
    const {
      events: figures,
      states,
      folded,
    } = await publishFigures(tem, initiativeId, own, counters.get(initiativeId) ?? []);
    published.push({ initiativeId, changes: states, folded });
    const event: LiveEvent = {
      seq: last - initiatives.length + 1 + n,
      initiativeId,
      revision,
      actor,
      recordedAt: now.toISOString(),
      changeIds: changeIds.filter((id) => id !== undefined),
      types: [...new Set(own.map((e) => e.type))],
      items: itemChangesOf(own),
      figures,
    };
    rows.push({
      seq: event.seq,
      initiativeId,
      revision,
      payload: encodeLiveEvent(event),
      createdAt: now,
      event,
    });
  }
  // The figures become the next write's "before" together with the outbox rows.
  await publishOutbox(tem, published, rows);
  return rows;
}

/** What a write publishes: the figure changes its event carries, and the figures to record. */
interface Published {
  readonly events: FigureChange[];
  /** `events` and, after a fold, every figure never published before (recorded silently). */
  readonly states: FigureChange[];
  /** The tree was folded (the write was not item-only, or a figure was never published). */
  readonly folded: boolean;
}

/**
 * The figure changes of the write, as they are to be published. An item-only write adds its
 * counter deltas to the published figures of the changed workstreams' paths (a few rows);
 * anything else, or a path with a figure never published, folds the whole tree.
 */
async function publishFigures(
  tem: Em,
  initiativeId: number,
  events: readonly ChangeEvent[],
  deltas: readonly MergedDelta[],
): Promise<Published> {
  if (itemsOnly(events)) {
    const ids = [
      ...deltas.map((d) => d.workstreamId),
      ...events.flatMap((e) => (e.type === 'WorkstreamCreated' ? [e.workstreamId] : [])),
    ];
    const inputs = await readFigureInputs(tem, initiativeId, [...new Set(ids)]);
    if (!inputs.initiative) return { events: [], states: [], folded: true };
    const changes = figuresFromDeltas(
      inputs.figures,
      events,
      deltas,
      (id) => inputs.paths.get(id),
      resolvePolicy(inputs.initiative.rollupPolicy),
    );
    return changes
      ? { events: changes, states: changes, folded: false }
      : foldFigures(tem, inputs.initiative, events);
  }
  const [initiative] = await findInitiativesByIds(tem, [initiativeId]);
  return initiative
    ? foldFigures(tem, initiative, events)
    : { events: [], states: [], folded: true };
}

/** Folds the initiative's tree as it now stands and compares it with what was published. */
async function foldFigures(
  tem: Em,
  initiative: InitiativeRecord,
  events: readonly ChangeEvent[],
): Promise<Published> {
  const initiativeId = initiative.id;
  const tree = buildTree(
    initiative,
    await findTreeRows(tem, [initiativeId]),
    await findTallyRows(tem, [initiativeId]),
  );
  const current = new Map<number, FigureValue>();
  const value = (f: { credit: number; counted: number; total: number }): FigureValue => ({
    credit: f.credit,
    counted: f.counted,
    total: f.total,
  });
  current.set(INITIATIVE_NODE, value(tree.rollup.root));
  for (const [id, f] of tree.rollup.figures) current.set(id, value(f));
  const touched = touchedWorkstreams(events);
  const candidates =
    touched === null ? null : [...withAncestors(touched, (id) => tree.nodes.get(id)?.parentId)];
  const previous = await readFigureStates(tem, initiativeId, null);
  const changes = figureChanges(
    previous,
    current,
    candidates ?? [...current.keys(), ...previous.keys()],
  );
  const changed = new Set(changes.map((c) => c.nodeId));
  const silent = unpublished(previous, current).filter((c) => !changed.has(c.nodeId));
  return { events: changes, states: [...changes, ...silent], folded: true };
}

/**
 * The nodes that have a figure now and none published yet (a database written before the
 * outbox existed, or by bulk SQL), recorded without an event: the next write that moves one
 * then chains from its exact figure at this commit and takes the counter-delta path instead
 * of folding the whole tree again, path by path.
 */
function unpublished(
  previous: ReadonlyMap<number, FigureValue>,
  current: ReadonlyMap<number, FigureValue>,
): FigureChange[] {
  const out: FigureChange[] = [];
  for (const [nodeId, after] of current)
    if (!previous.has(nodeId)) out.push({ nodeId, before: null, after });
  return out;
}
