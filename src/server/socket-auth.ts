import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-json.js';

/** A token the server refused (401/403), as against one it could not check (a database down). */
export const isTokenRefusal = (err: unknown): boolean =>
  err instanceof HttpError && (err.status === 401 || err.status === 403);

/**
 * The upgrade request as `authenticate` should see it: with the token of connection_init's
 * payload (`authorization` "Bearer …", `token`, or `headers.authorization` as Apollo's links put
 * it), else the upgrade's own Authorization header. A token given in the payload in a shape that
 * is not a string is refused (null), not read as no token at all: the client would be served
 * anonymously without knowing why.
 */
export function socketAuthRequest(
  request: IncomingMessage,
  params: Record<string, unknown> | undefined,
): IncomingMessage | null {
  const headers = params?.headers as Record<string, unknown> | undefined;
  const given = [
    params?.authorization,
    params?.Authorization,
    params?.token,
    typeof headers === 'object' && headers !== null ? headers.authorization : undefined,
    typeof headers === 'object' && headers !== null ? headers.Authorization : undefined,
  ].filter((v) => v !== undefined && v !== null);
  if (given.length === 0) return request;
  const raw = given[0];
  if (typeof raw !== 'string') return null;
  const authorization = /^bearer\s/i.test(raw) ? raw : `Bearer ${raw}`;
  return Object.assign(Object.create(request) as IncomingMessage, {
    headers: { ...request.headers, authorization },
  });
}
