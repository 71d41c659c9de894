import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-json.js';

/** A token the server refused (401/403), as against one it could not check (a database down). */
export const isTokenRefusal = (err: unknown): boolean =>
  err instanceof HttpError && (err.status === 401 || err.status === 403);

/** connection_init fields the token is read from (`headers` holds `authorization`). */
const READ_FIELDS = new Set(['authorization', 'token', 'authtoken', 'accesstoken', 'headers']);
/**
 * Names of credentials other clients send, none of which is read: said, not served anonymously.
 * Whole names only, so `author` or `csrfToken` pass as before.
 */
const CREDENTIAL_LIKE =
  /^(x[-_])?(access[-_]?token|api[-_]?key|auth|auth[-_]?key|bearer|jwt|id[-_]?token|session[-_]?token|password|secret|credentials?)$/i;

/**
 * The upgrade request as `authenticate` should see it: with the token of connection_init's
 * payload (`authorization` "Bearer …", `token`, `authToken`, `accessToken`, or
 * `headers.authorization` as Apollo's links put it; names in any case), else the upgrade's own
 * Authorization header. A token given in a shape that is not a string, `headers` that is not an
 * object, or a field named as another credential is refused (null), not read as no token at all:
 * the client would be served anonymously without knowing why.
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
  const fields = Object.entries(params ?? {});
  const heads = Object.entries((headers ?? {}) as Record<string, unknown>);
  if (
    fields.some(([k]) => !READ_FIELDS.has(k.toLowerCase()) && CREDENTIAL_LIKE.test(k)) ||
    heads.some(([k]) => k.toLowerCase() !== 'authorization' && CREDENTIAL_LIKE.test(k))
  )
    return null;
  const given = [
    ...fields.filter(([k]) => k.toLowerCase() !== 'headers' && READ_FIELDS.has(k.toLowerCase())),
    ...heads.filter(([k]) => k.toLowerCase() === 'authorization'),
  ]
    .map(([, v]) => v)
    .filter((v) => v !== undefined && v !== null);
  if (given.length === 0) return request;
  const raw = given[0];
  if (typeof raw !== 'string') return null;
  const authorization = /^bearer\s/i.test(raw) ? raw : `Bearer ${raw}`;
  return Object.assign(Object.create(request) as IncomingMessage, {
    headers: { ...request.headers, authorization },
  });
}
