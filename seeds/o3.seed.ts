import type { SeedInitiative } from './seed.types.js';

/**
 * 【O3 安全稳定、降本提效】 of the week-20 report (第20周 2023/05/13): the monthly cost as a metric
 * with two readings, the certification as a milestone, and the rest as written updates.
 */
export const o3Seed: SeedInitiative = {
  key: 'stability-cost',
  name: '安全稳定、降本提效',
  objective: '【O3 安全稳定、降本提效】',
  workstreams: [{ name: '基础研发线成本' }, { name: '个人金融信息保护能力认证' }],
  metrics: [
    {
      workstream: '基础研发线成本',
      name: '实收成本',
      unit: '元',
      decimals: 4,
      direction: 'DOWN',
      readings: [
        // ASSUMPTION: the report gives only April's cost and its decrease on March; March is
        // derived from them: 1,409,444.598 + 212,528.2195 = 1,621,972.8175.
        { value: '1621972.8175', period: '2023-03' },
        { value: '1409444.598', period: '2023-04', note: '4月份基础研发线成本分摊账单发布' },
      ],
    },
  ],
  milestones: [
    {
      workstream: '个人金融信息保护能力认证',
      name: '进场检查',
      due: '2023-05',
      note: '进度正常',
    },
  ],
  updates: [
    {
      section: 'PROGRESS',
      week: '2023-05-13',
      objective: '【O3 安全稳定、降本提效】',
      body: '经沟通，安全中心将于本月中下旬，组织对企业研发线的高风险URL进行复测。具体安排确定后同步',
    },
    {
      section: 'PROGRESS',
      week: '2023-05-13',
      objective: '【O3 安全稳定、降本提效】',
      body: '生产前置机停机维护演练：宁波、北京、杭州、杭州联合、交通、工行、中信虚户、平安、民生、兴业、中国银行，总计11台前置机。演练过程中杭州联合银行启动失败，SRE重拔插UKEY后恢复正常。',
    },
  ],
};
