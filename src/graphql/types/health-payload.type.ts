import { Field, ObjectType } from 'type-graphql';
import { HealthType } from './time.type.js';
import { UserErrorType } from './user-error.type.js';

/** What setHealth and clearHealth answer (affectedNodes is added in live/affected-nodes.ts). */
@ObjectType('HealthPayload')
export class HealthPayload {
  @Field(() => HealthType, { nullable: true, description: 'The node’s health after the change.' })
  health!: HealthType | null;

  @Field(() => [UserErrorType])
  userErrors!: UserErrorType[];
}
