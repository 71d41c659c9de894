import { Field, Float, Int, ObjectType } from 'type-graphql';
import { UserErrorType } from './user-error.type.js';

@ObjectType('Stage', { simpleResolvers: true })
export class StageType {
  @Field(() => String) name!: string;
  @Field(() => Int, { description: 'Whole percent of the item’s weight it earns.' })
  percent!: number;
}

@ObjectType('Metric', { simpleResolvers: true })
export class MetricType {
  @Field(() => Int) id!: number;
  @Field(() => String) name!: string;
  @Field(() => String) unit!: string;
  @Field(() => Int) decimals!: number;
  @Field(() => String) direction!: string;
  @Field(() => String, { nullable: true, description: 'Exact decimal string.' }) target!:
    string | null;
  @Field(() => Boolean) burnDown!: boolean;
}

@ObjectType('MetricReading', { simpleResolvers: true })
export class MetricReadingType {
  @Field(() => Int) id!: number;
  @Field(() => String, { description: 'Exactly as recorded (decimal string).' }) value!: string;
  @Field(() => Boolean) lowerBound!: boolean;
  @Field(() => String, { nullable: true }) period!: string | null;
  @Field(() => String) actor!: string;
  @Field(() => Date) effectiveAt!: Date;
  @Field(() => Date) recordedAt!: Date;
}

@ObjectType('Milestone', { simpleResolvers: true })
export class MilestoneType {
  @Field(() => Int) id!: number;
  @Field(() => String) name!: string;
  @Field(() => String) due!: string;
  @Field(() => String) duePrecision!: string;
  @Field(() => String, { nullable: true }) doneDate!: string | null;
  @Field(() => String, { nullable: true }) note!: string | null;
  @Field(() => Int, { description: 'Days the due date moved since first set.' }) slipDays!: number;
}

@ObjectType('NamedFigure', { simpleResolvers: true })
export class NamedFigureType {
  @Field(() => String) name!: string;
  @Field(() => Float, { nullable: true }) percent!: number | null;
  @Field(() => Float) credit!: number;
  @Field(() => Float) counted!: number;
  @Field(() => String) explain!: string;
}

@ObjectType('WrittenUpdate', { simpleResolvers: true })
export class WrittenUpdateType {
  @Field(() => Int) id!: number;
  @Field(() => String) section!: string;
  @Field(() => String) week!: string;
  @Field(() => String) body!: string;
  @Field(() => String) author!: string;
  @Field(() => Date) effectiveAt!: Date;
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
  @Field(() => [UserErrorType]) userErrors!: UserErrorType[];
}
