import type { Dialect } from '../dialect.js';

/** The change_log table and the effective_from columns, as the entities describe them. */
export function changeLogDdl(dialect: Dialect): string[] {
  if (dialect === 'postgresql') {
    return [
      'create table "change_log" ("id" serial primary key, "initiative_id" int not null, "workstream_id" int null, "item_id" int null, "kind" varchar(40) not null, "from_status" varchar(32) null, "from_percent" int null, "to_status" varchar(32) null, "to_percent" int null, "weight" int null, "version" int null, "data" text null, "actor" varchar(200) not null, "note" text null, "effective_at" timestamptz not null, "recorded_at" timestamptz not null)',
      'create index "change_log_item_id_index" on "change_log" ("item_id")',
      'create index "change_log_initiative_id_effective_at_index" on "change_log" ("initiative_id", "effective_at")',
      'create index "change_log_initiative_id_recorded_at_index" on "change_log" ("initiative_id", "recorded_at")',
      'create index "change_log_workstream_id_id_index" on "change_log" ("workstream_id", "id")',
      ...['initiative', 'workstream', 'item'].map(
        (t) => `alter table "${t}" add column "effective_from" timestamptz null`,
      ),
    ];
  }
  return [
    'create table `change_log` (`id` integer not null primary key autoincrement, `initiative_id` integer not null, `workstream_id` integer null, `item_id` integer null, `kind` text not null, `from_status` text null, `from_percent` integer null, `to_status` text null, `to_percent` integer null, `weight` integer null, `version` integer null, `data` text null, `actor` text not null, `note` text null, `effective_at` datetime not null, `recorded_at` datetime not null)',
    'create index `change_log_item_id_index` on `change_log` (`item_id`)',
    'create index `change_log_initiative_id_effective_at_index` on `change_log` (`initiative_id`, `effective_at`)',
    'create index `change_log_initiative_id_recorded_at_index` on `change_log` (`initiative_id`, `recorded_at`)',
    'create index `change_log_workstream_id_id_index` on `change_log` (`workstream_id`, `id`)',
    ...['initiative', 'workstream', 'item'].map(
      (t) => `alter table \`${t}\` add column \`effective_from\` datetime null`,
    ),
  ];
}

/**
 * The first log's rows, copied with their ids, kinds renamed to event types, both times set to
 * the time they were written, and the item's weight (items could not change weight before this
 * release, so today's weight is the weight they always had).
 */
export const COPY_STATUS_CHANGES = `
insert into change_log (id, initiative_id, workstream_id, item_id, kind, from_status, from_percent,
  to_status, to_percent, weight, version, data, actor, note, effective_at, recorded_at)
select s.id, s.initiative_id, s.workstream_id, s.item_id,
  case s.kind when 'CREATE' then 'ItemCreated' when 'STATUS' then 'ItemStatusChanged'
    when 'DELETE' then 'ItemDeleted' when 'RESTORE' then 'ItemRestored'
    when 'WORKSTREAM_DELETE' then 'WorkstreamDeleted' when 'WORKSTREAM_RESTORE' then 'WorkstreamRestored'
    else s.kind end,
  s.from_status, s.from_percent, s.to_status, s.to_percent,
  (select i.weight from item i where i.id = s.item_id),
  s.version, null, s.actor, s.note, s.at, s.at
from status_change s order by s.id`;

/** Every live item as it stands at the upgrade: status, percent, weight. */
export const ITEM_BASELINES = `
insert into change_log (initiative_id, workstream_id, item_id, kind, to_status, to_percent, weight,
  version, actor, effective_at, recorded_at)
select initiative_id, workstream_id, id, 'ItemBaseline', status, percent, weight, version, ?, ?, ?
from item where deleted_at is null order by id`;
