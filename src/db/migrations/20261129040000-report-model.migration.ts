import { Migration } from '@mikro-orm/migrations';
import { dialectOfPlatform, type Dialect } from '../dialect.js';

/** The report model's tables, as the entities (entities/report-model.entities.ts) describe them. */
function reportModelDdl(dialect: Dialect): string[] {
  if (dialect === 'postgresql') {
    return [
      'create table "item_stage" ("item_id" int not null, "initiative_id" int not null, "stage" varchar(40) not null, "note" text null, "since" timestamptz not null, primary key ("item_id"))',
      'create index "item_stage_initiative_id_index" on "item_stage" ("initiative_id")',
      'create table "metric" ("id" serial primary key, "initiative_id" int not null, "workstream_id" int null, "name" varchar(200) not null, "unit" varchar(20) not null, "decimals" int not null, "direction" varchar(8) not null, "target" varchar(40) null, "comparison" varchar(16) null, "burn_down" boolean not null, "group_name" varchar(200) null, "category" varchar(200) null, "position" int not null)',
      'create index "metric_initiative_id_index" on "metric" ("initiative_id")',
      'create table "metric_reading" ("id" serial primary key, "metric_id" int not null, "initiative_id" int not null, "value" varchar(40) not null, "lower_bound" boolean not null, "period" varchar(7) null, "note" text null, "actor" varchar(200) not null, "effective_at" timestamptz not null, "recorded_at" timestamptz not null)',
      'create index "metric_reading_metric_id_effective_at_index" on "metric_reading" ("metric_id", "effective_at")',
      'create table "milestone" ("id" serial primary key, "initiative_id" int not null, "workstream_id" int null, "name" varchar(200) not null, "due_date" varchar(10) not null, "due_precision" varchar(8) not null, "original_due_date" varchar(10) not null, "original_due_precision" varchar(8) not null, "done_date" varchar(10) null, "note" text null)',
      'create index "milestone_initiative_id_index" on "milestone" ("initiative_id")',
      'create table "named_figure" ("id" serial primary key, "initiative_id" int not null, "position" int not null, "name" varchar(200) not null, "scope_workstream_id" int null, "policy" text null)',
      'create index "named_figure_initiative_id_index" on "named_figure" ("initiative_id")',
      'create table "stage_workflow" ("id" serial primary key, "initiative_id" int not null, "workstream_id" int null, "stages" text not null)',
      'create index "stage_workflow_initiative_id_index" on "stage_workflow" ("initiative_id")',
      'create table "written_update" ("id" serial primary key, "initiative_id" int null, "objective" varchar(200) null, "section" varchar(16) not null, "week" varchar(10) not null, "body" text not null, "author" varchar(200) not null, "effective_at" timestamptz not null, "recorded_at" timestamptz not null)',
      'create index "written_update_week_index" on "written_update" ("week")',
    ];
  }
  return [
    'create table `item_stage` (`item_id` integer not null primary key, `initiative_id` integer not null, `stage` text not null, `note` text null, `since` datetime not null)',
    'create index `item_stage_initiative_id_index` on `item_stage` (`initiative_id`)',
    'create table `metric` (`id` integer not null primary key autoincrement, `initiative_id` integer not null, `workstream_id` integer null, `name` text not null, `unit` text not null, `decimals` integer not null, `direction` text not null, `target` text null, `comparison` text null, `burn_down` integer not null, `group_name` text null, `category` text null, `position` integer not null)',
    'create index `metric_initiative_id_index` on `metric` (`initiative_id`)',
    'create table `metric_reading` (`id` integer not null primary key autoincrement, `metric_id` integer not null, `initiative_id` integer not null, `value` text not null, `lower_bound` integer not null, `period` text null, `note` text null, `actor` text not null, `effective_at` datetime not null, `recorded_at` datetime not null)',
    'create index `metric_reading_metric_id_effective_at_index` on `metric_reading` (`metric_id`, `effective_at`)',
    'create table `milestone` (`id` integer not null primary key autoincrement, `initiative_id` integer not null, `workstream_id` integer null, `name` text not null, `due_date` text not null, `due_precision` text not null, `original_due_date` text not null, `original_due_precision` text not null, `done_date` text null, `note` text null)',
    'create index `milestone_initiative_id_index` on `milestone` (`initiative_id`)',
    'create table `named_figure` (`id` integer not null primary key autoincrement, `initiative_id` integer not null, `position` integer not null, `name` text not null, `scope_workstream_id` integer null, `policy` text null)',
    'create index `named_figure_initiative_id_index` on `named_figure` (`initiative_id`)',
    'create table `stage_workflow` (`id` integer not null primary key autoincrement, `initiative_id` integer not null, `workstream_id` integer null, `stages` text not null)',
    'create index `stage_workflow_initiative_id_index` on `stage_workflow` (`initiative_id`)',
    'create table `written_update` (`id` integer not null primary key autoincrement, `initiative_id` integer null, `objective` text null, `section` text not null, `week` text not null, `body` text not null, `author` text not null, `effective_at` datetime not null, `recorded_at` datetime not null)',
    'create index `written_update_week_index` on `written_update` (`week`)',
  ];
}

/**
 * What the weekly report tracks beyond items: stage workflows and items' stages, metrics with
 * their dated readings, milestones, named figures and written updates. New tables only: no
 * existing row changes, so an upgraded database reads exactly as before.
 */
export class Migration20261129040000ReportModel extends Migration {
  override name = 'Migration20261129040000ReportModel';

  override up(): void {
    for (const sql of reportModelDdl(dialectOfPlatform(this.driver.getPlatform())))
      this.addSql(sql);
  }
}
