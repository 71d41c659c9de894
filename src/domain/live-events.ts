import type { ChangeEvent } from './change-events.js';
import type { ItemStatus } from './item-status.js';
import { percentOf } from './units.js';

/**
 * Live events: what one committed write tells subscribers and webhooks about one initiative.
 * Figures are in micro-items (units.ts), exact; percent is derived when printed.
 */
export interface FigureValue {
  readonly credit: number;
  readonly counted: number;
  readonly total: number;
}

/** Node 0 is the initiative itself; other ids are workstreams. */
export const INITIATIVE_NODE = 0;

export interface FigureChange {
  readonly nodeId: number;
  /** null: no figure was published for the node before (it is new, or predates the outbox). */
  readonly before: FigureValue | null;
  /** null: the node is gone. */
  readonly after: FigureValue | null;
}

export interface ItemChange {
  readonly type: ChangeEvent['type'];
  readonly itemId: number;
  readonly workstreamId: number;
  readonly version: number;
  readonly status: ItemStatus | null;
  readonly percent: number | null;
}

export interface LiveEvent {
  readonly seq: number;
  readonly initiativeId: number;
  /** The initiative's revision after the write: 1, 2, 3… per initiative, without gaps. */
  readonly revision: number;
  readonly actor: string;
  readonly recordedAt: string;
  readonly changeIds: readonly number[];
  readonly types: readonly ChangeEvent['type'][];
  readonly items: readonly ItemChange[];
  readonly figures: readonly FigureChange[];
}

/** The item side of the events (status and percent after the change), in order. */
export function itemChangesOf(events: readonly ChangeEvent[]): ItemChange[] {
  const out: ItemChange[] = [];
  for (const e of events) {
    if (!('itemId' in e)) continue;
    const state = 'state' in e ? e.state : 'to' in e && typeof e.to === 'object' ? e.to : null;
    out.push({
      type: e.type,
      itemId: e.itemId,
      workstreamId: e.workstreamId,
      version: e.version,
      status: state && 'status' in state ? state.status : null,
      percent: state && 'percent' in state ? state.percent : null,
    });
  }
  return out;
}

const SHAPE_WIDE: ReadonlySet<ChangeEvent['type']> = new Set([
  'WorkstreamDeleted',
  'WorkstreamRestored',
  'InitiativePolicyChanged',
]);

/** True when an event of this type may move any node's figure in its initiative. */
export const movesEveryFigure = (type: ChangeEvent['type']): boolean => SHAPE_WIDE.has(type);

/**
 * The workstreams whose own figure inputs the events touch, or null when any node's figure may
 * have moved (a policy change, a subtree leaving or coming back): then every node is compared.
 */
export function touchedWorkstreams(events: readonly ChangeEvent[]): Set<number> | null {
  const ids = new Set<number>();
  for (const e of events) {
    if (SHAPE_WIDE.has(e.type)) return null;
    if ('workstreamId' in e) ids.add(e.workstreamId);
    if (e.type === 'ItemMoved') ids.add(e.from);
    if (e.type === 'WorkstreamMoved' && e.from.parentId !== null) ids.add(e.from.parentId);
  }
  return ids;
}

/** Each id and its ancestors (by `parentOf`), and the initiative node. */
export function withAncestors(
  ids: Iterable<number>,
  parentOf: (id: number) => number | null | undefined,
): Set<number> {
  const out = new Set<number>([INITIATIVE_NODE]);
  for (const id of ids) {
    for (let at: number | null | undefined = id; at != null && !out.has(at); at = parentOf(at))
      out.add(at);
  }
  return out;
}

function same(a: FigureValue | null, b: FigureValue | null): boolean {
  if (a === null || b === null) return a === b;
  return a.credit === b.credit && a.counted === b.counted && a.total === b.total;
}

/** The nodes whose figure differs from what was last published, in node order. */
export function figureChanges(
  previous: ReadonlyMap<number, FigureValue>,
  current: ReadonlyMap<number, FigureValue>,
  nodes: Iterable<number>,
): FigureChange[] {
  const out: FigureChange[] = [];
  for (const nodeId of [...new Set(nodes)].sort((a, b) => a - b)) {
    const before = previous.get(nodeId) ?? null;
    const after = current.get(nodeId) ?? null;
    if (!same(before, after)) out.push({ nodeId, before, after });
  }
  return out;
}

export function percentOfValue(v: FigureValue | null): number | null {
  return v === null ? null : percentOf(v.credit, v.counted);
}

export type Direction = 'UP' | 'DOWN';

/**
 * The thresholds (percent) a change crosses: up when it was below and is now at or above, down
 * the other way. A figure that is or was unknown (null) crosses nothing. Figure events of one
 * node chain exactly (each before is the previous after), so every crossing is reported once.
 */
export function crossings(
  before: number | null,
  after: number | null,
  thresholds: readonly number[],
): { threshold: number; direction: Direction }[] {
  if (before === null || after === null) return [];
  const out: { threshold: number; direction: Direction }[] = [];
  for (const t of [...new Set(thresholds)].sort((a, b) => a - b)) {
    if (before < t && after >= t) out.push({ threshold: t, direction: 'UP' });
    else if (before >= t && after < t) out.push({ threshold: t, direction: 'DOWN' });
  }
  return out;
}

/** Whether a change moved the percent by at least `minChange` points (unknown ends always do). */
function movedAtLeast(change: FigureChange, minChange: number): boolean {
  const a = percentOfValue(change.before);
  const b = percentOfValue(change.after);
  return a === null || b === null || Math.abs(b - a) >= minChange;
}

/**
 * One subscriber's `minChange` filter. A node's change goes out once its percent has moved at
 * least `minChange` points since the value this subscriber was last sent for it (at first, the
 * value before the first change it saw), and its `before` is that value: five moves of 0.2
 * points add up to one event of 1.0, and each event's `before` is the previous one's `after`.
 * Each change compared only its own ends: gradual drift was never reported.
 */
export function minChangeFilter(
  minChange: number | null,
): (change: FigureChange) => FigureChange | null {
  if (minChange === null || minChange <= 0) return (change) => change;
  const sent = new Map<number, FigureValue | null>();
  return (change) => {
    if (!sent.has(change.nodeId)) sent.set(change.nodeId, change.before);
    const since = { ...change, before: sent.get(change.nodeId)! };
    if (!movedAtLeast(since, minChange)) return null;
    sent.set(change.nodeId, change.after);
    return since;
  };
}
