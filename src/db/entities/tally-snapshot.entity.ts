import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { ITEM_STATUSES } from '../../domain/item-status.js';

/**
 * A snapshot of one initiative's per-workstream tallies as they stood at `effectiveAt` as known
 * at `recordedAt`: an as-of read at (asOf ≥ effectiveAt, knownAt ≥ recordedAt) starts from the
 * nearest one and adds only the log rows it does not hold. Never updated; a newer one is added.
 */
export const TallySnapshotSchema = defineEntity({
  name: 'TallySnapshot',
  tableName: 'tally_snapshot',
  properties: {
    id: p.integer().primary().autoincrement(),
    initiativeId: p.integer(),
    effectiveAt: p.datetime(),
    recordedAt: p.datetime(),
  },
  indexes: [{ properties: ['initiativeId', 'effectiveAt'] }],
});

/** One workstream's tally for one status in a snapshot (as workstream_tally keeps it live). */
export const TallySnapshotRowSchema = defineEntity({
  name: 'TallySnapshotRow',
  tableName: 'tally_snapshot_row',
  properties: {
    snapshotId: p.integer().primary(),
    workstreamId: p.integer().primary(),
    status: p.enum(ITEM_STATUSES).primary(),
    items: p.integer(),
    weight: p.bigint('number'),
    percentWeight: p.bigint('number'),
  },
});

export type TallySnapshot = InferEntity<typeof TallySnapshotSchema>;
export type TallySnapshotRow = InferEntity<typeof TallySnapshotRowSchema>;
