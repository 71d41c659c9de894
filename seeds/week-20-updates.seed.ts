import type { SeedUpdate } from './seed.types.js';

/**
 * The week-20 report's written parts that belong to no initiative, verbatim: 【其他】,
 * 本周收获与反思 and 下周工作及目标.
 */
export const week20ReportUpdates: readonly SeedUpdate[] = [
  {
    section: 'PROGRESS',
    week: '2023-05-13',
    objective: '【其他】',
    body: [
      '1. 对账系统Q2规划',
      '2. GPT Hackathon 初评',
      '3. 2023春季晋升调薪结果沟通',
      '4. 企业研发线研讨&团建',
    ].join('\n'),
  },
  {
    section: 'REFLECTION',
    week: '2023-05-13',
    body: [
      '增长是解决问题的唯一方法，但如何增长以及持续增长，唯一路径是为客户创造价值，使客户需求获得更大、更高质量的满足。条线研讨中有同学说非常好：“客户的每一次抱怨，都是给我们的免费产品咨询”。',
      '',
      '当我们思考如何增长时，与其瘪在公司YY各种方法、路径，不如去倾听正在的客户声音，去同情一线的辛苦，去体验行业的困境，看看我们能做点什么。',
      '',
      '近期住建部、市场监管总局发布的《关于规范房地产经纪服务的意见》，引起不少伙伴的关注和讨论，有人说这个意见对平台不友好，甚至有人说这是“整顿”的前兆。我理解不如换个角度去思考，我们是不是创造了合理的价值，对得起客户掏的钱。我们可不可以交付更高质量、高价值的服务，获得更多的认同。不要害怕不完美的评价，推动增长的阳光总在每个裂缝中撒落。',
    ].join('\n'),
  },
  {
    section: 'NEXT_WEEK',
    week: '2023-05-13',
    body: [
      '1. 账户2.0热点账户性能压测以及大流量灰度验证结果评估。',
      '2. Hive、POS、带押过户、统一用户、全房通网关等项目。',
      '3. ChatGPT Hackathon的评审',
    ].join('\n'),
  },
];
