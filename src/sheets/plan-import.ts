import { DomainError } from '../domain/errors.js';
import { lookalikes } from './lookalikes.js';
import { statusLabel, type ItemStatus } from '../domain/item-status.js';
import { assertStageAgrees, fixedPercent, nextPercent } from '../domain/item-rules.js';
import { assertName, cleanNote } from '../domain/tree-rules.js';
import { assertItemWeight } from '../domain/units.js';
import { EXPORT_HEADERS, type Field } from './columns.js';
import { parseStatus, parseWholeNumber, statusSpellings } from './parse-cells.js';
import type { ReadSheet, SheetRow } from './read-sheet.js';
import { PATH_SEPARATOR, pathsAbove, type SheetItem, type SheetState } from './sheet-state.js';
import { planEdits } from './plan-edits.js';
import { newPathPlan, type ResolvedPath } from './plan-paths.js';
import { rowWorkstream } from './plan-row-path.js';
import { keepCreatedFor, withoutItemsInParents } from './plan-file-paths.js';
import type { ImportPlan, PlannedRow, PlanOptions, RowAction, RowError } from './import-plan.js';

/** Decides every row's action against the current state; pure, writes nothing. */
export function planImport(sheet: ReadSheet, state: SheetState, opts: PlanOptions): ImportPlan {
  const spellings = statusSpellings(state.statusLabels);
  const byId = new Map(state.items.map((i) => [i.id, i]));
  const pathOf = (id: number) => state.byId.get(id)?.path ?? String(id);
  const paths = newPathPlan(state);
  const byName = new Map<string, SheetItem[]>();
  for (const i of state.items) {
    const k = `${i.workstreamId}\u0000${i.name}`;
    const same = byName.get(k);
    if (same) same.push(i);
    else byName.set(k, [i]);
  }
  /** The workflow a path will follow: its own workstream's, or a new one's nearest existing ancestor's. */
  const workflowOfPath = (ws: ResolvedPath): string | null => {
    if (ws.id !== null) return state.workflows.get(ws.id) ?? null;
    const known = pathsAbove(ws.path)
      .reverse()
      .find((p) => state.workstreams.has(p));
    return known === undefined
      ? state.topWorkflow
      : (state.workflows.get(state.workstreams.get(known)!.id) ?? null);
  };
  /** The workstream of the item an ID cell names, or null (no such item: the row's own error). */
  const ownWorkstream = (idText: string | undefined): number | null => {
    const id = idText === undefined ? null : opts.itemIdOf(idText.trim());
    return (id === null ? undefined : byId.get(id))?.workstreamId ?? null;
  };
  const lookalike = lookalikes(state);
  const seen = new Map<string, number>();
  const planned = sheet.rows.map((r) => planRow(r));
  keepCreatedFor(planned, paths.created);
  const rows = withoutItemsInParents(
    planned,
    paths.created,
    sheet.headers.get('path') ?? EXPORT_HEADERS.path,
  );
  const matched = new Set(rows.flatMap((r) => (r.item ? [r.item.id] : [])));
  const prune = opts.prune ? state.items.filter((i) => !matched.has(i.id)) : [];
  const count = (a: RowAction) => rows.filter((r) => r.action === a).length;
  return {
    rows,
    newWorkstreams: paths.created,
    prune,
    structureVersion: state.structure.version,
    summary: {
      create: count('create'),
      update: count('update'),
      unchanged: count('unchanged'),
      error: count('error'),
      prune: prune.length,
      newWorkstreams: paths.created.length,
    },
  };

  function planRow(r: SheetRow): PlannedRow {
    const errors: RowError[] = [];
    const column = (f: Field) => sheet.headers.get(f) ?? EXPORT_HEADERS[f];
    const refuse = (f: Field, message: string) =>
      errors.push({ row: r.row, column: column(f), message });
    const check = <T>(field: Field, run: () => T): T | null => {
      try {
        return run();
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        const seen = r.shown?.get(field);
        const message =
          seen === undefined
            ? err.message
            : `${err.message}（单元格显示为“${seen}”，其值为 ${cell(field)}）`;
        refuse(field, message);
        return null;
      }
    };
    const cell = (f: Field) => r.cells.get(f);
    const rawPath = (cell('path') ?? '').trim();
    const name = check('name', () => assertName(cell('name') ?? '')) ?? cell('name') ?? '';
    const idText = cell('id');
    const ws = rowWorkstream({ cell, check, refuse }, state, paths, ownWorkstream(idText));
    let item: SheetItem | null = null;
    if (idText !== undefined) {
      item = check('id', () => {
        const id = opts.itemIdOf(idText.trim());
        const found = id === null ? undefined : byId.get(id);
        if (!found) throw new DomainError('NOT_FOUND', `ID“${idText}”不是本项目的事项`);
        return found;
      });
    }
    if (idText === undefined && ws && ws.id !== null) {
      const same = byName.get(`${ws.id}\u0000${name}`) ?? [];
      if (same.length > 1)
        check('name', () => {
          throw new DomainError(
            'INVALID_INPUT',
            `该工作流下有 ${same.length} 个同名事项，请加 ID 列区分`,
          );
        });
      item = same.length === 1 ? same[0]! : null;
    }
    const likePath = ws && ws.id === null ? lookalike.path(ws.path) : undefined;
    if (likePath !== undefined)
      refuse(
        'path',
        `工作流“${ws!.path}”与现有的“${likePath}”只差全角、半角字符（如 ／ 与 /）：请照现有的写`,
      );
    const likeName = !item && ws && ws.id !== null ? lookalike.name(ws.id, name) : undefined;
    if (likeName !== undefined)
      refuse(
        'name',
        `事项“${name}”与该工作流下现有的“${likeName}”只差全角、半角字符：请照现有的写，或加 ID 列`,
      );
    const key = item ? `item:${item.id}` : `${ws?.path ?? rawPath}${PATH_SEPARATOR}\u0000${name}`;
    const first = seen.get(key);
    if (first !== undefined) refuse(item ? 'id' : 'name', `与第 ${first} 行是同一事项（重复行）`);
    else seen.set(key, r.row);

    const statusText = cell('status');
    const status =
      statusText === undefined
        ? (item?.status ?? 'NOT_STARTED')
        : check('status', () => parseStatus(statusText, spellings));
    const percentText = cell('percent');
    const given =
      percentText === undefined
        ? null
        : check('percent', () => parseWholeNumber(percentText, '进度'));
    // The export writes every item's percent (0 for 未启动). A row whose status now has a
    // fixed percent (完成 100, 未启动 0) but whose percent cell still holds the item's own was
    // edited in its status alone: the old percent is not a second, contradicting edit.
    const leftAsExported =
      item !== null &&
      status !== null &&
      status !== item.status &&
      given === item.percent &&
      fixedPercent(status) !== null;
    const percent =
      status === null || (percentText !== undefined && given === null)
        ? null
        : check('percent', () =>
            nextPercent(status, item?.percent ?? 0, leftAsExported ? null : given),
          );
    const weightText = cell('weight');
    const weight =
      weightText === undefined
        ? (item?.weight ?? 1)
        : check('weight', () => assertItemWeight(parseWholeNumber(weightText, '权重')));
    const noteText = cell('note');
    const note =
      noteText === undefined ? (item?.note ?? null) : check('note', () => cleanNote(noteText));
    const { edits, changes } = item
      ? planEdits(item, { name, ws, weight, note, noteGiven: noteText !== undefined }, pathOf)
      : { edits: {}, changes: [] };
    // A new item, or one moving there, needs a leaf that takes items.
    if (ws && ws.id !== null && (!item || edits.moveTo !== undefined)) {
      if (ws.hasChildren) refuse('path', `工作流“${ws.path}”有下级，事项只能加在最下层`);
      else if (ws.manual) refuse('path', `工作流“${ws.path}”是人工填报进度，不能添加事项`);
    }
    const statusChanged =
      item !== null &&
      ((status !== null && status !== item.status) ||
        (percent !== null && percent !== item.percent));
    // A row of an export carries the item's version then: a change written over a newer one
    // (the file is older than what someone did since) would undo it without a word.
    const versionText = cell('version');
    if (item && versionText !== undefined && (changes.length > 0 || statusChanged)) {
      const was = check('version', () => parseWholeNumber(versionText, '版本'));
      if (was !== null && was !== item.version)
        refuse(
          'version',
          `事项在导出后已被修改（文件中是第 ${was} 版，现在是第 ${item.version} 版）；请重新导出后再改，以免覆盖别人的修改`,
        );
    }
    // A staged item moves only where the same stages govern (moveItem refuses otherwise).
    if (item && item.stage !== null && ws && edits.moveTo !== undefined) {
      if (workflowOfPath(ws) !== (state.workflows.get(item.workstreamId) ?? null))
        refuse(
          'path',
          `事项「${item.name}」按阶段计进度（当前阶段：${item.stage}），只能移到同一阶段流程下的工作流`,
        );
    }
    // A staged item's status and percent follow its stage: the write would refuse the change.
    if (item && item.stage !== null && statusChanged && status !== null && percent !== null)
      check('status', () => assertStageAgrees(item!, item!.stage!, { status, percent }, []));
    // In the words the sheet and the report use (the initiative's own labels), not enum names.
    const label = (st: ItemStatus) => statusLabel(st, 'zh-CN', state.statusLabels);
    if (item && status && status !== item.status)
      changes.push(`状态 ${label(item.status)}→${label(status)}`);
    if (item && percent !== null && percent !== item.percent)
      changes.push(`进度 ${item.percent}→${percent}`);
    const action: RowAction =
      errors.length > 0 ? 'error' : !item ? 'create' : changes.length > 0 ? 'update' : 'unchanged';
    return {
      row: r.row,
      action,
      path: ws?.path ?? rawPath,
      name,
      item,
      status,
      percent,
      weight,
      note,
      edits,
      statusChanged,
      changes,
      errors,
    };
  }
}
