import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-json.js';

/** A token the server refused (401/403), as against one it could not check (a database down). */
export const isTokenRefusal = (err: unknown): boolean =>
  err instanceof HttpError && (err.status === 401 || err.status === 403);

/** connection_init fields the token is read from (`headers` holds `authorization`). */
const READ_FIELDS = new Set([
  'authorization',
  'Authorization',
  'token',
  'authToken',
  'accessToken',
  'headers',
]);
const CREDENTIAL_LIKE = /auth|token|bearer|secret|password|api.?key|credential/i;

/**
 * The upgrade request as `authenticate` should see it: with the token of connection_init's
 * payload (`authorization` "Bearer …", `token`, `authToken`, `accessToken`, or
 * `headers.authorization` as Apollo's links put it), else the upgrade's own Authorization
 * header. A token given in a shape that is not a string, `headers` that is not an object, or a
 * field that looks like a credential but is none of these is refused (null), not read as no
 * token at all: the client would be served anonymously without knowing why.
 */
export function socketAuthRequest(
  request: IncomingMessage,
  params: Record<string, unknown> | undefined,
): IncomingMessage | null {
  const headers = params?.headers;
  if (
    headers !== undefined &&
    headers !== null &&
    (typeof headers !== 'object' || Array.isArray(headers))
  )
    return null;
  const head = (headers ?? {}) as Record<string, unknown>;
  // A field that looks like a credential but is not read would connect anonymously, and the
  // client would think itself signed in until it met a NOT_FOUND or FORBIDDEN far from here.
  for (const key of Object.keys(params ?? {}))
    if (!READ_FIELDS.has(key) && CREDENTIAL_LIKE.test(key)) return null;
  const given = [
    params?.authorization,
    params?.Authorization,
    params?.token,
    params?.authToken,
    params?.accessToken,
    head.authorization,
    head.Authorization,
  ].filter((v) => v !== undefined && v !== null);
  if (given.length === 0) return request;
  const raw = given[0];
  if (typeof raw !== 'string') return null;
  const authorization = /^bearer\s/i.test(raw) ? raw : `Bearer ${raw}`;
  return Object.assign(Object.create(request) as IncomingMessage, {
    headers: { ...request.headers, authorization },
  });
}
