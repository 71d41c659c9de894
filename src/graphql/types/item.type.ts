import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { ItemStatus } from '../../domain/item-status.js';
import type { ItemRecord } from '../../db/records.js';
import type { ReadTime } from '../../domain/replay-items.js';
import { ItemStatusEnum } from '../enums.js';
import { toGlobalId } from '../../domain/global-id.js';
import { NodeInterface } from './node.interface.js';

@ObjectType('Item', { implements: NodeInterface, simpleResolvers: true })
export class ItemType implements NodeInterface {
  readonly __typename = 'Item';

  /** `time`: the item as it stood at a read time (its stage then, report-reads.resolver.ts). */
  constructor(
    readonly record: ItemRecord,
    readonly time: ReadTime | null = null,
  ) {}

  @Field(() => ID)
  get id(): string {
    return toGlobalId('Item', this.record.id);
  }

  @Field(() => String)
  get name(): string {
    return this.record.name;
  }

  @Field(() => ItemStatusEnum)
  get status(): ItemStatus {
    return this.record.status;
  }

  @Field(() => Int, { description: 'Whole number 0–100.' })
  get percent(): number {
    return this.record.percent;
  }

  @Field(() => Int, { description: 'Weight in the rollup (default 1).' })
  get weight(): number {
    return this.record.weight;
  }

  @Field(() => String, { nullable: true })
  get note(): string | null {
    return this.record.note;
  }

  @Field(() => Int, {
    description: 'Grows by one on every change; send it back as expectedVersion.',
  })
  get version(): number {
    return this.record.version;
  }

  @Field(() => Date)
  get createdAt(): Date {
    return this.record.createdAt;
  }

  @Field(() => Date)
  get updatedAt(): Date {
    return this.record.updatedAt;
  }
}
