import type { SeedInitiative } from './seed.types.js';

/**
 * 【O1 服务业务】新支付能力建设 (启动商委类通道接口接入), as the week-20 report
 * (第20周 2023/05/13) states it: five channels, each one item moving through the team's stages
 * 启动 → 设计 → 开发 → 上线 → 投产 (credits evenly spaced: 20, 40, 60, 80, 100). Each line is
 * `{n}. {name}：已{stage}，{note}`; 本周 when the stage was entered in the report's week; without a
 * note, a channel short of 投产 says 待{next stage}.
 */
// ASSUMPTION: the report does not say when the initiative started nor when channels 1–4 reached
// their stages; it only implies "before this week" (no 本周). The seed dates them 2023-04-03 and
// 2023-05-05. 网联代收 started this week (本周已启动): the seed dates its 启动 2023-05-10.
const BEFORE_THE_WEEK = '2023-05-05T10:00:00+08:00';

export const paymentChannelsSeed: SeedInitiative = {
  key: 'payment-channels',
  name: '新支付能力建设',
  objective: '【O1 服务业务】',
  effectiveAt: '2023-04-03T00:00:00+08:00',
  stages: [
    { name: '启动' },
    { name: '设计' },
    { name: '开发' },
    { name: '上线' },
    { name: '投产' },
  ],
  workstreams: [
    {
      name: '商委类通道接口接入',
      items: [
        {
          name: '银商支付宝APP花呗',
          status: 'NOT_STARTED',
          stage: '投产',
          stageSince: BEFORE_THE_WEEK,
        },
        {
          name: '拉卡拉开发平台3.0支付宝APP花呗',
          status: 'NOT_STARTED',
          stage: '投产',
          stageSince: BEFORE_THE_WEEK,
        },
        // No note: the line says 待投产 (the next stage) by itself.
        {
          name: '银联在线收银台',
          status: 'NOT_STARTED',
          stage: '上线',
          stageSince: BEFORE_THE_WEEK,
        },
        {
          name: '银联代收',
          status: 'NOT_STARTED',
          stage: '上线',
          stageNote: '已完成限额验证，待业务接入',
          stageSince: BEFORE_THE_WEEK,
        },
        {
          name: '网联代收',
          status: 'NOT_STARTED',
          stage: '启动',
          stageNote: '技术设计文档编写完成，待评审。预计接入8个接口，需要3人日开发。',
          stageSince: '2023-05-10T10:00:00+08:00',
        },
      ],
    },
  ],
  updates: [
    {
      section: 'PROGRESS',
      week: '2023-05-13',
      objective: '【O1 服务业务】',
      body: '轻存管&定转佣能力建设，定金收款场景试单顺利；定转佣-银行出金转ACS上线完成，试单准备中。',
    },
    {
      section: 'PROGRESS',
      week: '2023-05-13',
      objective: '【O1 服务业务】',
      body: '朝阳项目-招募提佣，跨月招募及佣金发放功能，5/9上线完成。',
    },
    {
      section: 'PROGRESS',
      week: '2023-05-13',
      objective: '【O1 服务业务】',
      body: '带押过户，计划520光大同行带押线下跑通，系统配合完成存管带押协议配置以及解冻出金订单挂起的配置和协助，同步理解和思考线上化技术方案。',
    },
    {
      section: 'PROGRESS',
      week: '2023-05-13',
      objective: '【O1 服务业务】',
      body: '小贝帮帮项目，第一次敏捷迭代-技术框架搭建&主流程功能，5/11上线完成。资金管理平台升级以及招行银企直连接入，开发进度20%。',
    },
    {
      section: 'PROGRESS',
      week: '2023-05-13',
      objective: '【O1 服务业务】',
      body: '商户降客询，启动绑卡&提现新一轮优化，同时启动密码登录控件的优化',
    },
  ],
};
