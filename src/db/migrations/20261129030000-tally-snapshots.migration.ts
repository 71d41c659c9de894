import { Migration } from '@mikro-orm/migrations';
import { dialectOfPlatform } from '../dialect.js';

const STATUS_CHECK =
  "('NOT_STARTED', 'IN_PROGRESS', 'PAUSED', 'DONE', 'DECOMMISSIONABLE', 'CANCELLED')";

/** See the change-log entity: back-dated rows by recording time; the structure's own rows. */
const BACKDATED =
  'create index change_log_backdated_index on change_log (initiative_id, recorded_at) where effective_at < recorded_at';

const STRUCTURE =
  'create index change_log_structure_index on change_log (initiative_id, effective_at) where item_id is null';

const SQLITE = [
  BACKDATED,
  STRUCTURE,
  'create table `tally_snapshot` (`id` integer not null primary key autoincrement, `initiative_id` integer not null, `effective_at` datetime not null, `recorded_at` datetime not null)',
  'create index `tally_snapshot_initiative_id_effective_at_index` on `tally_snapshot` (`initiative_id`, `effective_at`)',
  `create table \`tally_snapshot_row\` (\`snapshot_id\` integer not null, \`workstream_id\` integer not null, \`status\` text check (\`status\` in ${STATUS_CHECK}) not null, \`items\` integer not null, \`weight\` bigint not null, \`percent_weight\` bigint not null, primary key (\`snapshot_id\`, \`workstream_id\`, \`status\`))`,
];

const POSTGRESQL = [
  BACKDATED,
  STRUCTURE,
  'create table "tally_snapshot" ("id" serial primary key, "initiative_id" int not null, "effective_at" timestamptz not null, "recorded_at" timestamptz not null)',
  'create index "tally_snapshot_initiative_id_effective_at_index" on "tally_snapshot" ("initiative_id", "effective_at")',
  'create table "tally_snapshot_row" ("snapshot_id" int not null, "workstream_id" int not null, "status" text not null, "items" int not null, "weight" bigint not null, "percent_weight" bigint not null, primary key ("snapshot_id", "workstream_id", "status"))',
  `alter table "tally_snapshot_row" add constraint "tally_snapshot_row_status_check" check ("status" in ${STATUS_CHECK})`,
];

/**
 * Per-workstream tally snapshots for as-of reads (entities/tally-snapshot.entity.ts), and an
 * two partial indexes of the log (back-dated rows, structure rows). An upgraded database starts
 * with no snapshot; the server takes the first at start.
 */
export class Migration20261129030000TallySnapshots extends Migration {
  override name = 'Migration20261129030000TallySnapshots';

  override up(): void {
    const dialect = dialectOfPlatform(this.driver.getPlatform());
    for (const sql of dialect === 'postgresql' ? POSTGRESQL : SQLITE) this.addSql(sql);
  }
}
