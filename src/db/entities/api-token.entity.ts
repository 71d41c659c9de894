import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { ROLES } from '../../domain/access.js';

/**
 * An API token. Only the SHA-256 digest of the secret is stored; the secret is shown once, at
 * creation. `prefix` (the first characters) lets people tell their tokens apart in listings.
 */
export const ApiTokenSchema = defineEntity({
  name: 'ApiToken',
  tableName: 'api_token',
  properties: {
    id: p.integer().primary().autoincrement(),
    name: p.string().length(100).unique(),
    role: p.enum(ROLES),
    initiativeId: p.integer().nullable(),
    digest: p.string().length(64).unique(),
    prefix: p.string().length(16),
    createdAt: p.datetime().onCreate(() => new Date()),
    expiresAt: p.datetime().nullable(),
    lastUsedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  },
});

export type ApiToken = InferEntity<typeof ApiTokenSchema>;
