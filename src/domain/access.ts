/**
 * Who may do what. Roles are ordered viewer < editor < admin; a token holds one role, either
 * for every initiative or for one. Outside its scope a token sees nothing at all: objects of
 * other initiatives look not-found, so a scoped token cannot even learn that they exist.
 */
export const ROLES = ['viewer', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function roleAtLeast(role: Role, minimum: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(minimum);
}

export type Principal =
  | { readonly kind: 'anonymous'; readonly canRead: boolean }
  | {
      readonly kind: 'token';
      readonly tokenId: number;
      readonly name: string;
      readonly role: Role;
      /** null: every initiative. */
      readonly initiativeId: number | null;
    };

export function inScope(principal: Principal, initiativeId: number): boolean {
  return (
    principal.kind === 'token' &&
    (principal.initiativeId === null || principal.initiativeId === initiativeId)
  );
}

/** Reading an initiative: an anonymous reader where anonymous reads are allowed, or a token in scope. */
export function canRead(principal: Principal, initiativeId: number): boolean {
  return principal.kind === 'anonymous' ? principal.canRead : inScope(principal, initiativeId);
}

/** Changing an initiative's workstreams and items: an editor or admin in scope. */
export function canWrite(principal: Principal, initiativeId: number): boolean {
  return (
    principal.kind === 'token' &&
    roleAtLeast(principal.role, 'editor') &&
    inScope(principal, initiativeId)
  );
}

/** Creating initiatives, restoring deleted things: an admin for every initiative (or in scope). */
export function isAdminFor(principal: Principal, initiativeId: number | null): boolean {
  if (principal.kind !== 'token' || principal.role !== 'admin') return false;
  return initiativeId === null ? principal.initiativeId === null : inScope(principal, initiativeId);
}

/** The actor written into the change log. */
export function actorName(principal: Principal): string {
  return principal.kind === 'token' ? principal.name : 'anonymous';
}

/** Token lifetimes such as `90d`, `12h`, `30m`: milliseconds, or null when malformed. */
export function parseDuration(text: string): number | null {
  const match = /^(\d{1,6})([mhdw])$/.exec(text.trim());
  if (!match) return null;
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[
    match[2] as 'm' | 'h' | 'd' | 'w'
  ];
  const ms = Number(match[1]) * unit;
  return ms > 0 ? ms : null;
}
