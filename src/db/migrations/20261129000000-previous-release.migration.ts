import { Migration } from '@mikro-orm/migrations';
import { dialectOfPlatform } from '../dialect.js';

/**
 * The schema of the release before versioned migrations (0.1.0), exactly as its
 * `schema.update` created it. A database that release made is recognised at start (it has these
 * tables and no migrations table) and this migration is marked as done without running.
 */
export const PREVIOUS_SQLITE = [
  "create table `api_token` (`id` integer not null primary key autoincrement, `name` text not null, `role` text check (`role` in ('viewer', 'editor', 'admin')) not null, `initiative_id` integer null, `digest` text not null, `prefix` text not null, `created_at` datetime not null, `expires_at` datetime null, `last_used_at` datetime null, `revoked_at` datetime null)",
  'create unique index `api_token_name_unique` on `api_token` (`name`)',
  'create unique index `api_token_digest_unique` on `api_token` (`digest`)',
  'create table `idempotency_record` (`owner` text not null, `key` text not null, `request_hash` text not null, `response` text not null, `created_at` datetime not null, primary key (`owner`, `key`))',
  'create table `initiative` (`id` integer not null primary key autoincrement, `key` text not null, `name` text not null, `objective` text null, `phase` text null, `target_date` text null, `rollup_policy` json null, `status_labels` json null, `report_low_percent_bucket` integer null, `created_at` datetime not null, `updated_at` datetime not null)',
  'create unique index `initiative_key_unique` on `initiative` (`key`)',
  'create table `status_change` (`id` integer not null primary key autoincrement, `initiative_id` integer not null, `workstream_id` integer not null, `item_id` integer null, `kind` text not null, `from_status` text null, `from_percent` integer null, `to_status` text null, `to_percent` integer null, `version` integer null, `actor` text not null, `note` text null, `at` datetime not null)',
  'create index `status_change_item_id_index` on `status_change` (`item_id`)',
  'create index `status_change_initiative_id_at_index` on `status_change` (`initiative_id`, `at`)',
  'create index `status_change_workstream_id_id_index` on `status_change` (`workstream_id`, `id`)',
  "create table `workstream` (`id` integer not null primary key autoincrement, `initiative_id` integer not null, `parent_id` integer null, `path` text not null default '', `depth` integer not null default 0, `name` text not null, `phase` text null, `position` integer not null default 0, `weight_centi` integer not null default 100, `manual_percent_bp` integer null, `target_date` text null, `report_detail` text not null default 'BY_PERCENT', `deleted_at` datetime null, `created_at` datetime not null, `updated_at` datetime not null, constraint `workstream_initiative_id_foreign` foreign key (`initiative_id`) references `initiative` (`id`), constraint `workstream_parent_id_foreign` foreign key (`parent_id`) references `workstream` (`id`) on delete set null)",
  'create index `workstream_initiative_id_index` on `workstream` (`initiative_id`)',
  'create index `workstream_parent_id_index` on `workstream` (`parent_id`)',
  'create index `workstream_path_index` on `workstream` (`path`)',
  'create index `workstream_initiative_id_deleted_at_index` on `workstream` (`initiative_id`, `deleted_at`)',
  "create table `item` (`id` integer not null primary key autoincrement, `initiative_id` integer not null, `workstream_id` integer not null, `name` text not null, `status` text check (`status` in ('NOT_STARTED', 'IN_PROGRESS', 'PAUSED', 'DONE', 'DECOMMISSIONABLE', 'CANCELLED')) not null, `percent` integer not null default 0, `weight` integer not null default 1, `note` text null, `version` integer not null default 1, `deleted_at` datetime null, `created_at` datetime not null, `updated_at` datetime not null, constraint `item_initiative_id_foreign` foreign key (`initiative_id`) references `initiative` (`id`), constraint `item_workstream_id_foreign` foreign key (`workstream_id`) references `workstream` (`id`))",
  'create index `item_initiative_id_index` on `item` (`initiative_id`)',
  'create index `item_workstream_id_index` on `item` (`workstream_id`)',
  'create index `item_workstream_id_deleted_at_id_index` on `item` (`workstream_id`, `deleted_at`, `id`)',
  "create table `workstream_tally` (`workstream_id` integer not null, `status` text check (`status` in ('NOT_STARTED', 'IN_PROGRESS', 'PAUSED', 'DONE', 'DECOMMISSIONABLE', 'CANCELLED')) not null, `initiative_id` integer not null, `items` integer not null default 0, `weight` bigint not null default '0', `percent_weight` bigint not null default '0', primary key (`workstream_id`, `status`))",
  'create index `workstream_tally_initiative_id_index` on `workstream_tally` (`initiative_id`)',
];

export const PREVIOUS_POSTGRESQL = [
  'create table "api_token" ("id" serial primary key, "name" varchar(100) not null, "role" text not null, "initiative_id" int null, "digest" varchar(64) not null, "prefix" varchar(16) not null, "created_at" timestamptz not null, "expires_at" timestamptz null, "last_used_at" timestamptz null, "revoked_at" timestamptz null)',
  'alter table "api_token" add constraint "api_token_name_unique" unique ("name")',
  'alter table "api_token" add constraint "api_token_digest_unique" unique ("digest")',
  'alter table "api_token" add constraint "api_token_role_check" check ("role" in (\'viewer\', \'editor\', \'admin\'))',
  'create table "idempotency_record" ("owner" varchar(64) not null, "key" varchar(200) not null, "request_hash" varchar(64) not null, "response" text not null, "created_at" timestamptz not null, primary key ("owner", "key"))',
  'create table "initiative" ("id" serial primary key, "key" varchar(64) not null, "name" varchar(200) not null, "objective" varchar(200) null, "phase" varchar(200) null, "target_date" varchar(10) null, "rollup_policy" jsonb null, "status_labels" jsonb null, "report_low_percent_bucket" int null, "created_at" timestamptz not null, "updated_at" timestamptz not null)',
  'alter table "initiative" add constraint "initiative_key_unique" unique ("key")',
  'create table "status_change" ("id" serial primary key, "initiative_id" int not null, "workstream_id" int not null, "item_id" int null, "kind" varchar(32) not null, "from_status" varchar(32) null, "from_percent" int null, "to_status" varchar(32) null, "to_percent" int null, "version" int null, "actor" varchar(200) not null, "note" text null, "at" timestamptz not null)',
  'create index "status_change_item_id_index" on "status_change" ("item_id")',
  'create index "status_change_initiative_id_at_index" on "status_change" ("initiative_id", "at")',
  'create index "status_change_workstream_id_id_index" on "status_change" ("workstream_id", "id")',
  'create table "workstream" ("id" serial primary key, "initiative_id" int not null, "parent_id" int null, "path" varchar(1000) not null default \'\', "depth" int not null default 0, "name" varchar(200) not null, "phase" varchar(200) null, "position" int not null default 0, "weight_centi" int not null default 100, "manual_percent_bp" int null, "target_date" varchar(10) null, "report_detail" varchar(16) not null default \'BY_PERCENT\', "deleted_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null)',
  'create index "workstream_path_index" on "workstream" ("path")',
  'create index "workstream_initiative_id_deleted_at_index" on "workstream" ("initiative_id", "deleted_at")',
  'create table "item" ("id" serial primary key, "initiative_id" int not null, "workstream_id" int not null, "name" varchar(200) not null, "status" text not null, "percent" int not null default 0, "weight" int not null default 1, "note" text null, "version" int not null default 1, "deleted_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null)',
  'create index "item_workstream_id_deleted_at_id_index" on "item" ("workstream_id", "deleted_at", "id")',
  "alter table \"item\" add constraint \"item_status_check\" check (\"status\" in ('NOT_STARTED', 'IN_PROGRESS', 'PAUSED', 'DONE', 'DECOMMISSIONABLE', 'CANCELLED'))",
  'create table "workstream_tally" ("workstream_id" int not null, "status" text not null, "initiative_id" int not null, "items" int not null default 0, "weight" bigint not null default \'0\', "percent_weight" bigint not null default \'0\', primary key ("workstream_id", "status"))',
  'create index "workstream_tally_initiative_id_index" on "workstream_tally" ("initiative_id")',
  "alter table \"workstream_tally\" add constraint \"workstream_tally_status_check\" check (\"status\" in ('NOT_STARTED', 'IN_PROGRESS', 'PAUSED', 'DONE', 'DECOMMISSIONABLE', 'CANCELLED'))",
  'alter table "workstream" add constraint "workstream_initiative_id_foreign" foreign key ("initiative_id") references "initiative" ("id")',
  'alter table "workstream" add constraint "workstream_parent_id_foreign" foreign key ("parent_id") references "workstream" ("id") on delete set null',
  'alter table "item" add constraint "item_initiative_id_foreign" foreign key ("initiative_id") references "initiative" ("id")',
  'alter table "item" add constraint "item_workstream_id_foreign" foreign key ("workstream_id") references "workstream" ("id")',
];

export class Migration20261129000000PreviousRelease extends Migration {
  override name = 'Migration20261129000000PreviousRelease';

  override up(): void {
    const dialect = dialectOfPlatform(this.driver.getPlatform());
    for (const sql of dialect === 'postgresql' ? PREVIOUS_POSTGRESQL : PREVIOUS_SQLITE)
      this.addSql(sql);
  }
}
