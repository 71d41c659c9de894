import { Field, ID, ObjectType } from 'type-graphql';
import { InitiativeType } from './initiative.type.js';
import { ItemType } from './item.type.js';
import { UserErrorType } from './user-error.type.js';
import { WorkstreamType } from './workstream.type.js';

@ObjectType('InitiativePayload', { simpleResolvers: true })
export class InitiativePayload {
  @Field(() => InitiativeType, { nullable: true })
  initiative!: InitiativeType | null;

  @Field(() => [UserErrorType])
  userErrors!: UserErrorType[];
}

@ObjectType('WorkstreamPayload', { simpleResolvers: true })
export class WorkstreamPayload {
  @Field(() => WorkstreamType, { nullable: true })
  workstream!: WorkstreamType | null;

  @Field(() => [UserErrorType])
  userErrors!: UserErrorType[];
}

@ObjectType('ItemPayload', { simpleResolvers: true })
export class ItemPayload {
  @Field(() => ItemType, { nullable: true })
  item!: ItemType | null;

  @Field(() => [UserErrorType])
  userErrors!: UserErrorType[];
}

@ObjectType('ItemsPayload', { simpleResolvers: true })
export class ItemsPayload {
  @Field(() => [ItemType], { nullable: true })
  items!: ItemType[] | null;

  @Field(() => [UserErrorType])
  userErrors!: UserErrorType[];
}

@ObjectType('DeletePayload', { simpleResolvers: true })
export class DeletePayload {
  @Field(() => ID, { nullable: true })
  deletedId!: string | null;

  @Field(() => [UserErrorType])
  userErrors!: UserErrorType[];
}
