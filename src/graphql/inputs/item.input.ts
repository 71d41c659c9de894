import { Field, ID, InputType, Int } from 'type-graphql';
import type { ItemStatus } from '../../domain/item-status.js';
import { ItemStatusEnum } from '../enums.js';

const IDEMPOTENCY =
  'Retries with the same key (per token) return the first answer and apply once; the same key with another input is IDEMPOTENCY_KEY_REUSED.';

/** Back-dating, as every write that takes it describes it. */
const EFFECTIVE_AT =
  'When it happened (back-dating, e.g. from an old report); default now. Not in the future (beyond a minute) and not before the object existed: else INVALID_INPUT on effectiveAt.';
@InputType('NewItemInput')
export class NewItemInput {
  @Field(() => String)
  name!: string;

  @Field(() => ItemStatusEnum, { nullable: true, description: 'Default NOT_STARTED.' })
  status?: ItemStatus | null;

  @Field(() => Int, { nullable: true, description: 'Whole number 0–100.' })
  percent?: number | null;

  @Field(() => Int, { nullable: true, description: 'Whole number 1–1000 (default 1).' })
  weight?: number | null;

  @Field(() => String, { nullable: true })
  note?: string | null;
}

@InputType('CreateItemsInput')
export class CreateItemsInput {
  @Field(() => ID, { description: 'A workstream without children.' })
  workstreamId!: string;

  @Field(() => [NewItemInput], { description: 'At most 100.' })
  items!: NewItemInput[];

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;

  @Field(() => Date, { nullable: true, description: EFFECTIVE_AT })
  effectiveAt?: Date | null;
}

@InputType('ItemStatusUpdateInput', { description: 'One entry of a bulk status update.' })
export class ItemStatusUpdateInput {
  @Field(() => ID)
  itemId!: string;

  @Field(() => ItemStatusEnum)
  status!: ItemStatus;

  @Field(() => Int, {
    nullable: true,
    description: 'Whole number 0–100; absent: DONE → 100, NOT_STARTED → 0, else kept.',
  })
  percent?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Apply only if the item is still at this version (else STALE_VERSION).',
  })
  expectedVersion?: number | null;

  @Field(() => String, { nullable: true, description: 'Why: kept in the change log.' })
  note?: string | null;

  @Field(() => Date, { nullable: true, description: EFFECTIVE_AT })
  effectiveAt?: Date | null;
}

@InputType('SetItemStatusInput')
export class SetItemStatusInput extends ItemStatusUpdateInput {
  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@InputType('SetItemStatusesInput')
export class SetItemStatusesInput {
  @Field(() => [ItemStatusUpdateInput], { description: 'At most 100; all applied or none.' })
  updates!: ItemStatusUpdateInput[];

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;

  @Field(() => Date, {
    nullable: true,
    description: 'Every update’s effectiveAt unless the update gives its own. ' + EFFECTIVE_AT,
  })
  effectiveAt?: Date | null;
}

@InputType('RestoreItemInput')
export class RestoreItemInput {
  @Field(() => ID)
  id!: string;
}

@InputType('DeleteItemInput')
export class DeleteItemInput {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { nullable: true })
  expectedVersion?: number | null;

  @Field(() => Date, { nullable: true, description: EFFECTIVE_AT })
  effectiveAt?: Date | null;
}
