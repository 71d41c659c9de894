import { DomainError } from './errors.js';
import { checkText } from './text-rules.js';
import { EARLIEST_TIME_MS } from './effective-time.js';

/**
 * Workstreams carry a materialized path of ancestor ids, `/1/5/9/`, so a subtree is one prefix
 * query and a move is one prefix rewrite.
 */
export function childPath(parentPath: string | null, id: number): string {
  return `${parentPath ?? '/'}${id}/`;
}

export function depthOfPath(path: string): number {
  return path.split('/').length - 3;
}

/** True when `path` is `ancestorPath` itself or lies below it. */
export function isWithin(path: string, ancestorPath: string): boolean {
  return path.startsWith(ancestorPath);
}

/** Deepest level a workstream may sit at (0 is the top): paths stay short, trees readable. */
export const MAX_TREE_DEPTH = 30;

/** Rejects a tree deeper than MAX_TREE_DEPTH levels. */
export function assertDepth(deepest: number, field: readonly string[] = ['parentId']): void {
  if (deepest >= MAX_TREE_DEPTH) {
    throw new DomainError('INVALID_INPUT', `工作流层级不能超过 ${MAX_TREE_DEPTH} 层`, field);
  }
}

/** Rejects moving a workstream under itself or one of its descendants. */
export function assertMoveKeepsTree(nodePath: string, newParentPath: string | null): void {
  if (newParentPath !== null && isWithin(newParentPath, nodePath)) {
    throw new DomainError('CYCLE', '不能把工作流移动到它自己或它的下级之下', ['parentId']);
  }
}

/**
 * Names are one line of visible text (see text-rules.ts), trimmed, at most 200 characters:
 * no control, bidi-control or lone-surrogate character, not blank once invisible characters go.
 */
export function assertName(name: string, field: readonly string[] = ['name']): string {
  const text =
    typeof name === 'string'
      ? checkText(name, { field, shape: 'line', max: 200, label: '名称' })
      : null;
  if (text === null) {
    throw new DomainError('INVALID_INPUT', '名称不能为空，且不超过 200 个字符', field);
  }
  return text;
}

/** Initiative keys are url-safe: lower-case letters, digits and dashes, 2–64 characters. */
export function assertInitiativeKey(key: string): string {
  if (!/^[a-z0-9][a-z0-9-]{1,63}$/.test(key)) {
    throw new DomainError('INVALID_INPUT', '项目标识只能包含小写字母、数字和连字符，长度 2–64', [
      'key',
    ]);
  }
  return key;
}

/**
 * Optional one-line text (phase, objective): the text rule of text-rules.ts, trimmed, at most
 * `max` characters; empty or invisible → null.
 */
export function cleanText(
  value: string | null | undefined,
  field: string | readonly string[],
  max = 2000,
): string | null {
  if (value === null || value === undefined) return null;
  return checkText(value, {
    field: typeof field === 'string' ? [field] : field,
    shape: 'line',
    max,
  });
}

/** An optional note (why a change was made): like cleanText, but it may keep line breaks. */
export function cleanNote(
  value: string | null | undefined,
  field: readonly string[] = ['note'],
  max = 2000,
): string | null {
  if (value === null || value === undefined) return null;
  return checkText(value, { field, shape: 'multiline', max });
}

/**
 * True for a real calendar day written YYYY-MM-DD. JavaScript's Date rolls 2023-02-30 over to
 * 2 March instead of refusing it, so the day must come back the same.
 */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const at = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(at) && new Date(at).toISOString().slice(0, 10) === value;
}

/** True for an ISO time whose day, when written YYYY-MM-DD first, is a real one. */
export function isIsoTime(value: string): boolean {
  const day = /^(\d{4}-\d{2}-\d{2})(?:$|T)/.exec(value);
  return (!day || isCalendarDate(day[1]!)) && !Number.isNaN(Date.parse(value));
}

/** ISO calendar date (YYYY-MM-DD) or INVALID_INPUT: the date a read asks for (any year). */
export function assertIsoDate(value: string, field: string): string {
  if (!isCalendarDate(value)) {
    throw new DomainError('INVALID_INPUT', `${field} 必须是 YYYY-MM-DD 格式的日期`, [field]);
  }
  return value;
}

/**
 * A date a write keeps (a target date, an update's week): a calendar date from 1900 on, as
 * effective times are. A read before 1900 is an empty tree; a plan of year 0 is a typing mistake.
 */
export function assertWrittenDate(value: string, field: string): string {
  assertIsoDate(value, field);
  if (value < EARLIEST_DATE)
    throw new DomainError('INVALID_INPUT', `${field} 不能早于 ${EARLIEST_DATE}，收到 ${value}`, [
      field,
    ]);
  return value;
}
const EARLIEST_DATE = new Date(EARLIEST_TIME_MS).toISOString().slice(0, 10);
