import { Field, ID, InputType, Int } from 'type-graphql';

const IDEMPOTENCY =
  'Retries with the same key (per token) return the first answer and apply once; the same key with another input is IDEMPOTENCY_KEY_REUSED.';
const EFFECTIVE_AT =
  'When it happened (back-dating, e.g. from an old report); default now. Not in the future (beyond a minute) and not before the object existed: else INVALID_INPUT on effectiveAt.';
const EXPECTED_VERSION = 'Apply only if the item is still at this version (else STALE_VERSION).';

@InputType('UpdateItemInput', {
  description: 'Absent fields stay; note: null (or blank) clears it.',
})
export class UpdateItemInput {
  @Field(() => ID)
  itemId!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => Int, { nullable: true, description: 'Whole number 1–1000.' })
  weight?: number | null;

  @Field(() => String, { nullable: true })
  note?: string | null;

  @Field(() => Int, { nullable: true, description: EXPECTED_VERSION })
  expectedVersion?: number | null;

  @Field(() => Date, { nullable: true, description: EFFECTIVE_AT })
  effectiveAt?: Date | null;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@InputType('MoveItemInput')
export class MoveItemInput {
  @Field(() => ID)
  itemId!: string;

  @Field(() => ID, {
    description: 'A workstream without children (nor a manual percent) of the same initiative.',
  })
  workstreamId!: string;

  @Field(() => Int, { nullable: true, description: EXPECTED_VERSION })
  expectedVersion?: number | null;

  @Field(() => Date, { nullable: true, description: EFFECTIVE_AT })
  effectiveAt?: Date | null;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}
