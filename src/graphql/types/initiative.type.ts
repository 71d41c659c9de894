import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { ReadTime } from '../../domain/replay-items.js';
import type { InitiativeRecord } from '../../db/records.js';
import { toGlobalId } from '../../domain/global-id.js';
import { NodeInterface } from './node.interface.js';

/** An initiative's own fields; progress and workstreams resolve through the per-request tree loader. */
@ObjectType('Initiative', { implements: NodeInterface, simpleResolvers: true })
export class InitiativeType implements NodeInterface {
  readonly __typename = 'Initiative';

  /** `time`: an as-of view (its progress, workstreams and report lines as they stood then). */
  constructor(
    readonly record: InitiativeRecord,
    readonly time: ReadTime | null = null,
  ) {}

  @Field(() => ID)
  get id(): string {
    return toGlobalId('Initiative', this.record.id);
  }

  @Field(() => String, { description: 'Url-safe unique key, e.g. hive.' })
  get key(): string {
    return this.record.key;
  }

  @Field(() => String)
  get name(): string {
    return this.record.name;
  }

  @Field(() => String, { nullable: true, description: 'The report section, e.g. 【O2系统升级】.' })
  get objective(): string | null {
    return this.record.objective;
  }

  @Field(() => String, { nullable: true })
  get phase(): string | null {
    return this.record.phase;
  }

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD.' })
  get targetDate(): string | null {
    return this.record.targetDate;
  }

  @Field(() => Int, {
    nullable: true,
    description: 'In-progress items under this percent share one report bucket.',
  })
  get reportLowPercentBucket(): number | null {
    return this.record.reportLowPercentBucket;
  }

  @Field(() => Boolean, {
    description: 'Archived: left out of initiatives, weeklyReport and report --all.',
  })
  get archived(): boolean {
    return this.record.archivedAt !== null;
  }

  @Field(() => Date, { nullable: true, description: 'When it was archived.' })
  get archivedAt(): Date | null {
    return this.record.archivedAt;
  }
}
