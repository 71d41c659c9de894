import { ChangeLogSchema } from './change-log.entity.js';
import { ApiTokenSchema } from './api-token.entity.js';
import { IdempotencyRecordSchema } from './idempotency-record.entity.js';
import { InitiativeSchema } from './initiative.entity.js';
import { ItemSchema } from './item.entity.js';
import { TallySnapshotRowSchema, TallySnapshotSchema } from './tally-snapshot.entity.js';
import { REPORT_MODEL_ENTITIES } from './report-model.entities.js';
import { WorkstreamTallySchema } from './workstream-tally.entity.js';
import { WorkstreamSchema } from './workstream.entity.js';

export const ENTITIES = [
  InitiativeSchema,
  WorkstreamSchema,
  ItemSchema,
  ChangeLogSchema,
  WorkstreamTallySchema,
  ApiTokenSchema,
  IdempotencyRecordSchema,
  TallySnapshotSchema,
  TallySnapshotRowSchema,
  ...REPORT_MODEL_ENTITIES,
];
export {
  ApiTokenSchema,
  IdempotencyRecordSchema,
  InitiativeSchema,
  ItemSchema,
  ChangeLogSchema,
  WorkstreamSchema,
  WorkstreamTallySchema,
};
