import { Field, Float, ID, Int, InterfaceType, ObjectType, registerEnumType } from 'type-graphql';
import type { ItemStatus } from '../../domain/item-status.js';
import { percentOfValue, type FigureValue } from '../../domain/live-events.js';
import { unitsToItems } from '../../domain/units.js';
import { ItemStatusEnum } from '../enums.js';

export const DirectionEnum = { UP: 'UP', DOWN: 'DOWN' } as const;
registerEnumType(DirectionEnum, {
  name: 'CrossingDirection',
  description: 'UP: the figure reached the threshold from below; DOWN: it fell below it.',
});

@ObjectType('FigureValue', { simpleResolvers: true, description: 'A figure at one moment.' })
export class FigureValueType {
  constructor(private readonly value: FigureValue) {}

  @Field(() => Float, { nullable: true, description: '0–100; null when nothing counts.' })
  get percent(): number | null {
    return percentOfValue(this.value);
  }

  @Field(() => Float)
  get credit(): number {
    return unitsToItems(this.value.credit);
  }

  @Field(() => Float)
  get counted(): number {
    return unitsToItems(this.value.counted);
  }

  @Field(() => Int)
  get total(): number {
    return this.value.total;
  }
}

@ObjectType('LiveNode', {
  simpleResolvers: true,
  description: 'The node an event is about: the global id of an Initiative or a Workstream.',
})
export class LiveNodeType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, {
    description:
      'The id of the node’s live `Progress`: a normalized cache can write `after` under it (Apollo: cache.writeFragment with id cache.identify({ __typename: "Progress", id: progressId })) without a refetch.',
  })
  progressId!: string;
}

@ObjectType('LiveCause', { simpleResolvers: true })
export class LiveCauseType {
  @Field(() => [ID], { description: 'The change-log entries of the write (Change ids).' })
  changeIds!: string[];

  @Field(() => String)
  actor!: string;
}

/** What every event carries: which write, and where it stands in the subscription. */
@InterfaceType('LiveEvent', { resolveType: () => undefined })
export abstract class LiveBase {
  @Field(() => LiveCauseType)
  cause!: LiveCauseType;

  @Field(() => Int, {
    description:
      'This subscription’s event number: 1, 2, 3… A jump means events were missed: refetch.',
  })
  seq!: number;

  @Field(() => Int, {
    description: 'The initiative’s revision after the write: each committed write on it adds one.',
  })
  revision!: number;

  @Field(() => String)
  initiativeKey!: string;
}

@ObjectType('FigureChanged', { implements: LiveBase, simpleResolvers: true })
export class FigureChangedType extends LiveBase {
  @Field(() => LiveNodeType)
  node!: LiveNodeType;

  @Field(() => FigureValueType, { nullable: true, description: 'null: the node is new.' })
  before!: FigureValueType | null;

  @Field(() => FigureValueType, { nullable: true, description: 'null: the node is gone.' })
  after!: FigureValueType | null;
}

@ObjectType('ThresholdCrossed', { implements: LiveBase, simpleResolvers: true })
export class ThresholdCrossedType extends FigureChangedType {
  @Field(() => Float)
  threshold!: number;

  @Field(() => DirectionEnum)
  direction!: 'UP' | 'DOWN';
}

@ObjectType('ItemChanged', { implements: LiveBase, simpleResolvers: true })
export class ItemChangedType extends LiveBase {
  @Field(() => ID, { description: 'The Item’s global id.' })
  itemId!: string;

  @Field(() => ID, { description: 'Its workstream’s global id.' })
  workstreamId!: string;

  @Field(() => String, { description: 'The change-log type (ItemStatusChanged, ItemCreated…).' })
  type!: string;

  @Field(() => ItemStatusEnum, { nullable: true })
  status!: ItemStatus | null;

  @Field(() => Int, { nullable: true })
  percent!: number | null;

  @Field(() => Int)
  version!: number;
}

@ObjectType('InitiativeChanged', {
  implements: LiveBase,
  simpleResolvers: true,
  description:
    'A write to the initiative committed: one event per write, whatever it changed (its own fields, workstreams, items, health, stages, metrics, milestones, updates).',
})
export class InitiativeChangedType extends LiveBase {
  @Field(() => [String], {
    description:
      'The change-log types of the write, each once, in the order first made (InitiativeTargetDateSet, WorkstreamRenamed, ItemStatusChanged…).',
  })
  types!: string[];
}
