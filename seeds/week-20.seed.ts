import { accountSeed } from './account-2.seed.js';
import { hiveSeed } from './hive.seed.js';
import { paymentChannelsSeed } from './payment-channels.seed.js';
import { posSeed } from './pos.seed.js';
import type { SeedInitiative } from './seed.types.js';

/** The report's date, the start of 2023-05-13 in China: what the seed's figures are as of. */
export const WEEK_20_EFFECTIVE_AT = '2023-05-13T00:00:00+08:00';

/**
 * The demo data set: the initiatives of the real weekly report 第20周 2023/05/13
 * (/work/shared/reference/week-20-report.md), in the report's order: 【O1 服务业务】新支付能力建设,
 * then 【O2系统升级】A. 支付账户2.0升级, B. POS收单系统建设, C. HIVE标准数仓建设.
 * Values the report does not state are marked ASSUMPTION where each seed sets them.
 */
export const week20Seed: readonly SeedInitiative[] = [
  paymentChannelsSeed,
  accountSeed,
  posSeed,
  hiveSeed,
].map((seed) => ({ ...seed, effectiveAt: WEEK_20_EFFECTIVE_AT }));
