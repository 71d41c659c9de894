import type { ItemStatus } from './item-status.js';
import { assertNever } from './item-status.js';
import { DomainError } from './errors.js';
import { assertItemPercent } from './units.js';

/**
 * The percent an item keeps after a status change (or is created with, from 0). DONE means 100
 * and NOT_STARTED means 0: a given percent must agree (完成 at 5% or 未启动 at 80% would say two
 * things at once). Every other status takes a given percent (validated) or keeps what the item
 * had reached (a paused item keeps its percent).
 */
export function nextPercent(
  status: ItemStatus,
  current: number,
  given: number | null | undefined,
  field: readonly string[] = ['percent'],
): number {
  if (given !== null && given !== undefined) {
    const percent = assertItemPercent(given, field);
    const fixed = fixedPercent(status);
    if (fixed !== null && percent !== fixed) {
      throw new DomainError(
        'INVALID_PERCENT',
        `${status === 'DONE' ? '已完成' : '未启动'}的事项进度只能是 ${fixed}（或不填），收到 ${percent}`,
        field,
      );
    }
    return percent;
  }
  return fixedPercent(status) ?? current;
}

/** The percent a status implies (DONE 100, NOT_STARTED 0), or null when the item keeps its own. */
export function fixedPercent(status: ItemStatus): number | null {
  switch (status) {
    case 'DONE':
      return 100;
    case 'NOT_STARTED':
      return 0;
    case 'IN_PROGRESS':
    case 'PAUSED':
    case 'DECOMMISSIONABLE':
    case 'CANCELLED':
      return null;
    default:
      return assertNever(status);
  }
}

/**
 * A staged item's status and percent follow its stage (setItemStage): a status change that
 * would make them disagree is refused, naming the status field and the way to move it. A change
 * that leaves both as they are (a note, a re-sent sheet row) goes through.
 */
export function assertStageAgrees(
  item: { readonly name: string; readonly status: ItemStatus; readonly percent: number },
  stage: string | undefined,
  next: { readonly status: ItemStatus; readonly percent: number },
  field: readonly string[],
): void {
  if (stage === undefined) return;
  if (next.status === item.status && next.percent === item.percent) return;
  throw new DomainError(
    'INVALID_INPUT',
    `事项「${item.name}」按阶段计进度（当前阶段：${stage}），状态和进度由阶段决定；请用 setItemStage 设置阶段`,
    field,
  );
}

/**
 * A write's `expectedVersion` against the item's own: null when none was given or it matches,
 * INVALID_INPUT for one no item can have (versions start at 1: `-1` read as "someone changed
 * it", which nobody had), else STALE_VERSION. The one check of every conditional item write.
 */
export function versionMismatch(
  expected: number | null | undefined,
  current: number,
  field: readonly string[],
): DomainError | null {
  if (expected === null || expected === undefined || expected === current) return null;
  if (!Number.isSafeInteger(expected) || expected < 1)
    return new DomainError(
      'INVALID_INPUT',
      `expectedVersion 必须是正整数（事项版本从 1 开始），收到 ${expected}`,
      field,
    );
  return new DomainError(
    'STALE_VERSION',
    `事项已被他人修改（当前版本 ${current}，期望 ${expected}），请刷新后重试`,
    field,
  );
}
