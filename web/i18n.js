import { formatRatioPercent } from '/shared/format-number.js';

// Chinese by default; the English switch is remembered in localStorage.
const TEXT = {
  'zh-CN': {
    title: 'Jindu 进度',
    home: '全部项目',
    noSuchInitiative: (key) => `没有这个项目：${key}（或者当前令牌不能查看它）`,
    total: (n) => `总计${n}个`,
    target: '目标日期',
    health: '健康度',
    manual: '手动设置',
    manualFigure: '手动进度（无事项）',
    health_ON_TRACK: '正常',
    health_AT_RISK: '有风险',
    health_OFF_TRACK: '滞后',
    health_DONE: '已完成',
    health_NO_TARGET: '无目标日期',
    health_UNKNOWN: '未知',
    history: '燃起图',
    noHistory: '还没有历史数据',
    credit: '完成量',
    scope: '范围（计入）',
    items: '事项数',
    date: '日期',
    chartData: '燃起图数据（每周）',
    showTable: '显示数据表',
    hideTable: '隐藏数据表',
    forecast: '完成预测',
    forecast_INSUFFICIENT_HISTORY: '历史不足，暂不预测',
    forecast_NOT_CONVERGING: '按当前速度不会完成',
    forecast_DONE: '已全部完成',
    lastChange: '最后状态变更',
    daysAgo: (n) => `${n}天未变`,
    token: '令牌',
    paste: '粘贴令牌以编辑（仅保存在本标签页）',
    save: '保存',
    forget: '清除',
    explain: '计算说明',
    report: '周报行',
    weekly: '周报 Markdown',
    weeklyPart: '周报中的本项目 Markdown',
    copy: '复制',
    copied: '已复制',
    status: '状态',
    percent: '进度',
    noOwnPercent: '此状态不计自身进度，按汇总规则计（默认按完成计）',
    apply: '应用',
    selected: (n) => `已选 ${n} 项`,
    pick: '选择',
    setAll: '批量设置',
    upload: '导入表格',
    preview: '预览',
    download: '下载',
    stalled: '停滞事项（14 天未变）',
    noStalled: '没有 14 天以上未变的处理中或暂停事项',
    row: '行',
    action: '动作',
    item: '事项',
    workstream: '工作流',
    changes: '变更',
    refreshed: '每 30 秒刷新',
    serverUnavailable: (status) => `服务器暂时无法应答（HTTP ${status}）`,
    serverUnreachable: '连不上服务器（网络断开或服务器未运行）',
    unsendableHeader: '令牌中有无法发送的字符（全角或不可见字符）：请重新复制粘贴',
    readFailed: '刷新失败，稍后自动重试：',
    role_viewer: '只读',
    role_editor: '编辑',
    role_admin: '管理员',
    signedIn: (name, role) => `${name}（${role}）`,
    tokenRefused: '令牌不可用：',
    tokenDropped: '保存的令牌已失效，已清除，请粘贴新令牌：',
    keptDrafts: (n) => `${n} 处未应用的修改已保留：粘贴令牌后可在原行应用`,
    readOnly: '当前令牌只读，不能编辑',
    stagedOnly: '按阶段计进度：请更新阶段（setItemStage），不能直接改状态',
    moreItems: (shown) => `仅显示前 ${shown} 个；全部事项请下载表格`,
    summary: (s) =>
      `新建 ${s.create} · 更新 ${s.update} · 不变 ${s.unchanged} · 错误 ${s.error}${s.prune ? ` · 删除 ${s.prune}` : ''}${s.newWorkstreams ? ` · 新工作流 ${s.newWorkstreams}` : ''}`,
    newWorkstreams: '将新建的工作流',
    createdWorkstreams: '已新建的工作流',
    ignoredColumns: '忽略的列（导入不读）',
    previewCut: (shown, all) =>
      `仅列出前 ${shown} 行（共 ${all} 行有变化或错误）；全部请用命令行 jindu import --dry-run`,
    action_create: '新建',
    action_update: '更新',
    action_unchanged: '不变',
    action_error: '错误',
    skipErrors: '跳过错误行，只写入正确的行',
    bulkStatus: '批量设置的状态',
    applyTo: (name) => `应用到「${name}」`,
    discard: '撤销',
    discardEdit: (name) => `撤销对「${name}」的修改`,
    explainOf: (name) => `「${name}」的计算说明`,
    needPercent: '请填写进度（0–100）',
  },
  en: {
    title: 'Jindu progress',
    home: 'All initiatives',
    noSuchInitiative: (key) => `No initiative "${key}" (or the current token may not read it)`,
    total: (n) => (n === 1 ? '1 item' : `${n} items`),
    target: 'Target',
    health: 'Health',
    manual: 'set by hand',
    manualFigure: 'percent set by hand (no items)',
    health_ON_TRACK: 'On track',
    health_AT_RISK: 'At risk',
    health_OFF_TRACK: 'Off track',
    health_DONE: 'Done',
    health_NO_TARGET: 'No target date',
    health_UNKNOWN: 'Unknown',
    history: 'Burn-up',
    noHistory: 'No history yet',
    credit: 'Credit',
    scope: 'Scope (counted)',
    items: 'Items',
    date: 'Date',
    chartData: 'Burn-up data (weekly)',
    showTable: 'Show data table',
    hideTable: 'Hide data table',
    forecast: 'Forecast',
    forecast_INSUFFICIENT_HISTORY: 'Not enough history to forecast',
    forecast_NOT_CONVERGING: 'Will not finish at the current pace',
    forecast_DONE: 'All done',
    lastChange: 'Last status change',
    daysAgo: (n) => `unchanged for ${n} ${n === 1 ? 'day' : 'days'}`,
    token: 'Token',
    paste: 'Paste a token to edit (kept in this tab only)',
    save: 'Save',
    forget: 'Forget',
    explain: 'How computed',
    report: 'Report lines',
    weekly: 'Weekly Markdown',
    weeklyPart: 'Its part of the weekly Markdown',
    copy: 'Copy',
    copied: 'Copied',
    status: 'Status',
    percent: 'Percent',
    noOwnPercent:
      'This status has no percent of its own: the rollup policy says what it counts for (in full by default)',
    apply: 'Apply',
    pick: 'Select',
    selected: (n) => `${n} selected`,
    setAll: 'Set all',
    upload: 'Import sheet',
    preview: 'Preview',
    download: 'Download',
    stalled: 'Stalled items (unchanged 14 days)',
    noStalled: 'No item in progress or paused has been unchanged for 14 days',
    row: 'Row',
    action: 'Action',
    item: 'Item',
    workstream: 'Workstream',
    changes: 'Changes',
    refreshed: 'Refreshes every 30 s',
    serverUnavailable: (status) => `The server could not answer (HTTP ${status})`,
    serverUnreachable: 'Cannot reach the server (the network is down or the server is not running)',
    unsendableHeader:
      'The token holds a character that cannot be sent (a full-width or invisible one): copy and paste it again',
    readFailed: 'Refresh failed, retrying shortly: ',
    role_viewer: 'viewer',
    role_editor: 'editor',
    role_admin: 'admin',
    signedIn: (name, role) => `${name} (${role})`,
    tokenRefused: 'Token not accepted: ',
    tokenDropped: 'The saved token stopped working and was cleared; paste a new one: ',
    keptDrafts: (n) =>
      `${n} unapplied ${n === 1 ? 'edit is' : 'edits are'} kept: paste a token, then apply ${n === 1 ? 'it' : 'them'} in ${n === 1 ? 'its row' : 'their rows'}`,
    readOnly: 'This token reads only: no editing',
    stagedOnly: 'Counted by its stage: change the stage (setItemStage), not the status',
    moreItems: (shown) => `Showing the first ${shown}; download the sheet for every item`,
    summary: (s) =>
      `${s.create} new · ${s.update} updated · ${s.unchanged} unchanged · ${s.error} with errors${s.prune ? ` · ${s.prune} deleted` : ''}${s.newWorkstreams ? ` · ${s.newWorkstreams} new workstreams` : ''}`,
    newWorkstreams: 'Workstreams it will create',
    createdWorkstreams: 'Workstreams it created',
    ignoredColumns: 'Columns it ignores',
    previewCut: (shown, all) =>
      `Listing the first ${shown} rows of ${all} with changes or errors; jindu import --dry-run lists all`,
    action_create: 'new',
    action_update: 'update',
    action_unchanged: 'unchanged',
    action_error: 'error',
    skipErrors: 'Skip rows with errors and write the rest',
    bulkStatus: 'Status to set',
    applyTo: (name) => `Apply to “${name}”`,
    discard: 'Undo',
    discardEdit: (name) => `Undo the edit of “${name}”`,
    explainOf: (name) => `How “${name}” is computed`,
    needPercent: 'Give a percent (0–100)',
  },
};
export const locale = () => (localStorage.getItem('jindu.locale') === 'en' ? 'en' : 'zh-CN');
export const gqlLocale = () => (locale() === 'en' ? 'EN' : 'ZH_CN');
export const t = (key, ...args) => {
  const v = TEXT[locale()][key];
  return typeof v === 'function' ? v(...args) : v;
};
/**
 * A user error in the page's language. The API words its errors in Chinese; in English the
 * page says what the code means and keeps the server's own words in the element's title.
 */
const ENGLISH_ERRORS = {
  INVALID_PERCENT: 'Give a whole-number percent from 0 to 100 (done is 100, not started is 0)',
  STALE_VERSION:
    'Someone changed this item since it was loaded: the rows were read again; check it, then apply again',
  FORBIDDEN: 'This token may not change it (a viewer token, or another initiative’s)',
  UNAUTHENTICATED: 'The token was not accepted (unknown, expired or revoked)',
  NOT_FOUND: 'Not found: it may have been deleted, or the token may not read it',
  TOO_MANY: 'Too many at once',
  // What a read can meet: the server busy, slow or broken for a moment. The page tries again.
  RATE_LIMITED: 'Too many requests from here just now',
  TIMEOUT: 'The server took too long to answer',
  RETRY: 'The server could not take this upload just now, and changed nothing: upload it again',
  INTERNAL_SERVER_ERROR: 'The server failed to answer this (the failure is in its log)',
};
/** What the sheet thread's refusals mean for a download (the upload's words ask to upload). */
export const DOWNLOAD_ERRORS = {
  TIMEOUT: 'Writing the file took too long: try again later, or download .csv',
  RETRY: 'The server could not write this file just now: download it again',
  TOO_LARGE: 'Too much to write as one .xlsx: download .csv',
};
/** `e` in the page's language; `words` says what a code means where this request differs. */
export const userErrorText = (e, words = {}) => {
  if (e.inPageLanguage || locale() !== 'en' || !e.code) return e.message;
  return (
    words[e.code] ?? ENGLISH_ERRORS[e.code] ?? `The server refused this (${e.code}): ${e.message}`
  );
};
export const setLocale = (l) => localStorage.setItem('jindu.locale', l);
export const STATUSES = [
  'NOT_STARTED',
  'IN_PROGRESS',
  'PAUSED',
  'DONE',
  'DECOMMISSIONABLE',
  'CANCELLED',
];
/**
 * A figure's percent as the reports print it: the server's own rounding (half-up on the exact
 * ratio, never 100.00 before all is done) over its credit and counted. Those are exact
 * micro-items, so × 1e6 gives back the integers the server rounded; toFixed on the float
 * percent would print 50.025 as 50.02 where the report says 50.03.
 */
export const pct = (f) => {
  const p =
    f && Number.isFinite(f.credit) && Number.isFinite(f.counted)
      ? formatRatioPercent(Math.round(f.credit * 1e6), Math.round(f.counted * 1e6))
      : null;
  return p === null ? '—' : `${p}%`;
};
/** The report's day of a time: its date in China (+08:00), the team's time zone, not UTC's. */
export const reportDay = (iso) =>
  new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
