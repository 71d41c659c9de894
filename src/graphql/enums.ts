import { registerEnumType } from 'type-graphql';
import { ITEM_STATUSES } from '../domain/item-status.js';
import { CREDIT_RULES } from '../domain/rollup-policy.js';
import { REPORT_DETAILS } from '../domain/report-detail.js';
import { USER_ERROR_CODES } from '../domain/errors.js';

const asEnum = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const ItemStatusEnum = asEnum(ITEM_STATUSES);
export const CreditRuleEnum = asEnum(CREDIT_RULES);
export const ReportDetailEnum = asEnum(REPORT_DETAILS);
export const UserErrorCodeEnum = asEnum(USER_ERROR_CODES);
/** GraphQL enum names cannot hold a dash, so ZH_CN stands for zh-CN. */
export const LocaleEnum = { ZH_CN: 'zh-CN', EN: 'en' } as const;

registerEnumType(ItemStatusEnum, {
  name: 'ItemStatus',
  description:
    'Item status. Labels: 未启动 / 处理中 / 暂停 / 完成 / 可下线 / 取消 (initiatives may rename).',
});
registerEnumType(CreditRuleEnum, {
  name: 'CreditRule',
  description:
    'What an item of a status earns: FULL, PERCENT (its own percent), ZERO, or EXCLUDED (left out of both sides).',
});
registerEnumType(ReportDetailEnum, {
  name: 'ReportDetail',
  description: 'How report lines detail a workstream’s items.',
});
registerEnumType(UserErrorCodeEnum, {
  name: 'UserErrorCode',
  description: 'Stable codes of expected failures.',
});
registerEnumType(LocaleEnum, {
  name: 'Locale',
  description: 'Language of labels and text: ZH_CN (default) or EN.',
});
