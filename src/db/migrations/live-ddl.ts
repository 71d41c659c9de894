import type { Dialect } from '../dialect.js';

/** The live-event and webhook tables, as the entities (outbox.entity.ts, webhook.entity.ts) describe them. */
export function liveDdl(dialect: Dialect): string[] {
  if (dialect === 'postgresql') {
    return [
      'create table "figure_state" ("initiative_id" int not null, "node_id" int not null, "credit" bigint not null, "counted" bigint not null, "total" int not null, primary key ("initiative_id", "node_id"))',
      'create table "initiative_revision" ("initiative_id" int not null, "revision" int not null, primary key ("initiative_id"))',
      'create table "outbox" ("seq" bigint not null, "initiative_id" int not null, "revision" int not null, "payload" text not null, "created_at" timestamptz not null, primary key ("seq"))',
      'create table "outbox_position" ("name" varchar(40) not null, "seq" bigint not null, primary key ("name"))',
      'create table "webhook" ("id" serial primary key, "url" varchar(2000) not null, "events" text not null, "initiative_id" int null, "secret" varchar(200) not null, "created_by" varchar(200) not null, "created_at" timestamptz not null, "disabled_at" timestamptz null)',
      'create table "webhook_attempt" ("id" serial primary key, "delivery_id" int not null, "at" timestamptz not null, "status" int null, "duration_ms" int not null, "error" text null)',
      'create index "webhook_attempt_delivery_id_index" on "webhook_attempt" ("delivery_id")',
      'create table "webhook_delivery" ("id" serial primary key, "webhook_id" int not null, "message_id" varchar(64) not null, "event_type" varchar(60) not null, "payload" text not null, "state" varchar(16) not null, "attempts" int not null, "next_attempt_at" timestamptz null, "last_status" int null, "created_at" timestamptz not null)',
      'create index "webhook_delivery_webhook_id_index" on "webhook_delivery" ("webhook_id")',
      'create index "webhook_delivery_state_next_attempt_at_index" on "webhook_delivery" ("state", "next_attempt_at")',
    ];
  }
  return [
    'create table `figure_state` (`initiative_id` integer not null, `node_id` integer not null, `credit` bigint not null, `counted` bigint not null, `total` integer not null, primary key (`initiative_id`, `node_id`))',
    'create table `initiative_revision` (`initiative_id` integer not null primary key, `revision` integer not null)',
    'create table `outbox` (`seq` bigint not null primary key, `initiative_id` integer not null, `revision` integer not null, `payload` text not null, `created_at` datetime not null)',
    'create table `outbox_position` (`name` text not null primary key, `seq` bigint not null)',
    'create table `webhook` (`id` integer not null primary key autoincrement, `url` text not null, `events` text not null, `initiative_id` integer null, `secret` text not null, `created_by` text not null, `created_at` datetime not null, `disabled_at` datetime null)',
    'create table `webhook_attempt` (`id` integer not null primary key autoincrement, `delivery_id` integer not null, `at` datetime not null, `status` integer null, `duration_ms` integer not null, `error` text null)',
    'create index `webhook_attempt_delivery_id_index` on `webhook_attempt` (`delivery_id`)',
    'create table `webhook_delivery` (`id` integer not null primary key autoincrement, `webhook_id` integer not null, `message_id` text not null, `event_type` text not null, `payload` text not null, `state` text not null, `attempts` integer not null, `next_attempt_at` datetime null, `last_status` integer null, `created_at` datetime not null)',
    'create index `webhook_delivery_webhook_id_index` on `webhook_delivery` (`webhook_id`)',
    'create index `webhook_delivery_state_next_attempt_at_index` on `webhook_delivery` (`state`, `next_attempt_at`)',
  ];
}
