import { DomainError } from '../domain/errors.js';
import type { ItemStatus } from '../domain/item-status.js';
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
