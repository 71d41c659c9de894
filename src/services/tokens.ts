import { createHash, randomBytes } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { isRole, parseDuration, type Principal, type Role } from '../domain/access.js';
import { DomainError } from '../domain/errors.js';
import { assertName } from '../domain/tree-rules.js';
import { ApiTokenSchema } from '../db/entities/index.js';
import type { Em } from '../db/em.js';
import { findInitiativeByKey } from '../db/queries/initiative.queries.js';
import type { KnownToken, TokenCache } from './token-cache.js';

/** `jindu_` + 32 random bytes in base64url: recognisable in logs and secret scanners. */
export const TOKEN_PREFIX = 'jindu_';
const TOKEN_PATTERN = /^jindu_[A-Za-z0-9_-]{43}$/;
const LAST_USED_RESOLUTION_MS = 60_000;

export function tokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface TokenInfo {
  readonly id: number;
  readonly name: string;
  readonly role: Role;
  readonly initiativeId: number | null;
  readonly prefix: string;
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
}

export interface CreateTokenProps {
  readonly em: Em;
  readonly name: string;
  readonly role: string;
  /** Limit the token to one initiative. */
  readonly initiativeKey?: string | null;
  /** `90d`, `12h`, `30m`, `2w`; absent: never expires. */
  readonly expires?: string | null;
}

/**
 * The name, role and expiry of a new token, checked without the database, so a command can
 * refuse a mistyped option before it opens (and on SQLite creates) one.
 */
export function checkTokenInput(props: Omit<CreateTokenProps, 'em' | 'initiativeKey'>): {
  name: string;
  role: Role;
  expiresAt: Date | null;
} {
  const name = assertName(props.name);
  if (!isRole(props.role))
    throw new DomainError(
      'INVALID_INPUT',
      `角色必须是 viewer、editor 或 admin，收到 ${props.role}`,
      ['role'],
    );
  let expiresAt: Date | null = null;
  if (props.expires) {
    const ms = parseDuration(props.expires);
    if (ms === null)
      throw new DomainError(
        'INVALID_INPUT',
        `有效期应为 1 到 999999 分钟、小时、天或周，写作 30m、12h、90d 或 2w，收到 ${props.expires}`,
        ['expires'],
      );
    expiresAt = new Date(Date.now() + ms);
  }
  return { name, role: props.role, expiresAt };
}

/** Creates a token and returns its secret: the only time it exists outside the caller. */
export async function createToken(
  props: CreateTokenProps,
): Promise<{ token: string; info: TokenInfo }> {
  const { name, role, expiresAt } = checkTokenInput(props);
  let initiativeId: number | null = null;
  if (props.initiativeKey) {
    const initiative = await findInitiativeByKey(props.em, props.initiativeKey);
    if (!initiative)
      throw new DomainError('NOT_FOUND', `项目不存在：${props.initiativeKey}`, ['initiative']);
    initiativeId = initiative.id;
  }
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const em = props.em.fork();
  const entity = em.create(ApiTokenSchema, {
    name,
    role,
    initiativeId,
    digest: tokenDigest(token),
    prefix: token.slice(0, 10),
    expiresAt,
  });
  try {
    await em.flush();
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException)
      throw new DomainError('DUPLICATE_KEY', `令牌名称已存在：${name}`, ['name']);
    throw err;
  }
  return { token, info: toInfo(entity) };
}

function toInfo(e: Record<string, unknown>): TokenInfo {
  const date = (v: unknown) =>
    v === null || v === undefined ? null : new Date(v as string | number | Date);
  return {
    id: Number(e.id),
    name: String(e.name),
    role: e.role as Role,
    initiativeId:
      e.initiativeId === null || e.initiativeId === undefined ? null : Number(e.initiativeId),
    prefix: String(e.prefix),
    createdAt: date(e.createdAt)!,
    expiresAt: date(e.expiresAt),
    lastUsedAt: date(e.lastUsedAt),
    revokedAt: date(e.revokedAt),
  };
}

export async function listTokens(em: Em): Promise<TokenInfo[]> {
  const rows = await em.fork().find(ApiTokenSchema, {}, { orderBy: { id: 'asc' } });
  return rows.map((r) => toInfo(r as unknown as Record<string, unknown>));
}

/**
 * Revokes by name; a revoked token is refused at once, by every server process. `already`: it
 * was revoked before (its time is kept).
 */
export async function revokeToken(
  em: Em,
  name: string,
): Promise<TokenInfo & { readonly already: boolean }> {
  const fork = em.fork();
  const token = await fork.findOne(ApiTokenSchema, { name });
  if (!token) throw new DomainError('NOT_FOUND', `令牌不存在：${name}`, ['name']);
  const already = token.revokedAt !== null && token.revokedAt !== undefined;
  token.revokedAt ??= new Date();
  await fork.flush();
  return { ...toInfo(token as unknown as Record<string, unknown>), already };
}

export type AuthFailure = 'malformed' | 'unknown' | 'expired' | 'revoked';

/**
 * The principal a secret stands for, or why it stands for none. Records the last use (per
 * minute). `em` is asked for only when the token's row must be read or its last use recorded:
 * with `kept` (SQLite), a token already seen is answered from memory (token-cache.ts).
 */
export async function authenticateToken(
  em: () => Em,
  secret: string,
  kept?: TokenCache,
): Promise<Principal | AuthFailure> {
  if (!TOKEN_PATTERN.test(secret)) return 'malformed';
  const digest = tokenDigest(secret);
  // Read once, before the row: a read it does not cover is not kept (token-cache.ts).
  const version = kept?.version() ?? null;
  let token = version ? kept?.get(digest) : undefined;
  if (!token) {
    const [row] = await em().execute(
      'select id, name, role, initiative_id, expires_at, revoked_at, last_used_at from api_token where digest = ?',
      [digest],
    );
    if (!row) return 'unknown';
    if (row.revoked_at !== null && row.revoked_at !== undefined) return 'revoked';
    token = knownToken(row);
    kept?.set(digest, token, version);
  }
  const now = Date.now();
  if (token.expiresAt !== null && token.expiresAt <= now) return 'expired';
  if (now - token.lastUsedAt > LAST_USED_RESOLUTION_MS) {
    token.lastUsedAt = now;
    await em().execute(
      'update api_token set last_used_at = ? where id = ?',
      [new Date(now), token.principal.tokenId],
      'run',
    );
  }
  return token.principal;
}

const epochMs = (v: unknown): number | null =>
  v === null || v === undefined ? null : new Date(v as string).getTime();

function knownToken(row: Record<string, unknown>): KnownToken {
  return {
    principal: {
      kind: 'token',
      tokenId: Number(row.id),
      name: String(row.name),
      role: row.role as Role,
      initiativeId:
        row.initiative_id === null || row.initiative_id === undefined
          ? null
          : Number(row.initiative_id),
    },
    expiresAt: epochMs(row.expires_at),
    lastUsedAt: epochMs(row.last_used_at) ?? 0,
  };
}
