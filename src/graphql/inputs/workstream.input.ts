import { Field, Float, ID, InputType, Int } from 'type-graphql';
import type { ReportDetail } from '../../domain/report-detail.js';
import { ReportDetailEnum } from '../enums.js';

/** Back-dating, as every write that takes it describes it. */
const EFFECTIVE_AT =
  'When it happened (back-dating, e.g. from an old report); default now. Not in the future (beyond a minute) and not before the object existed: else INVALID_INPUT on effectiveAt.';
@InputType('CreateWorkstreamInput')
export class CreateWorkstreamInput {
  @Field(() => ID)
  initiativeId!: string;

  @Field(() => ID, { nullable: true, description: 'Absent: a top-level workstream.' })
  parentId?: string | null;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  phase?: string | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Item-equivalents (default 1), two decimals at most.',
  })
  weight?: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'For work that is not itemized: 0–100, two decimals at most.',
  })
  manualPercent?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Place among siblings (0 first); absent: last.',
  })
  position?: number | null;

  @Field(() => String, { nullable: true })
  targetDate?: string | null;

  @Field(() => ReportDetailEnum, { nullable: true })
  reportDetail?: ReportDetail | null;

  @Field(() => Date, { nullable: true, description: EFFECTIVE_AT })
  effectiveAt?: Date | null;
}

@InputType('UpdateWorkstreamInput', {
  description: 'Absent fields stay; manualPercent: null clears it.',
})
export class UpdateWorkstreamInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  phase?: string | null;

  @Field(() => Float, { nullable: true })
  weight?: number | null;

  @Field(() => Float, { nullable: true })
  manualPercent?: number | null;

  @Field(() => String, { nullable: true })
  targetDate?: string | null;

  @Field(() => ReportDetailEnum, { nullable: true })
  reportDetail?: ReportDetail | null;

  @Field(() => Date, { nullable: true, description: EFFECTIVE_AT })
  effectiveAt?: Date | null;
}

@InputType('MoveWorkstreamInput')
export class MoveWorkstreamInput {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'The new parent; null or absent: the top level.',
  })
  parentId?: string | null;

  @Field(() => Int, { nullable: true })
  position?: number | null;

  @Field(() => Date, { nullable: true, description: EFFECTIVE_AT })
  effectiveAt?: Date | null;
}

@InputType('DeleteWorkstreamInput')
export class DeleteWorkstreamInput {
  @Field(() => ID)
  id!: string;

  @Field(() => Date, { nullable: true, description: EFFECTIVE_AT })
  effectiveAt?: Date | null;
}

@InputType('RestoreWorkstreamInput')
export class RestoreWorkstreamInput {
  @Field(() => ID)
  id!: string;
}
