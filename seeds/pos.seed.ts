import type { SeedInitiative } from './seed.types.js';

/**
 * 【O2系统升级】B. POS收单系统建设, as the week-20 report (第20周 2023/05/13) states it:
 * 人谷系统技术栈改造按计划进行中，联机dubbo改造开发100%，目前进入测试阶段 50%预计6/15完成；
 * 理房通自建POS需求收集编写，预计下周评审.
 */
export const posSeed: SeedInitiative = {
  key: 'pos',
  name: 'POS收单系统建设',
  objective: '【O2系统升级】',
  targetDate: '2023-06-15',
  workstreams: [
    {
      name: '人谷系统技术栈改造',
      children: [
        { name: '联机dubbo改造开发', manualPercent: 100, weight: 1 },
        { name: '测试', manualPercent: 50, weight: 1, targetDate: '2023-06-15' },
      ],
    },
    {
      name: '理房通自建POS需求收集',
      items: [
        {
          name: '需求收集编写',
          status: 'IN_PROGRESS',
          // ASSUMPTION: the report says only that it is under way (预计下周评审) and gives no
          // percent; 50 is a placeholder.
          percent: 50,
          note: '预计下周评审',
        },
      ],
    },
  ],
  milestones: [
    { workstream: '测试', name: '完成', due: '2023-06-15' },
    // 预计下周评审: due in the week after the report's (the week of 2023-05-15).
    { workstream: '理房通自建POS需求收集', name: '评审', due: '2023-05-15', duePrecision: 'WEEK' },
  ],
};
