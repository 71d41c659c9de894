/**
 * The lists the access matrix is generated from, and its oracle: written from the rules in
 * plain words (quality bar R6), not from src/domain/access.ts, so the two can disagree.
 */
export const ROLES = ['viewer', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** global: every initiative; own: scoped to `a`, the one acted on; other: scoped to `b`. */
export const SCOPES = ['global', 'own', 'other'] as const;
export type Scope = (typeof SCOPES)[number];

export interface Actor {
  readonly role: Role;
  readonly scope: Scope;
  /** `editor/own`: the case label. */
  readonly label: string;
  /** `editor-own`: the token's name, as the change log records it. */
  readonly tokenName: string;
}

export const ACTORS: readonly Actor[] = ROLES.flatMap((role) =>
  SCOPES.map((scope) => ({
    role,
    scope,
    label: `${role}/${scope}`,
    tokenName: `${role}-${scope}`,
  })),
);

/** What a token may read: `a` unless scoped to `b`, `b` unless scoped to `a`. */
export function sees(actor: Actor): { a: boolean; b: boolean } {
  return { a: actor.scope !== 'other', b: actor.scope !== 'own' };
}

/**
 * write: changes a's workstreams or items; restore: admin only; settings: a's own settings and
 * archiving, admin only (in scope); createInitiative: global admin.
 */
export type WriteKind = 'write' | 'restore' | 'settings' | 'createInitiative';
export type Outcome = 'success' | 'FORBIDDEN' | 'NOT_FOUND';

/**
 * A role too low for the operation is refused outright (top-level FORBIDDEN); a role high
 * enough but scoped to another initiative finds nothing (userError NOT_FOUND).
 */
export function expectedWrite(kind: WriteKind, actor: Actor): Outcome {
  const minimum: Role = kind === 'write' ? 'editor' : 'admin';
  if (ROLES.indexOf(actor.role) < ROLES.indexOf(minimum)) return 'FORBIDDEN';
  if (kind === 'createInitiative') return actor.scope === 'global' ? 'success' : 'FORBIDDEN';
  return actor.scope === 'other' ? 'NOT_FOUND' : 'success';
}

/** Credentials that must be refused with 401, by the secrets the setup made. */
export interface BadCredentials {
  readonly unknown: string;
  readonly expired: string;
  readonly revoked: string;
}

export const TOKEN_STATES: readonly {
  readonly state: string;
  readonly authorization: (c: BadCredentials) => string | null;
}[] = [
  { state: 'no token', authorization: () => null },
  { state: 'malformed "Bearer abc"', authorization: () => 'Bearer abc' },
  { state: 'malformed "Basic xyz"', authorization: () => 'Basic xyz' },
  { state: 'malformed "Bearer jindu_short"', authorization: () => 'Bearer jindu_short' },
  { state: 'unknown token', authorization: (c) => `Bearer ${c.unknown}` },
  { state: 'expired token', authorization: (c) => `Bearer ${c.expired}` },
  { state: 'revoked token', authorization: (c) => `Bearer ${c.revoked}` },
];

export interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The parsed body, or the text when it was not JSON. */
  readonly body: any;
}

/** POST /graphql with exactly this Authorization header (null: none). */
export async function postRaw(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown>,
  authorization: string | null,
): Promise<RawResponse> {
  const res = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(authorization === null ? {} : { authorization }),
    },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // left as text: the assertions on content-type and code will say what was wrong
  }
  return { status: res.status, headers: res.headers, body };
}
