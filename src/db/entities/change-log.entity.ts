import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * The append-only, bitemporal change log: one row per change that can move a figure, written by
 * the write pipeline in the transaction of the change. `kind` is the event type (ItemCreated,
 * WorkstreamMoved… see domain/change-events.ts); item events fill the status columns and the
 * item's weight, the others put their before/after in `data` (JSON). `recordedAt` is the
 * server's clock; `effectiveAt` when the change happened (a caller may back-date it). Plain ids
 * rather than relations: the log outlives what it describes. A correction is a new row.
 */
export const ChangeLogSchema = defineEntity({
  name: 'ChangeLog',
  tableName: 'change_log',
  properties: {
    id: p.integer().primary().autoincrement(),
    initiativeId: p.integer(),
    /** null for an initiative event. */
    workstreamId: p.integer().nullable(),
    /** null for a workstream or initiative event. */
    itemId: p.integer().nullable().index(),
    kind: p.string().length(40),
    fromStatus: p.string().length(32).nullable(),
    fromPercent: p.integer().nullable(),
    toStatus: p.string().length(32).nullable(),
    toPercent: p.integer().nullable(),
    /** The item's weight (item events). */
    weight: p.integer().nullable(),
    version: p.integer().nullable(),
    data: p.text().nullable(),
    actor: p.string().length(200),
    note: p.text().nullable(),
    effectiveAt: p.datetime(),
    recordedAt: p.datetime(),
  },
  indexes: [
    { properties: ['initiativeId', 'effectiveAt'] },
    { properties: ['initiativeId', 'recordedAt'] },
    { properties: ['workstreamId', 'id'] },
    {
      // An initiative's rows in a workstream, in the order they were logged: a subtree's history
      // walks its initiative's newest rows and keeps its own (change-log.queries.ts). PostgreSQL
      // walked the whole table's primary key for it instead, past other initiatives' newer rows.
      // Partial, so that no other read uses it where it should not: as a whole index on
      // (initiative_id, id, workstream_id) SQLite took it, without statistics, for the as-of
      // read's structure signature (`initiative_id = ? and item_id is null`) and read every row
      // of the initiative instead of its structure rows.
      name: 'change_log_initiative_walk_index',
      expression:
        'create index change_log_initiative_walk_index on change_log (initiative_id, id, workstream_id) where workstream_id is not null',
    },
    {
      // Back-dated rows only (recorded after they took effect): an as-of read finds the ones
      // recorded after its snapshot without scanning the history since (see as-of.queries.ts).
      name: 'change_log_backdated_index',
      expression:
        'create index change_log_backdated_index on change_log (initiative_id, recorded_at) where effective_at < recorded_at',
    },
    {
      // Workstream and initiative rows only: an as-of read replays the structure from them
      // without scanning the item rows around them.
      name: 'change_log_structure_index',
      expression:
        'create index change_log_structure_index on change_log (initiative_id, effective_at) where item_id is null',
    },
    {
      // A workstream's own rows, or (workstream_id null) the initiative's: the latest time logged
      // for one (a back-dated write), its target dates, the initiative's settings of an as-of
      // tree. Without it they read the initiative's log (SQLite, 37-43 ms at 200,000 rows) or
      // the workstream's items' rows (PostgreSQL also every row without an item, of the table).
      name: 'change_log_workstream_structure_index',
      expression:
        'create index change_log_workstream_structure_index on change_log (workstream_id, initiative_id, effective_at) where item_id is null',
    },
    {
      // Workstream and initiative rows in the order they were logged: an initiative's structure
      // version (its newest path change) and the path changes up to one, read by exports and
      // imports. SQLite read every such row of every initiative, PostgreSQL walked the whole
      // log back from its end until it met one of the initiative's.
      name: 'change_log_structure_id_index',
      expression:
        'create index change_log_structure_id_index on change_log (initiative_id, id) where item_id is null',
    },
    // Kinds read by kind, each a small share of the log: an initiative's rows of one of them
    // without the rest of its log (or of its structure rows).
    {
      // Items' stages as they stood: an as-of report read the initiative's whole log for them
      // (200,000 rows: 48 ms on SQLite, 116 ms on PostgreSQL).
      name: 'change_log_stage_index',
      expression:
        "create index change_log_stage_index on change_log (initiative_id, effective_at) where kind = 'ItemStageChanged'",
    },
    {
      // Health set by hand: every health read went through the initiative's structure rows.
      name: 'change_log_health_index',
      expression:
        "create index change_log_health_index on change_log (initiative_id, effective_at) where kind in ('HealthSet', 'HealthCleared')",
    },
    {
      // Milestones and metrics as they stood (as-of reports and reads): the same.
      name: 'change_log_report_model_index',
      expression:
        "create index change_log_report_model_index on change_log (initiative_id, effective_at) where kind in ('MilestoneSet', 'MetricDefined')",
    },
  ],
});

export type ChangeLog = InferEntity<typeof ChangeLogSchema>;
