import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { parseDecimal } from '../../domain/decimal.js';
import {
  burnDownProgress,
  meetsTarget,
  type MetricDirection,
  type Reading,
  type TargetComparison,
} from '../../domain/metric-rules.js';
import { isOverdue, slipDays, type Due, type DuePrecision } from '../../domain/milestone-rules.js';
import type { MetricRow } from '../../db/queries/report-model.queries.js';
import type { MilestoneRow, ReadingRow } from '../../db/queries/report-records.queries.js';
import { toGlobalId } from '../global-id.js';
import { PageInfoType } from './item-connection.type.js';
import { UserErrorType } from './user-error.type.js';

@ObjectType('Stage', { simpleResolvers: true })
export class StageType {
  @Field(() => String) name!: string;
  @Field(() => Int, { description: 'Whole percent of the item’s weight it earns.' })
  percent!: number;
}

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

/** A milestone as read on a day (the report's day of the read time: overdue then). */
@ObjectType('Milestone', { simpleResolvers: true })
export class MilestoneType {
  constructor(
    readonly row: MilestoneRow,
    /** YYYY-MM-DD: the day overdue is judged on. */
    readonly today: string,
    readonly nodeName: string | null = null,
  ) {}

  private dueOf(date: string, precision: string): Due {
    return { date, precision: precision as DuePrecision };
  }

  @Field(() => Int, { description: 'setMilestone takes it as milestoneId.' })
  get id(): number {
    return this.row.id;
  }
  @Field(() => String) get name(): string {
    return this.row.name;
  }
  @Field(() => String, { description: 'Same as dueDate (kept for older clients).' })
  get due(): string {
    return this.row.dueDate;
  }
  @Field(() => String, {
    description: 'YYYY-MM-DD: the day, a day of the week, or the month’s 1st.',
  })
  get dueDate(): string {
    return this.row.dueDate;
  }
  @Field(() => String, { description: 'DAY, WEEK or MONTH.' })
  get duePrecision(): string {
    return this.row.duePrecision;
  }
  @Field(() => String, { nullable: true }) get doneDate(): string | null {
    return this.row.doneDate;
  }
  @Field(() => String, { nullable: true }) get note(): string | null {
    return this.row.note;
  }
  @Field(() => Boolean, { description: 'Not done and past its due date (week, month) then.' })
  get overdue(): boolean {
    return isOverdue(
      this.dueOf(this.row.dueDate, this.row.duePrecision),
      this.row.doneDate,
      this.today,
    );
  }
  @Field(() => Int, { description: 'Days the due date moved since first set.' })
  get slipDays(): number {
    return slipDays(
      this.dueOf(this.row.originalDueDate, this.row.originalDuePrecision),
      this.dueOf(this.row.dueDate, this.row.duePrecision),
    );
  }
  @Field(() => ID, { nullable: true, description: 'The workstream it belongs to, if any.' })
  get workstreamId(): string | null {
    return this.row.workstreamId === null ? null : toGlobalId('Workstream', this.row.workstreamId);
  }
  @Field(() => String, { nullable: true }) get workstreamName(): string | null {
    return this.nodeName;
  }
}

@ObjectType('NamedFigure', { simpleResolvers: true })
export class NamedFigureType {
  @Field(() => String) name!: string;
  @Field(() => Float, { nullable: true }) percent!: number | null;
  @Field(() => Float, { description: 'Numerator, in item-equivalents.' }) credit!: number;
  @Field(() => Float, { description: 'Denominator, in item-equivalents.' }) counted!: number;
  @Field(() => String) explain!: string;
}

@ObjectType('WrittenUpdate', { simpleResolvers: true })
export class WrittenUpdateType {
  @Field(() => Int) id!: number;
  @Field(() => String, { description: 'PROGRESS, REFLECTION or NEXT_WEEK.' }) section!: string;
  @Field(() => String, { description: 'The report date (YYYY-MM-DD) it belongs to.' })
  week!: string;
  @Field(() => String) body!: string;
  @Field(() => String) author!: string;
  @Field(() => Date) effectiveAt!: Date;
}

/** A page of written updates, newest first. */
@ObjectType('WrittenUpdateConnection', { simpleResolvers: true })
export class WrittenUpdateConnectionType {
  @Field(() => [WrittenUpdateType]) nodes!: WrittenUpdateType[];
  @Field(() => PageInfoType) pageInfo!: PageInfoType;
  @Field(() => Int) totalCount!: number;
}

/** One payload for the report model's writes: what the write made, or why not. */
@ObjectType('ReportModelPayload', { simpleResolvers: true })
export class ReportModelPayload {
  @Field(() => [StageType], { nullable: true }) stages?: StageType[] | null;
  @Field(() => MetricType, { nullable: true }) metric?: MetricType | null;
  @Field(() => MetricReadingType, { nullable: true }) reading?: MetricReadingType | null;
  @Field(() => MilestoneType, { nullable: true }) milestone?: MilestoneType | null;
  @Field(() => [String], { nullable: true, description: 'Named figures, in header order.' })
  figures?: string[] | null;
  @Field(() => WrittenUpdateType, { nullable: true }) update?: WrittenUpdateType | null;
  @Field(() => [UserErrorType]) userErrors!: UserErrorType[];
}
