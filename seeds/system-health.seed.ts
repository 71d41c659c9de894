import type { SeedInitiative } from './seed.types.js';

/**
 * 【系统运行数据】 of the week-20 report (第20周 2023/05/13): success rates and availability as
 * metrics with one reading each, exactly as the report writes them (99.90 keeps its zero).
 * No workstreams: an initiative of metrics only prints no progress header.
 */
export const systemHealthSeed: SeedInitiative = {
  key: 'system-health',
  name: '系统运行数据',
  objective: '【系统运行数据】',
  workstreams: [],
  metrics: [
    {
      name: '入金有效成功率',
      unit: '%',
      decimals: 2,
      direction: 'UP',
      category: '成功率',
      readings: [{ value: '99.81' }],
    },
    {
      name: '出金有效成功率',
      unit: '%',
      decimals: 2,
      direction: 'UP',
      category: '成功率',
      readings: [{ value: '99.90' }],
    },
    {
      name: '支付系统年度可用性',
      unit: '%',
      decimals: 4,
      direction: 'UP',
      category: '可用性',
      readings: [{ value: '100' }],
    },
    {
      name: 'AB级',
      unit: '次',
      decimals: 0,
      direction: 'DOWN',
      target: '0',
      group: '事故数',
      category: '可用性',
      readings: [{ value: '0' }],
    },
    {
      name: 'CD级',
      unit: '次',
      decimals: 0,
      direction: 'DOWN',
      target: '0',
      group: '事故数',
      category: '可用性',
      readings: [{ value: '0' }],
    },
  ],
};
