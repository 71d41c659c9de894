import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { InitiativeSchema } from './initiative.entity.js';

/**
 * A node of an initiative's tree. `path` lists the ancestor ids and its own (`/1/5/9/`); SQL
 * finds a subtree from `parent_id` (SUBTREE_IDS in workstream.queries.ts), which an index
 * answers. Weight is kept in hundredths and manual percent in basis points, so the rollup
 * stays in integers.
 */
export const WorkstreamSchema = defineEntity({
  name: 'Workstream',
  tableName: 'workstream',
  properties: {
    id: p.integer().primary().autoincrement(),
    initiative: () => p.manyToOne(InitiativeSchema),
    parent: () => p.manyToOne(WorkstreamSchema).nullable(),
    path: p.string().length(1000).default('').index(),
    depth: p.integer().default(0),
    name: p.string().length(200),
    phase: p.string().length(200).nullable(),
    position: p.integer().default(0),
    weightCenti: p.integer().default(100),
    manualPercentBp: p.integer().nullable(),
    targetDate: p.string().length(10).nullable(),
    reportDetail: p.string().length(16).default('BY_PERCENT'),
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
    { properties: ['initiative', 'deletedAt'] },
    // A parent's live children and their last position: without it, creating a workstream
    // scanned every live workstream of its initiative (an import of 8,000 new ones: 4 s).
    { properties: ['initiative', 'parent', 'deletedAt', 'position'] },
  ],
});

export type Workstream = InferEntity<typeof WorkstreamSchema>;
