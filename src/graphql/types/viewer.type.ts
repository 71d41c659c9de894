import { Field, ObjectType } from 'type-graphql';
import type { Principal } from '../../domain/access.js';

/**
 * Who is asking, as the server sees the request's token: what a page needs to offer only what
 * the caller may do (editors edit, viewers read) and to tell a pasted token that works from one
 * that does not.
 */
@ObjectType('Viewer', { simpleResolvers: true })
export class ViewerType {
  constructor(
    readonly principal: Principal,
    /** The key of the one initiative the token is for (null: every initiative, or anonymous). */
    private readonly scopeKey: string | null,
  ) {}

  @Field(() => String, { nullable: true, description: 'The token’s name; null when anonymous.' })
  get name(): string | null {
    return this.principal.kind === 'token' ? this.principal.name : null;
  }

  @Field(() => String, {
    nullable: true,
    description: 'viewer, editor or admin; null when anonymous (reading where that is allowed).',
  })
  get role(): string | null {
    return this.principal.kind === 'token' ? this.principal.role : null;
  }

  @Field(() => String, {
    nullable: true,
    description: 'The key of the one initiative the token is for; null: every initiative.',
  })
  get initiativeKey(): string | null {
    return this.scopeKey;
  }
}
