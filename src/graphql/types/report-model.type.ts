import { Field, Float, Int, ObjectType } from 'type-graphql';
import { MetricReadingType, MetricType } from './metric.type.js';
import { MilestoneType } from './milestone.type.js';
import { PageInfoType } from './item-connection.type.js';
import { ItemType } from './item.type.js';
import { UserErrorType } from './user-error.type.js';

@ObjectType('Stage', { simpleResolvers: true })
export class StageType {
  @Field(() => String) name!: string;
  @Field(() => Int, { description: 'Whole percent of the item’s weight it earns.' })
  percent!: number;
}

@ObjectType('NamedFigure', { simpleResolvers: true })
export class NamedFigureType {
  @Field(() => String) name!: string;
  @Field(() => Float, { nullable: true }) percent!: number | null;
  @Field(() => Float, { description: 'Numerator, in item-equivalents.' }) credit!: number;
  @Field(() => Float, { description: 'Denominator, in item-equivalents.' }) counted!: number;
  @Field(() => String) explain!: string;
}

@ObjectType('WrittenUpdate', { simpleResolvers: true })
export class WrittenUpdateType {
  @Field(() => Int) id!: number;
  @Field(() => String, { description: 'PROGRESS, REFLECTION or NEXT_WEEK.' }) section!: string;
  @Field(() => String, { description: 'The report date (YYYY-MM-DD) it belongs to.' })
  week!: string;
  @Field(() => String) body!: string;
  @Field(() => String) author!: string;
  @Field(() => Date) effectiveAt!: Date;
}

/** A page of written updates, newest first. */
@ObjectType('WrittenUpdateConnection', { simpleResolvers: true })
export class WrittenUpdateConnectionType {
  @Field(() => [WrittenUpdateType]) nodes!: WrittenUpdateType[];
  @Field(() => PageInfoType) pageInfo!: PageInfoType;
  @Field(() => Int) totalCount!: number;
}

/** One payload for the report model's writes: what the write made, or why not. */
@ObjectType('ReportModelPayload', { simpleResolvers: true })
export class ReportModelPayload {
  @Field(() => [StageType], { nullable: true }) stages?: StageType[] | null;
  @Field(() => MetricType, { nullable: true }) metric?: MetricType | null;
  @Field(() => MetricReadingType, { nullable: true }) reading?: MetricReadingType | null;
  @Field(() => MilestoneType, { nullable: true }) milestone?: MilestoneType | null;
  @Field(() => [String], { nullable: true, description: 'Named figures, in header order.' })
  figures?: string[] | null;
  @Field(() => WrittenUpdateType, { nullable: true }) update?: WrittenUpdateType | null;
  @Field(() => ItemType, {
    nullable: true,
    description: 'setItemStage: the item after the write (status, percent, version).',
  })
  item?: ItemType | null;
  @Field(() => [UserErrorType]) userErrors!: UserErrorType[];
}
