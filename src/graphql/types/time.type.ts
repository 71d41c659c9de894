import { Arg, Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { Forecast, ForecastStatus } from '../../domain/forecast.js';
import { explainForecast } from '../../domain/forecast-words.js';
import type { HealthWhy } from '../../domain/health-words.js';
import type { Locale } from '../../domain/item-status.js';
import { LocaleEnum } from '../enums.js';
import { HEALTH_STATUSES, type HealthSource, type HealthStatus } from '../../domain/health.js';
import type { ItemChangeCounts } from '../../domain/progress-change.js';
import { SERIES_EVERY } from '../../domain/series-times.js';
import { percentOf, unitsToItems } from '../../domain/units.js';
import { ItemType } from './item.type.js';
import { PageInfoType } from './item-connection.type.js';
import { ProgressType, type ProgressSource } from './progress.type.js';

const asEnum = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const SeriesEveryEnum = asEnum(SERIES_EVERY);
export const ForecastStatusEnum = asEnum<ForecastStatus>([
  'OK',
  'INSUFFICIENT_HISTORY',
  'NOT_CONVERGING',
  'DONE',
]);
export const HealthStatusEnum = asEnum(HEALTH_STATUSES);
export const HealthSourceEnum = asEnum<HealthSource>(['COMPUTED', 'MANUAL']);
registerEnumType(SeriesEveryEnum, { name: 'SeriesEvery', description: 'Step of a series.' });
registerEnumType(ForecastStatusEnum, { name: 'ForecastStatus' });
registerEnumType(HealthStatusEnum, { name: 'HealthStatus' });
registerEnumType(HealthSourceEnum, { name: 'HealthSource' });

/** One point of a burn-up: the figure as of `at` (scope line: counted; completed line: credit). */
@ObjectType('ProgressPoint', { simpleResolvers: true })
export class ProgressPointType extends ProgressType {
  constructor(
    readonly atMs: number,
    source: ProgressSource,
  ) {
    super(source);
  }

  @Field(() => Date)
  get at(): Date {
    return new Date(this.atMs);
  }
}

@ObjectType('ProgressChange', {
  description: 'The change between `since` and the view’s time: the difference of two reads.',
  simpleResolvers: true,
})
export class ProgressChangeType {
  constructor(
    readonly since: Date,
    private readonly before: { credit: number; counted: number; total: number },
    private readonly after: { credit: number; counted: number; total: number },
    private readonly items: ItemChangeCounts,
  ) {}

  @Field(() => Float, { nullable: true, description: 'Percent then; null when nothing counted.' })
  get percentBefore(): number | null {
    return percentOf(this.before.credit, this.before.counted);
  }

  @Field(() => Float, { nullable: true })
  get percentAfter(): number | null {
    return percentOf(this.after.credit, this.after.counted);
  }

  @Field(() => Float, {
    nullable: true,
    description: 'percentAfter − percentBefore (null when either is null).',
  })
  get percentPoints(): number | null {
    const [a, b] = [this.percentBefore, this.percentAfter];
    return a === null || b === null ? null : b - a;
  }

  @Field(() => Float, { description: 'Credit gained, in item-equivalents (negative: lost).' })
  get credit(): number {
    return unitsToItems(this.after.credit - this.before.credit);
  }

  @Field(() => Float, { description: 'Scope change (counted), in item-equivalents.' })
  get counted(): number {
    return unitsToItems(this.after.counted - this.before.counted);
  }

  @Field(() => Int, { description: 'Change in the number of items.' })
  get total(): number {
    return this.after.total - this.before.total;
  }

  @Field(() => Int, { description: 'Items that reached full credit.' })
  get completed(): number {
    return this.items.completed;
  }

  @Field(() => Int)
  get added(): number {
    return this.items.added;
  }

  @Field(() => Int)
  get removed(): number {
    return this.items.removed;
  }

  @Field(() => Int, { description: 'Items that had full credit and lost it.' })
  get reopened(): number {
    return this.items.reopened;
  }

  @Field(() => Int, { description: 'Change-log entries in the window.' })
  get entries(): number {
    return this.items.entries;
  }
}

@ObjectType('Forecast', {
  description:
    'Monte-Carlo forecast over the node’s own weekly history (credit gained, scope growth).',
  simpleResolvers: true,
})
export class ForecastType {
  constructor(
    private readonly f: Forecast,
    readonly asOf: Date,
    private readonly dates: { p50: string | null; p85: string | null; p95: string | null },
  ) {}

  @Field(() => ForecastStatusEnum)
  get status(): ForecastStatus {
    return this.f.status;
  }

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD (+08:00): 50% of trials done.' })
  get p50(): string | null {
    return this.dates.p50;
  }

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD: 85% of trials done.' })
  get p85(): string | null {
    return this.dates.p85;
  }

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD: 95% of trials done.' })
  get p95(): string | null {
    return this.dates.p95;
  }

  @Field(() => Int, { nullable: true })
  get p50Weeks(): number | null {
    return this.f.p50Weeks;
  }

  @Field(() => Int, { nullable: true })
  get p85Weeks(): number | null {
    return this.f.p85Weeks;
  }

  @Field(() => Int, { nullable: true })
  get p95Weeks(): number | null {
    return this.f.p95Weeks;
  }

  @Field(() => Float, { description: 'counted − credit now, in item-equivalents.' })
  get remaining(): number {
    return unitsToItems(this.f.remaining);
  }

  @Field(() => Int)
  get weeksOfHistory(): number {
    return this.f.weeksOfHistory;
  }

  @Field(() => Float, { description: 'Mean credit gained per week, item-equivalents.' })
  get throughputPerWeek(): number {
    return unitsToItems(this.f.throughputPerWeek);
  }

  @Field(() => Float, { description: 'Mean net scope growth per week, item-equivalents.' })
  get scopeGrowthPerWeek(): number {
    return unitsToItems(this.f.scopeGrowthPerWeek);
  }

  @Field(() => String, { description: 'Why it says what it says, in the locale asked.' })
  explain(@Arg('locale', () => LocaleEnum, { defaultValue: 'zh-CN' }) locale: Locale): string {
    return explainForecast(this.f.why, locale);
  }
}

@ObjectType('Health', { simpleResolvers: true })
export class HealthType {
  @Field(() => HealthStatusEnum)
  status!: HealthStatus;

  /** Why, worded per locale by the `reason` field (resolvers/health.resolver.ts). */
  why!: HealthWhy;

  @Field(() => HealthSourceEnum)
  source!: HealthSource;

  @Field(() => String, {
    nullable: true,
    description: 'The target it was judged against (own or nearest ancestor’s).',
  })
  targetDate!: string | null;
}

@ObjectType('TargetDateChange', { simpleResolvers: true })
export class TargetDateChangeType {
  @Field(() => Date, { description: 'When it took effect.' })
  at!: Date;

  @Field(() => Date)
  recordedAt!: Date;

  @Field(() => String, { nullable: true })
  from!: string | null;

  @Field(() => String, { nullable: true })
  to!: string | null;

  @Field(() => String)
  actor!: string;
}

@ObjectType('StalledItem', { simpleResolvers: true })
export class StalledItemType {
  @Field(() => ItemType)
  item!: ItemType;

  @Field(() => Date, { description: 'Its last logged change (effective time).' })
  lastChangeAt!: Date;

  @Field(() => Int, { description: 'Whole days since then.' })
  days!: number;
}

@ObjectType('StalledItemConnection', { simpleResolvers: true })
export class StalledItemConnectionType {
  @Field(() => [StalledItemType], { description: 'Oldest change first.' })
  nodes!: StalledItemType[];

  @Field(() => PageInfoType)
  pageInfo!: PageInfoType;
}
