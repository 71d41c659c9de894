import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
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
  'NOT_FOUND',
]);

/** Extensions a safe error may carry to the client (never stack traces or exceptions). */
const SAFE_EXTENSIONS = ['code', 'cost', 'limit', 'retryAfter', 'argument'];

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
  const argument = badArgumentOf(original);
  if (argument !== null) {
    return {
      message: formatted.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'BAD_USER_INPUT', argument },
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
 * The argument named by graphql-js's own coercion error at execution (a variable of `null` for
 * a non-null argument with a default, as in `items(first: $f)` with `{"f": null}`; a required
 * argument whose variable is absent), or null for anything else. Those are the caller's
 * mistakes: BAD_USER_INPUT, never INTERNAL_SERVER_ERROR. They are GraphQLErrors that graphql-js
 * made itself (no original error) for an argument node.
 */
function badArgumentOf(err: unknown): string | null {
  if (!(err instanceof GraphQLError) || err.originalError || !err.nodes?.length) return null;
  if (err.extensions?.code !== undefined) return null;
  return /^Argument "(\w+)" /.exec(err.message)?.[1] ?? null;
}

/**
 * A message without graphql-js's "Did you mean …?" hints. With introspection off they would
 * spell the schema out field by field (validation, and enum values and input fields of variables).
 */
export function withoutSuggestions(message: string): string {
  return message.replace(/ ?Did you mean [^?]*\?/g, '');
}
