import { Field, ID, Int, ObjectType } from 'type-graphql';
import { isOverdue, slipDays, type Due, type DuePrecision } from '../../domain/milestone-rules.js';
import type { MilestoneRow } from '../../db/queries/report-records.queries.js';
import { toGlobalId } from '../../domain/global-id.js';

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
