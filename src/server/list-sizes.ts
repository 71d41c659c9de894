import { getNamedType, isInterfaceType, isObjectType, type GraphQLSchema } from 'graphql';
import { MAX_BULK } from '../domain/errors.js';
import { ITEM_STATUSES } from '../domain/item-status.js';
import { REPORT_MODEL_SIZES } from './report-model-sizes.js';
import type { Em } from '../db/em.js';
import {
  MAX_SERIES_POINTS,
  SERIES_EVERY,
  seriesPoints,
  type SeriesEvery,
} from '../domain/series-times.js';

/** The sizes the data gives lists without `first`, read once per request (or per second). */
export interface ListSizes {
  /** Initiatives in the database. */
  readonly initiatives: number;
  /** Live workstreams of the largest initiative: no tree list can be longer. */
  readonly workstreams: number;
  /** Live workstreams per initiative key: below `initiative(key:)`, lists are its own size. */
  readonly byKey: ReadonlyMap<string, number>;
  /**
   * The same over every workstream each initiative ever had, deleted ones too: a tree read as of
   * a past time (`asOf`, `knownAt`) can hold any of them, however few are live today.
   */
  readonly ever: {
    readonly workstreams: number;
    readonly byKey: ReadonlyMap<string, number>;
  };
  /**
   * The time a series without `to` ends at (epoch ms). Part of the sizes so that a cost that
   * reads the clock is known to, and is not kept as a fixed cost of its document (limits.ts).
   */
  readonly now: number;
}

/** Root fields that read a past tree when given `asOf` or `knownAt`. */
const TIMED_ROOTS = new Set(['Query.initiative', 'Query.initiatives', 'Query.node']);

/**
 * Fields below which the tree is one known initiative's, or a past one: the workstream bound
 * they give their selection (an unknown key answers null: nothing below it runs). A past tree is
 * bounded by every workstream its initiative ever had, not by today's live ones.
 */
export function scopedWorkstreams(
  coordinate: string,
  args: Record<string, unknown>,
  sizes: ListSizes,
): number | null {
  const past = TIMED_ROOTS.has(coordinate) && (args.asOf != null || args.knownAt != null);
  if (coordinate === 'Query.initiative' && typeof args.key === 'string')
    return (past ? sizes.ever : sizes).byKey.get(args.key) ?? 0;
  return past ? sizes.ever.workstreams : null;
}

/** What a list without `first` and without a size of its own below is charged. */
export const DEFAULT_LIST_SIZE = 1_000;

/** Lists that walk a tree down: below one of them, `children` adds no more nodes per level. */
const TREE_LISTS = new Set(['Initiative.workstreams', 'Workstream.children']);

/**
 * True for `children` asked of a workstream that came from a tree list: a deeper level of the
 * same walk. Levels of a tree are disjoint (each workstream sits at one depth), so the walk as a
 * whole holds every workstream at most once, not once per level (see cost-model.ts).
 */
export function deeperInTree(coordinate: string, via: string): boolean {
  return coordinate === 'Workstream.children' && TREE_LISTS.has(via);
}

/**
 * Sizes of the lists without `first`, by `Type.field`. `via` is the list or field the parent
 * object came from. Each level of a tree walk (`workstreams { children { children } }`) holds
 * at most every workstream once, so `children` below a tree list multiplies by 1.
 */
const SIZES: Record<string, (s: ListSizes, via: string) => number> = {
  'Query.initiatives': (s) => s.initiatives,
  'Initiative.workstreams': (s) => s.workstreams,
  'Workstream.children': (s, via) => (TREE_LISTS.has(via) ? 1 : s.workstreams),
  'Initiative.reportLines': (s) => s.workstreams + 1,
  'Progress.byStatus': () => ITEM_STATUSES.length,
  'ProgressPoint.byStatus': () => ITEM_STATUSES.length,
  'ItemsPayload.items': () => MAX_BULK,
  'UserError.field': () => 8,
  // What the weekly report tracks, bounded where it is written (named-figures.ts, stages.ts,
  // metrics.ts, milestones.ts): at most that many on a node.
  ...REPORT_MODEL_SIZES,
  // Live events and webhooks (the attempt log shows the latest 50; endpoints are few).
  'LiveCause.changeIds': () => 2 * MAX_BULK,
  'Webhook.events': () => 2,
  'Query.webhooks': () => 100,
  'WebhookDelivery.attempts': () => 50,
  // The touched workstreams and their ancestors: at most every workstream, and the initiative.
  ...Object.fromEntries(
    ['ItemPayload', 'ItemsPayload', 'WorkstreamPayload', 'DeletePayload'].map((t) => [
      `${t}.affectedNodes`,
      (s: ListSizes) => s.workstreams + 1,
    ]),
  ),
};

/** A series (progressHistory) is as long as its range and step say: N points, N × selection. */
function seriesSize(args: Record<string, unknown>, sizes: ListSizes): number {
  const time = (v: unknown, fallback: number) =>
    v instanceof Date ? v.getTime() : typeof v === 'string' ? Date.parse(v) : fallback;
  const from = time(args.from, NaN);
  const to =
    args.to instanceof Date || typeof args.to === 'string' ? time(args.to, NaN) : sizes.now;
  // Variables reach the cost model uncoerced: anything but a known step is refused as it runs.
  const every = (args.every ?? 'WEEK') as SeriesEvery;
  if (!SERIES_EVERY.includes(every)) return 1;
  if (!Number.isFinite(from) || !Number.isFinite(to) || from > to) return 1; // refused as it runs
  return Math.min(seriesPoints(from, to, every), MAX_SERIES_POINTS);
}
const ARG_SIZES: Record<string, (args: Record<string, unknown>, sizes: ListSizes) => number> = {
  'Initiative.progressHistory': seriesSize,
  'Workstream.progressHistory': seriesSize,
};

/**
 * Lists whose every value is worked out as it is asked (a series' point is the node's figures
 * as of its time, `knownAt` a replay of the log), not read: charged a point per value for every
 * node it is asked of, besides the pages of 100 a stored list is charged in. A 1,000-point
 * daily series on every workstream was charged as ten points in all, so the rate limit did not
 * bound its work.
 */
export const WORKED_OUT_LISTS: ReadonlySet<string> = new Set(Object.keys(ARG_SIZES));

/** Types returned by paged fields: their lists are the page, charged by `first` already. */
const pageTypes = new WeakMap<GraphQLSchema, Set<string>>();
function pageTypesOf(schema: GraphQLSchema): Set<string> {
  let known = pageTypes.get(schema);
  if (!known) {
    known = new Set();
    for (const type of Object.values(schema.getTypeMap())) {
      if (!(isObjectType(type) || isInterfaceType(type)) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields()))
        if (field.args.some((a) => a.name === 'first')) known.add(getNamedType(field.type).name);
    }
    pageTypes.set(schema, known);
  }
  return known;
}

/** The size a list field without `first` is charged: its own rule, a page's, or the default. */
export function listSizeOf(
  schema: GraphQLSchema,
  typeName: string,
  field: string,
  via: string,
  sizes: ListSizes,
  args: Record<string, unknown> = {},
): number {
  const byArgs = ARG_SIZES[`${typeName}.${field}`];
  if (byArgs) return byArgs(args, sizes);
  const own = SIZES[`${typeName}.${field}`];
  if (own) return Math.max(0, own(sizes, via));
  if (field === 'userErrors') return MAX_BULK; // one per bulk entry at most
  if (pageTypesOf(schema).has(typeName)) return 1;
  return DEFAULT_LIST_SIZE;
}

/** Zero sizes that tell whether anything read them (a document whose cost needs no data). */
export function sizesProbe(): { sizes: ListSizes; touched: () => boolean } {
  let touched = false;
  const read = <T>(value: T): T => {
    touched = true;
    return value;
  };
  return {
    sizes: {
      get initiatives() {
        return read(0);
      },
      get workstreams() {
        return read(0);
      },
      get byKey() {
        return read(new Map<string, number>());
      },
      get ever() {
        return read({ workstreams: 0, byKey: new Map<string, number>() });
      },
      get now() {
        return read(Date.now());
      },
    },
    touched: () => touched,
  };
}

const KEEP_MS = 1_000;
const kept = new WeakMap<object, { at: number; sizes: Promise<ListSizes> }>();

/**
 * The sizes, read with one grouped statement (one row per initiative) and kept for a second per database: a tree
 * that grows within that second is charged its size of a second ago.
 */
export function listSizes(em: Em): Promise<ListSizes> {
  const key = em.getDriver();
  const now = Date.now();
  const hit = kept.get(key);
  if (hit && now - hit.at < KEEP_MS) return hit.sizes;
  const sizes = (async () => {
    const rows = await em.execute(
      `select i.key as key, count(w.id) as ever,
              sum(case when w.id is not null and w.deleted_at is null then 1 else 0 end) as live
         from initiative i left join workstream w on w.initiative_id = i.id
        group by i.id, i.key`,
    );
    const byKey = new Map(rows.map((r) => [String(r.key), Number(r.live ?? 0)]));
    const everByKey = new Map(rows.map((r) => [String(r.key), Number(r.ever)]));
    return {
      initiatives: byKey.size,
      workstreams: Math.max(0, ...byKey.values()),
      byKey,
      ever: { workstreams: Math.max(0, ...everByKey.values()), byKey: everByKey },
      now,
    };
  })();
  kept.set(key, { at: now, sizes });
  sizes.catch(() => kept.delete(key));
  return sizes;
}
