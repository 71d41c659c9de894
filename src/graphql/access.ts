import { canWrite, isAdminFor, roleAtLeast } from '../domain/access.js';
import { DomainError } from '../domain/errors.js';
import { textProblem } from '../domain/text-rules.js';
import type { WriteScope } from '../services/write-scope.js';
import type { Context } from './context.type.js';
import { forbidden } from './errors.js';

/**
 * The initiatives the caller may change, for services to apply; a viewer (or anonymous caller)
 * may change nothing and hears FORBIDDEN at once.
 */
export function writeScope(ctx: Context): WriteScope {
  const { principal } = ctx;
  if (principal.kind !== 'token' || !roleAtLeast(principal.role, 'editor')) {
    throw forbidden('只读令牌不能修改数据：需要 editor 或 admin 角色');
  }
  return (initiativeId) => canWrite(principal, initiativeId);
}

/** Admin-only operations (restores): an admin in scope; others are refused. */
export function adminScope(ctx: Context): WriteScope {
  const { principal } = ctx;
  if (principal.kind !== 'token' || principal.role !== 'admin')
    throw forbidden('只有 admin 可以执行此操作');
  return (initiativeId) => isAdminFor(principal, initiativeId);
}

/** Creating initiatives: an admin for every initiative. */
export function requireGlobalAdmin(ctx: Context): void {
  if (!isAdminFor(ctx.principal, null)) throw forbidden('只有全局 admin 可以创建项目');
}

/** The caller's idempotency key space: its token. */
export function idempotencyOf(ctx: Context, key: string | null | undefined) {
  if (key === null || key === undefined) return null;
  // Keys are compared as stored: a lone surrogate would be stored as U+FFFD and match another key.
  const problem = textProblem(key, 'line');
  if (problem)
    throw new DomainError('INVALID_INPUT', `idempotencyKey ${problem}`, ['idempotencyKey']);
  const owner = ctx.principal.kind === 'token' ? `token:${ctx.principal.tokenId}` : 'anonymous';
  return { key, owner };
}
