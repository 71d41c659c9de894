import type { SeedInitiative } from './seed.types.js';

/**
 * 【O1 服务业务】新支付能力建设 (启动商委类通道接口接入), as the week-20 report
 * (第20周 2023/05/13) states it: five channels, each through 设计 → 开发 → 上线 → 投产.
 */
export const paymentChannelsSeed: SeedInitiative = {
  key: 'payment-channels',
  name: '新支付能力建设',
  objective: '【O1 服务业务】',
  workstreams: [
    {
      // 已投产
      name: '银商支付宝APP花呗',
      items: [
        { name: '设计', status: 'DONE' },
        { name: '开发', status: 'DONE' },
        { name: '上线', status: 'DONE' },
        { name: '投产', status: 'DONE' },
      ],
    },
    {
      // 已投产
      name: '拉卡拉开发平台3.0支付宝APP花呗',
      items: [
        { name: '设计', status: 'DONE' },
        { name: '开发', status: 'DONE' },
        { name: '上线', status: 'DONE' },
        { name: '投产', status: 'DONE' },
      ],
    },
    {
      // 已上线，待投产
      name: '银联在线收银台',
      items: [
        { name: '设计', status: 'DONE' },
        { name: '开发', status: 'DONE' },
        { name: '上线', status: 'DONE' },
        { name: '投产', status: 'NOT_STARTED', note: '待投产' },
      ],
    },
    {
      // 已上线，已完成限额验证，待业务接入
      name: '银联代收',
      items: [
        { name: '设计', status: 'DONE' },
        { name: '开发', status: 'DONE' },
        { name: '上线', status: 'DONE', note: '已完成限额验证' },
        { name: '投产', status: 'NOT_STARTED', note: '待业务接入' },
      ],
    },
    {
      // 本周已启动，技术设计文档编写完成，待评审。预计接入8个接口，需要3人日开发。
      name: '网联代收',
      items: [
        {
          name: '设计',
          status: 'IN_PROGRESS',
          // ASSUMPTION: the report gives no percent. The design document is written and only
          // the review remains, so the seed uses 80.
          percent: 80,
          note: '技术设计文档编写完成，待评审',
        },
        { name: '开发', status: 'NOT_STARTED', note: '预计接入8个接口，需要3人日开发' },
        { name: '上线', status: 'NOT_STARTED' },
        { name: '投产', status: 'NOT_STARTED' },
      ],
    },
  ],
};
