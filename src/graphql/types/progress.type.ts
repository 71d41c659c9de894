import { Arg, Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { explainFigure } from '../../domain/explain.js';
import {
  ITEM_STATUSES,
  statusLabel,
  type ItemStatus,
  type Locale,
  type StatusLabelOverrides,
} from '../../domain/item-status.js';
import type { ReadTime } from '../../domain/replay-items.js';
import type { Figure } from '../../domain/rollup.js';
import { sumsOf } from '../../domain/tally.js';
import type { RollupPolicy } from '../../domain/rollup-policy.js';
import { percentOf, unitsToItems } from '../../domain/units.js';
import { ItemStatusEnum, LocaleEnum } from '../enums.js';
import { encodeAscii } from '../../domain/ascii-base64url.js';

@ObjectType('StatusCount', { simpleResolvers: true })
export class StatusCountType {
  @Field(() => ItemStatusEnum)
  status!: ItemStatus;

  @Field(() => String, {
    description: 'The label in the requested locale, with the initiative’s overrides.',
  })
  label!: string;

  @Field(() => Int)
  count!: number;
}

/**
 * The node id a figure read at a time is keyed by: the node's own, with the time. A figure as of
 * a past time (or as known at one) is another object than the live figure, so it never takes
 * the live figure's place in a client cache that normalizes by id; live figures keep the bare
 * node id, stable across reads. A knownAt left to default (now) is not part of it: that figure
 * is the current knowledge of asOf, and like a live one keeps its id as that knowledge grows.
 */
export function timedFigureId(nodeId: string, time: ReadTime): string {
  return time.knownAtIsNow ? `${nodeId}@${time.asOf}` : `${nodeId}@${time.asOf}/${time.knownAt}`;
}

/** The id of a node's live Progress (a figure read at a time has its own, see timedFigureId). */
export const progressIdOf = (nodeId: string): string => encodeAscii(`Progress:${nodeId}`);

/** What a Progress needs to build its text lazily (explain is only computed when asked for). */
export interface ProgressSource {
  /** The global id of the node the figure belongs to (the Progress's own id derives from it). */
  readonly nodeId: string;
  readonly name: string;
  readonly figure: Figure;
  readonly policy: RollupPolicy;
  readonly labels: StatusLabelOverrides | null;
  readonly children: () => readonly { readonly name: string; readonly figure: Figure }[];
}

@ObjectType('Progress', {
  description: 'A rolled-up figure: credit ÷ counted over every item below, exact until printed.',
  simpleResolvers: true,
})
export class ProgressType {
  /**
   * byStatus per locale, made on first use (a kept tree's views serve many requests): the first
   * locale asked in a slot of its own, others in a map (as-of trees make a view per node and
   * request, and nearly always for one locale).
   */
  private firstLocale: Locale | undefined = undefined;
  private firstCounts: StatusCountType[] | undefined = undefined;
  private otherCounts: Map<Locale, StatusCountType[]> | undefined = undefined;
  private progressId: string | undefined = undefined;

  @Field(() => ID, {
    description:
      'Stable per node for the live figure, so client caches (Apollo’s InMemoryCache) normalize it and update it in place; a figure read at a time (asOf, knownAt, a series point) has an id of its own that includes that time.',
  })
  get id(): string {
    // Kept with the view, as a workstream's own id is: a client that normalizes figures asks it
    // of every node of every dashboard.
    return (this.progressId ??= progressIdOf(this.source.nodeId));
  }

  /**
   * The figure's numbers, worked out once when the view is made: a dashboard reads them on every
   * node of every request, and a field held on the view is one read where a getter went through
   * the source to the figure (three objects made at different times, so three cache misses a
   * field on a 10,000-node tree).
   */
  @Field(() => Float, { nullable: true, description: '0–100; null when nothing counts.' })
  readonly percent: number | null;

  @Field(() => Float, { description: 'Numerator, in item-equivalents.' })
  readonly credit: number;

  @Field(() => Float, {
    description: 'Denominator, in item-equivalents (excluded statuses left out).',
  })
  readonly counted: number;

  @Field(() => Int, { description: 'Items in the subtree, every status.' })
  readonly total: number;

  constructor(private readonly source: ProgressSource) {
    const { credit, counted, total } = source.figure;
    this.percent = percentOf(credit, counted);
    this.credit = unitsToItems(credit);
    this.counted = unitsToItems(counted);
    this.total = total;
  }

  @Field(() => [StatusCountType], {
    description: 'Every status, zeros included, in a fixed order.',
  })
  byStatus(
    @Arg('locale', () => LocaleEnum, { defaultValue: 'zh-CN' }) locale: Locale,
  ): StatusCountType[] {
    // The kept list returns before any closure: see WorkstreamType's `children`.
    if (locale === this.firstLocale) return this.firstCounts!;
    return this.countsIn(locale);
  }

  private countsIn(locale: Locale): StatusCountType[] {
    let counts = this.otherCounts?.get(locale);
    if (!counts) {
      counts = ITEM_STATUSES.map((status) => ({
        status,
        label: statusLabel(status, locale, this.source.labels),
        count: sumsOf(this.source.figure.tally, status).items,
      }));
      if (this.firstLocale === undefined) {
        this.firstLocale = locale;
        this.firstCounts = counts;
      } else (this.otherCounts ??= new Map()).set(locale, counts);
    }
    return counts;
  }

  @Field(() => String, {
    description: 'How the figure was computed: rule, numerator, denominator, shares, children.',
  })
  explain(@Arg('locale', () => LocaleEnum, { defaultValue: 'zh-CN' }) locale: Locale): string {
    const { name, figure, policy, labels } = this.source;
    return explainFigure({
      name,
      figure,
      policy,
      labels,
      locale,
      children: this.source.children(),
    });
  }
}
