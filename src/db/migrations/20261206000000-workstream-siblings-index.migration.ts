import { Migration } from '@mikro-orm/migrations';
import { dialectOfPlatform } from '../dialect.js';

/** As the change-log entity declares them (the same text on both databases). */
const CHANGE_LOG = [
  'create index change_log_workstream_structure_index on change_log (workstream_id, initiative_id, effective_at) where item_id is null',
  'create index change_log_structure_id_index on change_log (initiative_id, id) where item_id is null',
  "create index change_log_stage_index on change_log (initiative_id, effective_at) where kind = 'ItemStageChanged'",
  "create index change_log_health_index on change_log (initiative_id, effective_at) where kind in ('HealthSet', 'HealthCleared')",
  "create index change_log_report_model_index on change_log (initiative_id, effective_at) where kind in ('MilestoneSet', 'MetricDefined')",
];

const SQLITE = [
  'create index `workstream_initiative_id_parent_id_deleted_at_position_index` on `workstream` (`initiative_id`, `parent_id`, `deleted_at`, `position`)',
  'create index `outbox_initiative_id_revision_index` on `outbox` (`initiative_id`, `revision`)',
  ...CHANGE_LOG,
];

const POSTGRESQL = [
  'create index "workstream_initiative_id_parent_id_deleted_at_position_index" on "workstream" ("initiative_id", "parent_id", "deleted_at", "position")',
  'create index "outbox_initiative_id_revision_index" on "outbox" ("initiative_id", "revision")',
  ...CHANGE_LOG,
];

/**
 * Indexes for statements that read a whole initiative, or a whole table, for an answer of a few
 * rows (test/integration/query-plans.test.ts asks each database for their plans):
 *
 * - A parent's live children, in order: what creating, moving and restoring a workstream asks
 *   (the next free position, whether a workstream has children) and how a subtree is walked.
 *   Without it SQLite read every live workstream of the initiative for each, and PostgreSQL,
 *   which has no index on `parent_id`, every workstream of every initiative: an import into
 *   8,000 new workstreams spent 4 s on SQLite in the position query alone.
 * - An initiative's outbox rows after a revision, which a resumed subscription reads: without
 *   it, the whole outbox (a week of every initiative's writes).
 * - The change log's workstream and initiative rows (item_id null), by workstream (an
 *   initiative's own rows under workstream null) and by id: the latest time logged for one,
 *   target dates, an as-of tree's initiative settings, an export's structure version. They read
 *   an initiative's whole log or, on PostgreSQL, walked the whole table. Partial: a write of
 *   an item's row, most of the log, does not pay for them.
 * - The change log's rows of a few kinds that are read by kind (items' stages, health,
 *   milestones and metrics), each a small share of the log: an as-of report read the
 *   initiative's whole log for the stages, health and the report model its structure rows.
 */
export class Migration20261206000000WorkstreamSiblingsIndex extends Migration {
  override name = 'Migration20261206000000WorkstreamSiblingsIndex';

  override up(): void {
    const dialect = dialectOfPlatform(this.driver.getPlatform());
    for (const sql of dialect === 'postgresql' ? POSTGRESQL : SQLITE) this.addSql(sql);
  }
}
