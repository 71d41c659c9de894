import { Field, ObjectType } from 'type-graphql';
import type { UserErrorCode } from '../../domain/errors.js';
import { UserErrorCodeEnum } from '../enums.js';

@ObjectType('UserError', {
  description: 'An expected failure: the input was wrong, nothing was changed.',
  simpleResolvers: true,
})
export class UserErrorType {
  @Field(() => UserErrorCodeEnum)
  code!: UserErrorCode;

  @Field(() => String)
  message!: string;

  @Field(() => [String], { nullable: true, description: 'Path of the input field at fault.' })
  field?: string[] | null;
}
