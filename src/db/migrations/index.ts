import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261129000000PreviousRelease } from './20261129000000-previous-release.migration.js';
import { Migration20261129010000ChangeLog } from './20261129010000-change-log.migration.js';
import { Migration20261129020000ArchiveAndSearch } from './20261129020000-archive-and-search.migration.js';
import { Migration20261129030000TallySnapshots } from './20261129030000-tally-snapshots.migration.js';
import { Migration20261129040000ReportModel } from './20261129040000-report-model.migration.js';
import { Migration20261130000000LiveEvents } from './20261130000000-live-events.migration.js';
import { Migration20261201000000IdempotencyTouched } from './20261201000000-idempotency-touched.migration.js';
import { Migration20261204000000WebhookEnabledAt } from './20261204000000-webhook-enabled-at.migration.js';
import { Migration20261204010000MilestonePrecision } from './20261204010000-milestone-precision.migration.js';
import { Migration20261206000000WorkstreamSiblingsIndex } from './20261206000000-workstream-siblings-index.migration.js';
import { Migration20261207000000ChangeLogWalkIndex } from './20261207000000-change-log-walk-index.migration.js';
import { Migration20261207010000WebhookDeliveryOrderIndex } from './20261207010000-webhook-delivery-order-index.migration.js';
import { Migration20261207020000WrittenUpdateInitiativeIndex } from './20261207020000-written-update-initiative-index.migration.js';

/** Every migration, oldest first: listed, not discovered, so compiled and test runs agree. */
export const MIGRATIONS: MigrationObject[] = [
  {
    name: 'Migration20261129000000PreviousRelease',
    class: Migration20261129000000PreviousRelease,
  },
  { name: 'Migration20261129010000ChangeLog', class: Migration20261129010000ChangeLog },
  {
    name: 'Migration20261129020000ArchiveAndSearch',
    class: Migration20261129020000ArchiveAndSearch,
  },
  {
    name: 'Migration20261129030000TallySnapshots',
    class: Migration20261129030000TallySnapshots,
  },
  { name: 'Migration20261129040000ReportModel', class: Migration20261129040000ReportModel },
  { name: 'Migration20261130000000LiveEvents', class: Migration20261130000000LiveEvents },
  {
    name: 'Migration20261201000000IdempotencyTouched',
    class: Migration20261201000000IdempotencyTouched,
  },
  {
    name: 'Migration20261204000000WebhookEnabledAt',
    class: Migration20261204000000WebhookEnabledAt,
  },
  {
    name: 'Migration20261204010000MilestonePrecision',
    class: Migration20261204010000MilestonePrecision,
  },
  {
    name: 'Migration20261206000000WorkstreamSiblingsIndex',
    class: Migration20261206000000WorkstreamSiblingsIndex,
  },
  {
    name: 'Migration20261207000000ChangeLogWalkIndex',
    class: Migration20261207000000ChangeLogWalkIndex,
  },
  {
    name: 'Migration20261207010000WebhookDeliveryOrderIndex',
    class: Migration20261207010000WebhookDeliveryOrderIndex,
  },
  {
    name: 'Migration20261207020000WrittenUpdateInitiativeIndex',
    class: Migration20261207020000WrittenUpdateInitiativeIndex,
  },
];

/** The migration whose schema a database made before migrations existed already has. */
export const PREVIOUS_RELEASE = MIGRATIONS[0]!.name;
