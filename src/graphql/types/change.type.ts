import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { ChangeRecord } from '../../db/queries/change.queries.js';
import type { ItemStatus } from '../../domain/item-status.js';
import { ItemStatusEnum } from '../enums.js';
import { toGlobalId } from '../global-id.js';
import { PageInfoType } from './item-connection.type.js';

@ObjectType('Change', {
  description:
    'One entry of the append-only change log: who changed what, when, from what to what.',
  simpleResolvers: true,
})
export class ChangeType {
  constructor(readonly record: ChangeRecord) {}

  @Field(() => String, {
    description: 'CREATE, STATUS, DELETE, RESTORE (items); WORKSTREAM_DELETE, WORKSTREAM_RESTORE.',
  })
  get kind(): string {
    return this.record.kind;
  }

  @Field(() => ID, { nullable: true })
  get itemId(): string | null {
    return this.record.itemId === null ? null : toGlobalId('Item', this.record.itemId);
  }

  @Field(() => ID)
  get workstreamId(): string {
    return toGlobalId('Workstream', this.record.workstreamId);
  }

  @Field(() => ItemStatusEnum, { nullable: true })
  get fromStatus(): ItemStatus | null {
    return this.record.fromStatus;
  }

  @Field(() => Int, { nullable: true })
  get fromPercent(): number | null {
    return this.record.fromPercent;
  }

  @Field(() => ItemStatusEnum, { nullable: true })
  get toStatus(): ItemStatus | null {
    return this.record.toStatus;
  }

  @Field(() => Int, { nullable: true })
  get toPercent(): number | null {
    return this.record.toPercent;
  }

  @Field(() => Int, { nullable: true, description: 'The item’s version after the change.' })
  get version(): number | null {
    return this.record.version;
  }

  @Field(() => String, { description: 'The name of the token that made the change.' })
  get actor(): string {
    return this.record.actor;
  }

  @Field(() => String, { nullable: true })
  get note(): string | null {
    return this.record.note;
  }

  @Field(() => Date)
  get at(): Date {
    return this.record.at;
  }
}

@ObjectType('ChangeEdge', { simpleResolvers: true })
export class ChangeEdgeType {
  @Field(() => String)
  cursor!: string;

  @Field(() => ChangeType)
  node!: ChangeType;
}

@ObjectType('ChangeConnection', { description: 'Newest first.', simpleResolvers: true })
export class ChangeConnectionType {
  constructor(changes: ChangeType[], hasNextPage: boolean, cursorOf: (c: ChangeType) => string) {
    this.edges = changes.map((node) => ({ cursor: cursorOf(node), node }));
    this.nodes = changes;
    this.pageInfo = { hasNextPage, endCursor: this.edges.at(-1)?.cursor ?? null };
  }

  @Field(() => [ChangeEdgeType])
  edges: ChangeEdgeType[];

  @Field(() => [ChangeType])
  nodes: ChangeType[];

  @Field(() => PageInfoType)
  pageInfo: PageInfoType;
}
