import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { databaseFailure } from '../db/connection-errors.js';
import { DomainError, DomainErrors } from '../domain/errors.js';
import type { UserErrorType } from './types/user-error.type.js';

/** Top-level error codes whose messages are safe to show as they are. */
const SAFE_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'QUERY_TOO_COMPLEX',
  'QUERY_TOO_LARGE',
  'RATE_LIMITED',
  'RESUME_UNAVAILABLE',
  'NOT_FOUND',
  'TIMEOUT',
  'TOO_MANY_SUBSCRIPTIONS',
]);

/** Extensions a safe error may carry to the client (never stack traces or exceptions). */
const SAFE_EXTENSIONS = [
  'code',
  'cost',
  'nodes',
  'limit',
  'field',
  'retryAfter',
  'argument',
  'revision',
];

/** The userErrors of an expected failure, or null when the error was not expected. */
export function toUserErrors(err: unknown): UserErrorType[] | null {
  if (err instanceof DomainError) return [asUserError(err)];
  if (err instanceof DomainErrors) return err.errors.map(asUserError);
  return null;
}

function asUserError(err: DomainError): UserErrorType {
  return { code: err.code, message: err.message, field: err.field ? [...err.field] : null };
}

/**
 * Runs a mutation's work: expected failures become `userErrors` (nothing was written, the
 * transaction rolled back); anything else propagates and is masked by `formatError`.
 */
export async function withUserErrors<T>(
  work: () => Promise<T>,
): Promise<{ value: T | null; userErrors: UserErrorType[] }> {
  try {
    return { value: await work(), userErrors: [] };
  } catch (err) {
    const userErrors = toUserErrors(err);
    if (userErrors === null) throw err;
    return { value: null, userErrors };
  }
}

/** The code of a database outage: nothing is wrong with the request, retry it later. */
export const DATABASE_UNAVAILABLE = 'DATABASE_UNAVAILABLE';
/** Seconds a client should wait before retrying after DATABASE_UNAVAILABLE. */
export const DATABASE_RETRY_AFTER_S = 2;
export const DATABASE_UNAVAILABLE_MESSAGE =
  '数据库暂时不可用，请稍后重试（写操作可能未生效：请带同一 idempotencyKey 重试）';

/** A caller whose role does not allow the operation. */
export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

/** A bad argument of a query field: a top-level error with a stable code, never a 500. */
export function badUserInput(message: string, argument?: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'BAD_USER_INPUT', ...(argument ? { argument } : {}) },
  });
}

/**
 * An optional argument read by `parse`: null when absent, else what `parse` makes of it, or
 * BAD_USER_INPUT naming the argument. Given is given: `after: ""` is no cursor, not "none".
 */
export function optionalArg<T>(
  value: string | null | undefined,
  parse: (text: string) => T | null,
  argument: string,
  message = `${argument} 无效`,
): T | null {
  if (value === null || value === undefined) return null;
  const parsed = parse(value);
  if (parsed === null) throw badUserInput(message, argument);
  return parsed;
}

/** Apollo's CSRF refusal, with what to send instead. */
const CSRF_REFUSAL =
  '请求被拦截（可能是跨站请求伪造 CSRF）：GET 请求须带 apollo-require-preflight 或 x-apollo-operation-name 头，或用 POST 发送 JSON';

/**
 * The one place errors leave the server: known codes pass with their message, everything else
 * becomes INTERNAL_SERVER_ERROR with no SQL, path or stack; the caller logs the original.
 */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
  logUnexpected: (err: unknown) => void,
  opts: { readonly suggestions: boolean } = { suggestions: true },
): GraphQLFormattedError {
  if (!opts.suggestions)
    formatted = { ...formatted, message: withoutSuggestions(formatted.message) };
  const code = formatted.extensions?.code;
  // Apollo's CSRF prevention speaks English; said as the server's other refusals are.
  if (code === 'BAD_REQUEST' && /Cross-Site Request Forgery/.test(formatted.message))
    formatted = { ...formatted, message: CSRF_REFUSAL };
  const original = unwrapResolverError(error);
  if (original instanceof DomainError) {
    return {
      message: original.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'BAD_USER_INPUT', userErrorCode: original.code },
    };
  }
  if (typeof code === 'string' && SAFE_CODES.has(code)) {
    const extensions = Object.fromEntries(
      SAFE_EXTENSIONS.filter((k) => formatted.extensions?.[k] !== undefined).map((k) => [
        k,
        formatted.extensions![k],
      ]),
    );
    return {
      message: formatted.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions,
    };
  }
  if (original instanceof GraphQLError && !original.originalError && !formatted.path) {
    // graphql-js and Apollo report some request errors without a code (too many invalid
    // variables, persisted-query protocol, operations the schema cannot run): the request was bad.
    return {
      message: formatted.message,
      locations: formatted.locations,
      extensions: { code: 'BAD_REQUEST' },
    };
  }
  const failure = databaseFailure(original);
  if (failure !== null) {
    // An outage, not a bug: a stable code the client can act on (HTTP 503, see apollo.ts). A
    // database that cannot take writes (read-only, full) is logged too: waiting will not fix it.
    if (failure === 'broken') logUnexpected(original);
    return {
      message: DATABASE_UNAVAILABLE_MESSAGE,
      path: formatted.path,
      extensions: { code: DATABASE_UNAVAILABLE, retryAfter: DATABASE_RETRY_AFTER_S },
    };
  }
  logUnexpected(original);
  return {
    message: 'Internal server error',
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}

/**
 * A message without graphql-js's "Did you mean …?" hints. With introspection off they would
 * spell the schema out field by field (validation, and enum values and input fields of variables).
 */
export function withoutSuggestions(message: string): string {
  return message.replace(/ ?Did you mean [^?]*\?/g, '');
}
