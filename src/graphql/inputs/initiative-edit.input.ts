import { Field, ID, InputType, Int } from 'type-graphql';
import { StatusCreditInput, StatusLabelInput } from './initiative.input.js';

const EFFECTIVE_AT =
  'When it happened (back-dating, e.g. from an old report); default now. Not in the future (beyond a minute) and not before the initiative existed: else INVALID_INPUT on effectiveAt.';

@InputType('UpdateInitiativeInput', {
  description:
    'Absent fields stay. null clears objective, phase, targetDate and reportLowPercentBucket, and puts rollupPolicy and statusLabels back to the defaults; a list given replaces the overrides.',
})
export class UpdateInitiativeInput {
  @Field(() => ID)
  initiativeId!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  objective?: string | null;

  @Field(() => String, { nullable: true })
  phase?: string | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD.' })
  targetDate?: string | null;

  @Field(() => [StatusCreditInput], {
    nullable: true,
    description: 'Overrides of the default policy.',
  })
  rollupPolicy?: StatusCreditInput[] | null;

  @Field(() => [StatusLabelInput], { nullable: true })
  statusLabels?: StatusLabelInput[] | null;

  @Field(() => Int, { nullable: true, description: '1–100.' })
  reportLowPercentBucket?: number | null;

  @Field(() => Date, { nullable: true, description: EFFECTIVE_AT })
  effectiveAt?: Date | null;
}

@InputType('ArchiveInitiativeInput')
export class ArchiveInitiativeInput {
  @Field(() => ID)
  initiativeId!: string;
}

@InputType('RestoreInitiativeInput')
export class RestoreInitiativeInput {
  @Field(() => ID)
  initiativeId!: string;
}
