import type { ItemStatus } from './item-status.js';
import { assertNever } from './item-status.js';
import { assertItemPercent } from './units.js';

/**
 * The percent an item keeps after a status change. A given percent wins (validated); otherwise
 * DONE means 100, NOT_STARTED means 0, and every other status keeps what the item had reached
 * (a paused item keeps its percent).
 */
export function nextPercent(
  status: ItemStatus,
  current: number,
  given: number | null | undefined,
  field: readonly string[] = ['percent'],
): number {
  if (given !== null && given !== undefined) return assertItemPercent(given, field);
  switch (status) {
    case 'DONE':
      return 100;
    case 'NOT_STARTED':
      return 0;
    case 'IN_PROGRESS':
    case 'PAUSED':
    case 'DECOMMISSIONABLE':
    case 'CANCELLED':
      return current;
    default:
      return assertNever(status);
  }
}
