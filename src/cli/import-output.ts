import type { ImportPlan } from '../sheets/import-plan.js';
import type { ImportResult } from '../services/import-sheet.js';

const ACTION_LABEL = { create: '新建', update: '更新', unchanged: '不变', error: '错误' } as const;

/**
 * One line of output whatever the data holds: a name refused for its line break (or a path, a
 * value quoted in a message) shows the break as ↵ instead of starting a line that reads as
 * another row's.
 */
const oneLine = (text: string) => text.replace(/\r\n|[\n\r\u2028\u2029]/g, '↵');

/**
 * The plan as lines: every row in a dry run (`第 3 行 更新 迁移/风控报表 · 日报 状态 …`), only
 * the wrong ones otherwise; error lines name the row, the column and the reason.
 */
export function planLines(plan: ImportPlan, opts: { all: boolean }): string[] {
  const lines: string[] = [];
  for (const path of opts.all ? plan.newWorkstreams : []) lines.push(`新建工作流 ${path}`);
  for (const r of plan.rows) {
    if (!opts.all && r.action !== 'error') continue;
    const what = `第 ${r.row} 行 ${ACTION_LABEL[r.action]} ${r.path} · ${r.name}`;
    if (r.action === 'error')
      for (const e of r.errors) lines.push(`${what}  [${e.column}] ${e.message}`);
    else lines.push(r.changes.length > 0 ? `${what}  ${r.changes.join('，')}` : what);
  }
  for (const item of opts.all ? plan.prune : [])
    lines.push(`删除 事项 ${item.name}（不在文件中，--prune）`);
  return lines.map(oneLine);
}

export function summaryLine(result: ImportResult): string {
  const s = result.plan.summary;
  const counts = `新建 ${s.create}，更新 ${s.update}，不变 ${s.unchanged}，错误 ${s.error}，新工作流 ${s.newWorkstreams}，删除 ${s.prune}`;
  if (result.refused) return `${counts}。${result.refused}`;
  if (!result.applied) return `${counts}。试运行，未写入`;
  // A file that matches what is there writes nothing: 已写入 said otherwise.
  const changes = s.create + s.update + s.prune + s.newWorkstreams;
  return changes === 0
    ? `${counts}。没有要写入的变更`
    : `${counts}。已写入（操作人 ${result.actor}）`;
}

/** The headers the import did not read: a renamed 进度 would otherwise lose every percent silently. */
export function ignoredColumnsLine(ignored: readonly string[]): string {
  return `忽略的列（导入不读）：${ignored.join('、')}；列名见 README 的 Spreadsheets 一节`;
}
