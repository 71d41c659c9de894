import { Field, InputType, Int } from 'type-graphql';
import type { ItemStatus, Locale } from '../../domain/item-status.js';
import type { CreditRule } from '../../domain/rollup-policy.js';
import { CreditRuleEnum, ItemStatusEnum, LocaleEnum } from '../enums.js';

/** Back-dating, as every write that takes it describes it. */
const EFFECTIVE_AT =
  'When it happened (back-dating, e.g. from an old report); default now. Not in the future (beyond a minute) and not before the object existed: else INVALID_INPUT on effectiveAt.';
@InputType('StatusCreditInput', { description: 'One status’s rule in a rollup policy.' })
export class StatusCreditInput {
  @Field(() => ItemStatusEnum)
  status!: ItemStatus;

  @Field(() => CreditRuleEnum)
  credit!: CreditRule;
}

@InputType('StatusLabelInput', { description: 'A label override, e.g. CANCELLED → 取消迁移.' })
export class StatusLabelInput {
  @Field(() => LocaleEnum, { defaultValue: 'zh-CN' })
  locale!: Locale;

  @Field(() => ItemStatusEnum)
  status!: ItemStatus;

  @Field(() => String)
  label!: string;
}

@InputType('CreateInitiativeInput')
export class CreateInitiativeInput {
  @Field(() => String, { description: 'Url-safe, unique: lower-case letters, digits, dashes.' })
  key!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  objective?: string | null;

  @Field(() => String, { nullable: true })
  phase?: string | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD.' })
  targetDate?: string | null;

  @Field(() => [StatusCreditInput], {
    nullable: true,
    description: 'Overrides of the default policy.',
  })
  rollupPolicy?: StatusCreditInput[] | null;

  @Field(() => [StatusLabelInput], { nullable: true })
  statusLabels?: StatusLabelInput[] | null;

  @Field(() => Int, { nullable: true })
  reportLowPercentBucket?: number | null;

  @Field(() => Date, { nullable: true, description: EFFECTIVE_AT })
  effectiveAt?: Date | null;
}
