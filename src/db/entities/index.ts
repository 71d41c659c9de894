import { InitiativeSchema } from './initiative.entity.js';
import { ItemSchema } from './item.entity.js';
import { StatusChangeSchema } from './status-change.entity.js';
import { WorkstreamTallySchema } from './workstream-tally.entity.js';
import { WorkstreamSchema } from './workstream.entity.js';

export const ENTITIES = [
  InitiativeSchema,
  WorkstreamSchema,
  ItemSchema,
  StatusChangeSchema,
  WorkstreamTallySchema,
];
export {
  InitiativeSchema,
  ItemSchema,
  StatusChangeSchema,
  WorkstreamSchema,
  WorkstreamTallySchema,
};
