import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** An initiative (账户2.0升级, Hive数仓建设): the root of one workstream tree. */
export const InitiativeSchema = defineEntity({
  name: 'Initiative',
  tableName: 'initiative',
  properties: {
    id: p.integer().primary().autoincrement(),
    key: p.string().length(64).unique(),
    name: p.string().length(200),
    objective: p.string().length(200).nullable(),
    phase: p.string().length(200).nullable(),
    targetDate: p.string().length(10).nullable(),
    /** Overrides of the default rollup policy, per status. */
    rollupPolicy: p.json<Record<string, string>>().nullable(),
    /** Status-label overrides per locale (Hive: CANCELLED → 取消迁移). */
    statusLabels: p.json<Record<string, Record<string, string>>>().nullable(),
    /** In-progress items under this percent share one report bucket. */
    reportLowPercentBucket: p.integer().nullable(),
    /** When it came into being (its creation's effectiveAt; a back-dated create sets it). */
    effectiveFrom: p.datetime().nullable(),
    /** Archived: out of the lists and reports, still readable by key (null: active). */
    archivedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});

export type Initiative = InferEntity<typeof InitiativeSchema>;
