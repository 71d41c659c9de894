import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * The append-only change log: one row per item change, written in the same transaction as the
 * change. Plain ids rather than relations: the log outlives what it describes.
 */
export const CHANGE_KINDS = [
  'CREATE',
  'STATUS',
  'DELETE',
  'RESTORE',
  'WORKSTREAM_DELETE',
  'WORKSTREAM_RESTORE',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export const StatusChangeSchema = defineEntity({
  name: 'StatusChange',
  tableName: 'status_change',
  properties: {
    id: p.integer().primary().autoincrement(),
    initiativeId: p.integer(),
    workstreamId: p.integer(),
    /** null for a workstream event (delete, restore). */
    itemId: p.integer().nullable().index(),
    kind: p.string().length(32),
    fromStatus: p.string().length(32).nullable(),
    fromPercent: p.integer().nullable(),
    toStatus: p.string().length(32).nullable(),
    toPercent: p.integer().nullable(),
    version: p.integer().nullable(),
    actor: p.string().length(200),
    note: p.text().nullable(),
    at: p.datetime(),
  },
  indexes: [{ properties: ['initiativeId', 'at'] }, { properties: ['workstreamId', 'id'] }],
});

export type StatusChange = InferEntity<typeof StatusChangeSchema>;
