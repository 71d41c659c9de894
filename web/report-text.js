import { locale } from './i18n.js';

// The report model's words (stages, metrics, milestones), Chinese by default like i18n.js.
const TEXT = {
  'zh-CN': {
    figures: '命名进度',
    stages: '阶段',
    workflow: '阶段流程',
    stagedItems: '按阶段推进的事项',
    stage: '阶段',
    stageNote: '说明',
    metrics: '指标',
    metric: '指标',
    latest: '最新值',
    target: '目标',
    met: '达标',
    MET: '已达标',
    NOT_MET: '未达标',
    NO_TARGET: '无目标',
    burnDown: (p) => `已消化 ${p}%`,
    milestones: '里程碑',
    milestone: '里程碑',
    due: '预计日期',
    done: '完成日期',
    state: '状态',
    overdue: '已逾期',
    onTime: '按期',
    finished: '已完成',
    slip: '顺延',
    slipDays: (n) => (n > 0 ? `顺延${n}天` : n < 0 ? `提前${-n}天` : '未变'),
    workstream: '工作流',
    item: '事项',
  },
  en: {
    figures: 'Named figures',
    stages: 'Stages',
    workflow: 'Workflow',
    stagedItems: 'Staged items',
    stage: 'Stage',
    stageNote: 'Note',
    metrics: 'Metrics',
    metric: 'Metric',
    latest: 'Latest',
    target: 'Target',
    met: 'Met',
    MET: 'met',
    NOT_MET: 'not met',
    NO_TARGET: 'no target',
    burnDown: (p) => `${p}% burned down`,
    milestones: 'Milestones',
    milestone: 'Milestone',
    due: 'Due',
    done: 'Done',
    state: 'State',
    overdue: 'overdue',
    onTime: 'on time',
    finished: 'done',
    slip: 'Slip',
    slipDays: (n) => {
      const days = (k) => `${k} ${k === 1 ? 'day' : 'days'}`;
      return n > 0 ? `${days(n)} later` : n < 0 ? `${days(-n)} earlier` : 'unchanged';
    },
    workstream: 'Workstream',
    item: 'Item',
  },
};

/** A report-model word in the dashboard's language. */
export const rt = (key, ...args) => {
  const v = TEXT[locale()][key];
  return typeof v === 'function' ? v(...args) : v;
};
