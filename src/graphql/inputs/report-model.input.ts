import { Field, ID, InputType, Int } from 'type-graphql';
import { StatusCreditInput } from './initiative.input.js';

const EFFECTIVE_AT = 'When it happened (back-dating); default now.';

@InputType('StageInput')
export class StageInput {
  @Field(() => String) name!: string;
  @Field(() => Int, { nullable: true, description: 'Whole percent; absent: evenly spaced.' })
  percent?: number | null;
}

@InputType('DefineStagesInput')
export class DefineStagesInput {
  @Field(() => ID) initiativeId!: string;
  @Field(() => ID, { nullable: true, description: 'Absent: the initiative’s own workflow.' })
  workstreamId?: string | null;
  @Field(() => [StageInput]) stages!: StageInput[];
  @Field(() => Date, { nullable: true, description: EFFECTIVE_AT }) effectiveAt?: Date | null;
}

@InputType('SetItemStageInput')
export class SetItemStageInput {
  @Field(() => ID) itemId!: string;
  @Field(() => String) stage!: string;
  @Field(() => String, { nullable: true }) note?: string | null;
  @Field(() => Int, { nullable: true }) expectedVersion?: number | null;
  @Field(() => Date, { nullable: true, description: EFFECTIVE_AT }) effectiveAt?: Date | null;
}

@InputType('DefineMetricInput')
export class DefineMetricInput {
  @Field(() => ID) initiativeId!: string;
  @Field(() => ID, { nullable: true }) workstreamId?: string | null;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) unit?: string | null;
  @Field(() => Int, { description: 'Decimal places a reading may have, 0–6.' }) decimals!: number;
  @Field(() => String, { description: 'UP or DOWN (which way is better).' }) direction!: string;
  @Field(() => String, { nullable: true, description: 'A decimal string.' }) target?: string | null;
  @Field(() => String, { nullable: true, description: 'AT_LEAST, AT_MOST or EQUAL.' })
  comparison?: string | null;
  @Field(() => Boolean, { nullable: true }) burnDown?: boolean | null;
  @Field(() => String, { nullable: true }) group?: string | null;
  @Field(() => String, { nullable: true }) category?: string | null;
  @Field(() => Date, { nullable: true, description: EFFECTIVE_AT }) effectiveAt?: Date | null;
}

@InputType('RecordMetricReadingInput')
export class RecordMetricReadingInput {
  @Field(() => Int) metricId!: number;
  @Field(() => String, { description: 'A decimal string, e.g. "99.81": never a float.' })
  value!: string;
  @Field(() => Boolean, { nullable: true, description: 'The report’s "200+".' })
  lowerBound?: boolean | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM for a monthly figure.' })
  period?: string | null;
  @Field(() => String, { nullable: true }) note?: string | null;
  @Field(() => Date, { nullable: true, description: EFFECTIVE_AT }) effectiveAt?: Date | null;
}

@InputType('SetMilestoneInput')
export class SetMilestoneInput {
  @Field(() => Int, { nullable: true, description: 'Absent: a new milestone.' })
  milestoneId?: number | null;
  @Field(() => ID, { nullable: true }) initiativeId?: string | null;
  @Field(() => ID, { nullable: true }) workstreamId?: string | null;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD or YYYY-MM.' })
  due?: string | null;
  @Field(() => String, { nullable: true, description: 'DAY, WEEK or MONTH.' })
  duePrecision?: string | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD; "" clears it.' })
  doneDate?: string | null;
  @Field(() => String, { nullable: true }) note?: string | null;
  @Field(() => Date, { nullable: true, description: EFFECTIVE_AT }) effectiveAt?: Date | null;
}

@InputType('NamedFigureInput')
export class NamedFigureInput {
  @Field(() => String) name!: string;
  @Field(() => ID, { nullable: true, description: 'A workstream of the initiative; absent: all.' })
  scopeWorkstreamId?: string | null;
  @Field(() => [StatusCreditInput], {
    nullable: true,
    description: 'Overrides of the initiative’s policy for this figure.',
  })
  policy?: StatusCreditInput[] | null;
}

@InputType('DefineNamedFiguresInput')
export class DefineNamedFiguresInput {
  @Field(() => ID) initiativeId!: string;
  @Field(() => [NamedFigureInput]) figures!: NamedFigureInput[];
  @Field(() => Date, { nullable: true, description: EFFECTIVE_AT }) effectiveAt?: Date | null;
}

@InputType('PostUpdateInput')
export class PostUpdateInput {
  @Field(() => ID, {
    nullable: true,
    description: 'Absent: an objective’s update (global editors).',
  })
  initiativeId?: string | null;
  @Field(() => String, { nullable: true }) objective?: string | null;
  @Field(() => String, { description: 'PROGRESS, REFLECTION or NEXT_WEEK.' }) section!: string;
  @Field(() => String, { description: 'The report’s date, YYYY-MM-DD.' }) week!: string;
  @Field(() => String) body!: string;
  @Field(() => Date, { nullable: true, description: EFFECTIVE_AT }) effectiveAt?: Date | null;
}
