import { Field, ID, InputType, Int } from 'type-graphql';
import type { ItemStatus } from '../../domain/item-status.js';
import { ItemStatusEnum } from '../enums.js';

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
}

@InputType('SetItemStatusInput')
export class SetItemStatusInput {
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
}

@InputType('SetItemStatusesInput')
export class SetItemStatusesInput {
  @Field(() => [SetItemStatusInput], { description: 'At most 100; all applied or none.' })
  updates!: SetItemStatusInput[];
}

@InputType('DeleteItemInput')
export class DeleteItemInput {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { nullable: true })
  expectedVersion?: number | null;
}
