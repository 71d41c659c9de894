import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/*
 * What the weekly report tracks beyond items: stage workflows, items' stages, metrics and their
 * readings, milestones, named figures and written updates. Plain ids rather than relations,
 * as in the change log: the named queries (db/queries/report-model.queries.ts) read them flat.
 */

/** An initiative's (workstream_id null) or a workstream's stage workflow: JSON [{name, percent}]. */
export const StageWorkflowSchema = defineEntity({
  name: 'StageWorkflow',
  tableName: 'stage_workflow',
  properties: {
    id: p.integer().primary().autoincrement(),
    initiativeId: p.integer().index(),
    workstreamId: p.integer().nullable(),
    stages: p.text(),
  },
});

/** An item's current stage, its note, and when (effective) it entered the stage. */
export const ItemStageSchema = defineEntity({
  name: 'ItemStage',
  tableName: 'item_stage',
  properties: {
    itemId: p.integer().primary().autoincrement(false),
    initiativeId: p.integer().index(),
    stage: p.string().length(40),
    note: p.text().nullable(),
    since: p.datetime(),
  },
});

/** A metric of an initiative or one of its workstreams. Target: a decimal string. */
export const MetricSchema = defineEntity({
  name: 'Metric',
  tableName: 'metric',
  properties: {
    id: p.integer().primary().autoincrement(),
    initiativeId: p.integer().index(),
    workstreamId: p.integer().nullable(),
    name: p.string().length(200),
    unit: p.string().length(20),
    decimals: p.integer(),
    direction: p.string().length(8),
    target: p.string().length(40).nullable(),
    comparison: p.string().length(16).nullable(),
    burnDown: p.boolean(),
    groupName: p.string().length(200).nullable(),
    category: p.string().length(200).nullable(),
    position: p.integer(),
  },
});

/** One dated reading, as written (a decimal string), bitemporal like the change log. */
export const MetricReadingSchema = defineEntity({
  name: 'MetricReading',
  tableName: 'metric_reading',
  properties: {
    id: p.integer().primary().autoincrement(),
    metricId: p.integer(),
    initiativeId: p.integer(),
    value: p.string().length(40),
    lowerBound: p.boolean(),
    period: p.string().length(7).nullable(),
    note: p.text().nullable(),
    actor: p.string().length(200),
    effectiveAt: p.datetime(),
    recordedAt: p.datetime(),
  },
  indexes: [{ properties: ['metricId', 'effectiveAt'] }],
});

/** A dated milestone; the first due date is kept so a moved one shows its slip. */
export const MilestoneSchema = defineEntity({
  name: 'Milestone',
  tableName: 'milestone',
  properties: {
    id: p.integer().primary().autoincrement(),
    initiativeId: p.integer().index(),
    workstreamId: p.integer().nullable(),
    name: p.string().length(200),
    dueDate: p.string().length(10),
    duePrecision: p.string().length(8),
    originalDueDate: p.string().length(10),
    originalDuePrecision: p.string().length(8),
    doneDate: p.string().length(10).nullable(),
    note: p.text().nullable(),
  },
});

/** An initiative's named figure: its policy overrides (JSON) over a scope (null: everything). */
export const NamedFigureSchema = defineEntity({
  name: 'NamedFigure',
  tableName: 'named_figure',
  properties: {
    id: p.integer().primary().autoincrement(),
    initiativeId: p.integer().index(),
    position: p.integer(),
    name: p.string().length(200),
    scopeWorkstreamId: p.integer().nullable(),
    policy: p.text().nullable(),
  },
});

/** A written update for a week: an initiative's, or an objective's (initiative_id null). */
export const WrittenUpdateSchema = defineEntity({
  name: 'WrittenUpdate',
  tableName: 'written_update',
  properties: {
    id: p.integer().primary().autoincrement(),
    initiativeId: p.integer().nullable(),
    objective: p.string().length(200).nullable(),
    section: p.string().length(16),
    week: p.string().length(10),
    body: p.text(),
    author: p.string().length(200),
    effectiveAt: p.datetime(),
    recordedAt: p.datetime(),
  },
  // By week (a report's), and an initiative's in posting order (its `updates`).
  indexes: [{ properties: ['week'] }, { properties: ['initiativeId', 'effectiveAt'] }],
});

export type StageWorkflow = InferEntity<typeof StageWorkflowSchema>;
export type Metric = InferEntity<typeof MetricSchema>;

export const REPORT_MODEL_ENTITIES = [
  StageWorkflowSchema,
  ItemStageSchema,
  MetricSchema,
  MetricReadingSchema,
  MilestoneSchema,
  NamedFigureSchema,
  WrittenUpdateSchema,
];
