import { earlierTime } from '../../domain/series-times.js';
import { asBadInput } from '../time-views.js';
import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { formatDecimal, parseDecimal } from '../../domain/decimal.js';
import { changeSince } from '../../domain/metric-rules.js';
import type { Context } from '../context.type.js';
import { stageOfItem } from '../report-model-reads.js';
import { ItemType } from '../types/item.type.js';
import { MetricReadingConnectionType, MetricType } from '../types/metric.type.js';
import { newestFirstPage } from './report-pages.js';

/** An item's stage (setItemStage), live or as it stood at the item's read time. */
@Resolver(() => ItemType)
export class ItemStageReads {
  @FieldResolver(() => String, {
    nullable: true,
    description: 'The stage of its workflow (已上线…); null for an item without one.',
  })
  async stage(@Root() root: ItemType, @Ctx() ctx: Context): Promise<string | null> {
    return (await stageOfItem(ctx, root.record.id, root.time))?.stage ?? null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'The note printed after the stage (待投产…).',
  })
  async stageNote(@Root() root: ItemType, @Ctx() ctx: Context): Promise<string | null> {
    return (await stageOfItem(ctx, root.record.id, root.time))?.note ?? null;
  }
}

/** A metric's readings and its change over a time span (exact decimals). */
@Resolver(() => MetricType)
export class MetricReads {
  @FieldResolver(() => MetricReadingConnectionType, {
    description: 'Readings visible at the read time, newest first, a page at a time (first 1–100).',
  })
  readings(
    @Root() root: MetricType,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): MetricReadingConnectionType {
    return newestFirstPage(root.visible, first, after);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'Latest reading minus the last one effective at or before `since`, exact (e.g. -212528.2195); null when either is missing.',
  })
  change(@Root() root: MetricType, @Arg('since', () => Date) since: Date): string | null {
    const readings = root.visible.map((r) => ({
      value: parseDecimal(r.value, 15, ['value']),
      lowerBound: r.lowerBound,
      at: r.effectiveAt.getTime(),
    }));
    // As progressChange: an earlier time after the view's would be a change backwards.
    const from = asBadInput(() => earlierTime(since.getTime(), root.until, 'since'));
    const change = changeSince(readings, from, root.until);
    return change === null ? null : formatDecimal(change);
  }
}
