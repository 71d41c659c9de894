import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { parseDecimal } from '../../domain/decimal.js';
import {
  burnDownProgress,
  meetsTarget,
  type MetricDirection,
  type Reading,
  type TargetComparison,
} from '../../domain/metric-rules.js';
import type { MetricRow } from '../../db/queries/report-model.queries.js';
import type { ReadingRow } from '../../db/queries/report-records.queries.js';
import { toGlobalId } from '../../domain/global-id.js';
import { PageInfoType } from './item-connection.type.js';

@ObjectType('MetricReading', { simpleResolvers: true })
export class MetricReadingType {
  @Field(() => Int) id!: number;
  @Field(() => String, { description: 'Exactly as recorded (decimal string).' }) value!: string;
  @Field(() => Boolean, { description: 'The report’s “200+”: at least this much.' })
  lowerBound!: boolean;
  @Field(() => String, { nullable: true }) period!: string | null;
  @Field(() => String, { nullable: true }) note?: string | null;
  @Field(() => String) actor!: string;
  @Field(() => Date) effectiveAt!: Date;
  @Field(() => Date) recordedAt!: Date;
}

/** A page of a metric's readings, newest first. */
@ObjectType('MetricReadingConnection', { simpleResolvers: true })
export class MetricReadingConnectionType {
  @Field(() => [MetricReadingType]) nodes!: MetricReadingType[];
  @Field(() => PageInfoType) pageInfo!: PageInfoType;
  @Field(() => Int, { description: 'Readings visible at the read time, across every page.' })
  totalCount!: number;
}

const readingOf = (r: ReadingRow): Reading => ({
  value: parseDecimal(r.value, 15, ['value']),
  lowerBound: r.lowerBound,
  at: r.effectiveAt.getTime(),
});

/**
 * A metric as read at a time: its definition, and its readings visible then (effective order).
 * `readings` and `change` are field resolvers (report-reads.resolver.ts).
 */
@ObjectType('Metric', { simpleResolvers: true })
export class MetricType {
  constructor(
    readonly row: MetricRow,
    /** Visible at the read time, in effective order. */
    readonly visible: readonly ReadingRow[],
    /** The read time (ms): live reads now. */
    readonly until: number,
    readonly nodeName: string | null = null,
  ) {}

  private get rule() {
    return {
      direction: this.row.direction as MetricDirection,
      target: this.row.target === null ? null : parseDecimal(this.row.target, 15, ['target']),
      comparison: this.row.comparison as TargetComparison | null,
    };
  }

  @Field(() => Int, { description: 'recordMetricReading takes it as metricId.' })
  get id(): number {
    return this.row.id;
  }
  @Field(() => String) get name(): string {
    return this.row.name;
  }
  @Field(() => String) get unit(): string {
    return this.row.unit;
  }
  @Field(() => Int, { description: 'Decimal places a reading may have.' })
  get decimals(): number {
    return this.row.decimals;
  }
  @Field(() => String, { description: 'UP: higher is better; DOWN: lower is better.' })
  get direction(): string {
    return this.row.direction;
  }
  @Field(() => String, { nullable: true, description: 'Exact decimal string.' })
  get target(): string | null {
    return this.row.target;
  }
  @Field(() => String, {
    nullable: true,
    description: 'AT_LEAST, AT_MOST or EQUAL; null: AT_LEAST going up, AT_MOST going down.',
  })
  get comparison(): string | null {
    return this.row.comparison;
  }
  @Field(() => Boolean, { description: 'A count that burns down to zero.' })
  get burnDown(): boolean {
    return this.row.burnDown;
  }
  @Field(() => String, { nullable: true, description: 'Metrics of a group share a report line.' })
  get group(): string | null {
    return this.row.groupName;
  }
  @Field(() => String, { nullable: true, description: 'The report heading (成功率, 可用性).' })
  get category(): string | null {
    return this.row.category;
  }
  @Field(() => ID, { nullable: true, description: 'The workstream it belongs to, if any.' })
  get workstreamId(): string | null {
    return this.row.workstreamId === null ? null : toGlobalId('Workstream', this.row.workstreamId);
  }
  @Field(() => String, { nullable: true }) get workstreamName(): string | null {
    return this.nodeName;
  }
  @Field(() => MetricReadingType, { nullable: true, description: 'The latest reading then.' })
  get latest(): MetricReadingType | null {
    return this.visible.at(-1) ?? null;
  }
  @Field(() => Boolean, {
    nullable: true,
    description:
      'Whether the latest reading meets the target (已达标 / 未达标); null without a target, a reading, or when a lower bound cannot decide.',
  })
  get met(): boolean | null {
    const latest = this.visible.at(-1);
    return latest ? meetsTarget(this.rule, readingOf(latest)) : null;
  }
  @Field(() => String, { nullable: true, description: '已达标 or 未达标 (null as for met).' })
  get metLabel(): string | null {
    const met = this.met;
    return met === null ? null : met ? '已达标' : '未达标';
  }
  @Field(() => Float, {
    nullable: true,
    description: 'A burn-down’s progress, 0–100: how much of its first reading is gone.',
  })
  get burnDownPercent(): number | null {
    if (!this.row.burnDown) return null;
    const p = burnDownProgress(this.visible.map(readingOf), this.until);
    return p === null ? null : Math.round(p * 10_000) / 100;
  }
}
