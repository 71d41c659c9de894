import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { ChangeRecord } from '../../db/queries/change-log.queries.js';
import type { ItemStatus } from '../../domain/item-status.js';
import { ItemStatusEnum } from '../enums.js';
import { toGlobalId } from '../../domain/global-id.js';
import { PageInfoType } from './item-connection.type.js';

/** The kinds `history` has always answered with, for the events the first log knew. */
const LEGACY_KINDS: Readonly<Record<string, string>> = {
  ItemCreated: 'CREATE',
  ItemStatusChanged: 'STATUS',
  ItemDeleted: 'DELETE',
  ItemRestored: 'RESTORE',
  WorkstreamDeleted: 'WORKSTREAM_DELETE',
  WorkstreamRestored: 'WORKSTREAM_RESTORE',
};

/** WorkstreamMoved → WORKSTREAM_MOVED. */
const screaming = (type: string) => type.replace(/(?<=[a-z])(?=[A-Z])/g, '_').toUpperCase();

@ObjectType('Change', {
  description:
    'One entry of the append-only change log: who changed what, when, from what to what.',
  simpleResolvers: true,
})
export class ChangeType {
  constructor(readonly record: ChangeRecord) {}

  @Field(() => ID, {
    description:
      'The change-log entry’s number: what a live event’s cause.changeIds names, and a webhook’s changeIds.',
  })
  get id(): string {
    return String(this.record.id);
  }

  @Field(() => String, {
    description:
      'CREATE, STATUS, DELETE, RESTORE (items); WORKSTREAM_DELETE, WORKSTREAM_RESTORE; the newer events in upper snake case (WORKSTREAM_MOVED, ITEM_BASELINE…).',
  })
  get kind(): string {
    return LEGACY_KINDS[this.record.kind] ?? screaming(this.record.kind);
  }

  @Field(() => String, {
    description: 'The change event’s type: ItemCreated, ItemStatusChanged, WorkstreamMoved…',
  })
  get event(): string {
    return this.record.kind;
  }

  @Field(() => Date, { description: 'When it happened (a writer may have back-dated it).' })
  get effectiveAt(): Date {
    return this.record.effectiveAt;
  }

  @Field(() => Date, { description: 'When the server recorded it.' })
  get recordedAt(): Date {
    return this.record.recordedAt;
  }

  @Field(() => Int, { nullable: true, description: 'The item’s weight (item events).' })
  get weight(): number | null {
    return this.record.weight;
  }

  @Field(() => String, {
    nullable: true,
    description: 'JSON: what a workstream or initiative event changed (before/after).',
  })
  get data(): string | null {
    return this.record.data;
  }

  @Field(() => ID, { nullable: true })
  get itemId(): string | null {
    return this.record.itemId === null ? null : toGlobalId('Item', this.record.itemId);
  }

  @Field(() => ID)
  get workstreamId(): string {
    // `history` lists the changes of items and workstreams, which always name their workstream.
    return toGlobalId('Workstream', this.record.workstreamId ?? 0);
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

  @Field(() => Date, { description: 'When the server recorded it (same as recordedAt).' })
  get at(): Date {
    return this.record.recordedAt;
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
