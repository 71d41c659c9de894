import type { WriteContext } from '../services/write-pipeline/write-context.js';
import type { WriteScope } from '../services/write-scope.js';
import { idempotencyOf } from './access.js';
import type { Context } from './context.type.js';
import { noteTouched } from './live/affected-nodes.js';
import { forgetRequestReads } from './resolvers/views.js';

/**
 * The write pipeline's context for a GraphQL write: the caller's token as actor, the scope the
 * resolver's access check gave, its idempotency key, and this request's loaders to clear after
 * commit (what later fields of the same response read must be fresh).
 */
export function writeContextOf(
  ctx: Context,
  scope: WriteScope,
  idempotencyKey?: string | null,
): WriteContext {
  return {
    em: ctx.writeEm?.() ?? ctx.em,
    actor: ctx.actor,
    scope,
    idempotency: idempotencyOf(ctx, idempotencyKey),
    forget: (touched) => {
      forgetRequestReads(ctx);
      noteTouched(ctx, touched);
    },
  };
}
