import { DomainError } from '../domain/errors.js';
import {
  ITEM_STATUSES,
  LOCALES,
  statusLabel,
  type ItemStatus,
  type StatusLabelOverrides,
} from '../domain/item-status.js';

// NFKC first: full-width letters, digits and ％ (ＤＯＮＥ, ９５％) typed with a Chinese input
// method read as their ASCII selves.
const normal = (text: string) =>
  text
    .normalize('NFKC')
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');

/**
 * Every spelling of a status an import accepts: the enum name, the Chinese and English labels,
 * and the initiative's own labels (Hive's 取消迁移).
 */
/**
 * Words the team's own reports use for a status besides its label: the week-20 report writes
 * 推进中 for 处理中, and a done item is often 已完成. An initiative's own label wins over these.
 */
const REPORT_WORDS: readonly (readonly [string, ItemStatus])[] = [
  ['推进中', 'IN_PROGRESS'],
  ['进行中', 'IN_PROGRESS'],
  ['已完成', 'DONE'],
  ['未开始', 'NOT_STARTED'],
  ['已暂停', 'PAUSED'],
  ['已取消', 'CANCELLED'],
  ['completed', 'DONE'],
  ['complete', 'DONE'],
  ['canceled', 'CANCELLED'],
];

/** A status's own spellings: its enum name, and its labels in every locale, default and own. */
function ownSpellings(status: ItemStatus, overrides: StatusLabelOverrides | null): string[] {
  return [
    status,
    ...LOCALES.flatMap((locale) => [
      statusLabel(status, locale),
      statusLabel(status, locale, overrides),
    ]),
  ];
}

export function statusSpellings(overrides: StatusLabelOverrides | null): Map<string, ItemStatus> {
  const map = new Map<string, ItemStatus>(REPORT_WORDS.map(([w, s]) => [normal(w), s]));
  for (const status of ITEM_STATUSES)
    for (const spelling of ownSpellings(status, overrides)) map.set(normal(spelling), status);
  return map;
}

/**
 * A label that would name two statuses (another's label or name, in any locale, as an import
 * reads it), or null. Such labels are refused where they are set: an export writes each status
 * by its label, and the import would read both back as one of them.
 */
export function ambiguousLabel(
  overrides: StatusLabelOverrides | null,
): { label: string; statuses: readonly [ItemStatus, ItemStatus] } | null {
  const owner = new Map<string, ItemStatus>();
  for (const status of ITEM_STATUSES)
    for (const spelling of ownSpellings(status, overrides)) {
      const had = owner.get(normal(spelling));
      if (had !== undefined && had !== status) return { label: spelling, statuses: [had, status] };
      owner.set(normal(spelling), status);
    }
  return null;
}

export function parseStatus(text: string, spellings: Map<string, ItemStatus>): ItemStatus {
  const status = spellings.get(normal(text));
  if (!status)
    throw new DomainError(
      'INVALID_INPUT',
      `未知状态“${text}”（可用：${ITEM_STATUSES.map((s) => statusLabel(s)).join('、')}）`,
    );
  return status;
}

/** A whole number written as `86`, `86%` or `86.0`; the range is the domain's rule. */
export function parseWholeNumber(text: string, what: string): number {
  const match = /^\s*(-?\d+(?:\.0+)?)\s*%?\s*$/.exec(text.normalize('NFKC'));
  if (!match) throw new DomainError('INVALID_INPUT', `${what}必须是整数，收到“${text}”`);
  return Number.parseInt(match[1]!, 10);
}
