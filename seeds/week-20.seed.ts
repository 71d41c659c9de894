import { accountSeed } from './account-2.seed.js';
import { hiveSeed } from './hive.seed.js';
import { o3Seed } from './o3.seed.js';
import { paymentChannelsSeed } from './payment-channels.seed.js';
import { posSeed } from './pos.seed.js';
import type { SeedInitiative } from './seed.types.js';
import { systemHealthSeed } from './system-health.seed.js';
import { week20ReportUpdates } from './week-20-updates.seed.js';

/** The report's date, the start of 2023-05-13 in China: what the seed's figures are as of. */
export const WEEK_20_EFFECTIVE_AT = '2023-05-13T00:00:00+08:00';

/** The week the seed's written updates belong to. */
export const WEEK_20_DATE = '2023-05-13';

/**
 * The demo data set: the real weekly report 第20周 2023/05/13
 * (/work/shared/reference/week-20-report.md), in the report's order: 【系统运行数据】, 【O1 服务业务】
 * 新支付能力建设, 【O2系统升级】 A. 支付账户2.0升级, B. POS收单系统建设, C. HIVE标准数仓建设,
 * 【O3 安全稳定、降本提效】; the updates of no initiative (【其他】, 本周收获与反思, 下周工作及目标)
 * ride with the last one. Values the report does not state are marked ASSUMPTION where each seed
 * sets them. A seed with its own effectiveAt (payment channels: stages reached before the week)
 * keeps it.
 */
export const week20Seed: readonly SeedInitiative[] = [
  systemHealthSeed,
  paymentChannelsSeed,
  accountSeed,
  posSeed,
  hiveSeed,
  { ...o3Seed, updates: [...(o3Seed.updates ?? []), ...week20ReportUpdates] },
].map((seed) => ({ ...seed, effectiveAt: seed.effectiveAt ?? WEEK_20_EFFECTIVE_AT }));
