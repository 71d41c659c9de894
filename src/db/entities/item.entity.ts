import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { ITEM_STATUSES } from '../../domain/item-status.js';
import { InitiativeSchema } from './initiative.entity.js';
import { WorkstreamSchema } from './workstream.entity.js';

/**
 * A unit of work in a leaf workstream. `version` grows by one on every change (optimistic
 * concurrency); `initiative` is denormalized so scoping and counting never need a join.
 */
export const ItemSchema = defineEntity({
  name: 'Item',
  tableName: 'item',
  properties: {
    id: p.integer().primary().autoincrement(),
    initiative: () => p.manyToOne(InitiativeSchema),
    workstream: () => p.manyToOne(WorkstreamSchema),
    name: p.string().length(200),
    status: p.enum(ITEM_STATUSES),
    percent: p.integer().default(0),
    weight: p.integer().default(1),
    note: p.text().nullable(),
    version: p.integer().default(1),
    deletedAt: p.datetime().nullable(),
    /** When it came into being (its creation's effectiveAt; a back-dated create sets it). */
    effectiveFrom: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
  indexes: [
    { properties: ['workstream', 'deletedAt', 'id'] },
    // An initiative's items in id order (Initiative.items, its search): one bounded range.
    { properties: ['initiative', 'deletedAt', 'id'] },
  ],
});

export type Item = InferEntity<typeof ItemSchema>;
