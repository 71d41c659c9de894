import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { ITEM_STATUSES } from '../../domain/item-status.js';

/**
 * Per-workstream counters of its own items, one row per status that ever had an item: count,
 * Σ weight and Σ weight × percent. Changed only by atomic upserts (`items = items + n`) in the
 * item's transaction, never read-modify-write; reads fold them up the tree in memory.
 */
export const WorkstreamTallySchema = defineEntity({
  name: 'WorkstreamTally',
  tableName: 'workstream_tally',
  properties: {
    workstreamId: p.integer().primary(),
    status: p.enum(ITEM_STATUSES).primary(),
    initiativeId: p.integer().index(),
    items: p.integer().default(0),
    weight: p.bigint('number').default(0),
    percentWeight: p.bigint('number').default(0),
  },
});

export type WorkstreamTally = InferEntity<typeof WorkstreamTallySchema>;
