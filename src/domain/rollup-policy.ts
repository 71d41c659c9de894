import { ITEM_STATUSES, isItemStatus, type ItemStatus } from './item-status.js';
import { DomainError } from './errors.js';

/** What an item of a status earns: all of its weight, its percent of it, nothing, or no place at all. */
export const CREDIT_RULES = ['FULL', 'PERCENT', 'ZERO', 'EXCLUDED'] as const;
export type CreditRule = (typeof CREDIT_RULES)[number];

export type RollupPolicy = Readonly<Record<ItemStatus, CreditRule>>;

/** The rule the week-20 report uses: no work left counts in full, work under way by its percent. */
export const DEFAULT_POLICY: RollupPolicy = Object.freeze({
  NOT_STARTED: 'ZERO',
  IN_PROGRESS: 'PERCENT',
  PAUSED: 'PERCENT',
  DONE: 'FULL',
  DECOMMISSIONABLE: 'FULL',
  CANCELLED: 'FULL',
});

export function isCreditRule(value: unknown): value is CreditRule {
  return typeof value === 'string' && (CREDIT_RULES as readonly string[]).includes(value);
}

/** A full policy from the default and the overrides an initiative sets; rejects unknown names. */
export function resolvePolicy(overrides?: Readonly<Record<string, unknown>> | null): RollupPolicy {
  const policy: Record<ItemStatus, CreditRule> = { ...DEFAULT_POLICY };
  for (const [status, rule] of Object.entries(overrides ?? {})) {
    if (!isItemStatus(status) || !isCreditRule(rule)) {
      throw new DomainError('INVALID_INPUT', `无效的汇总规则：${status} → ${String(rule)}`, [
        'rollupPolicy',
      ]);
    }
    policy[status] = rule;
  }
  return Object.freeze(policy);
}

/** The statuses whose items are left out of numerator and denominator. */
export function excludedStatuses(policy: RollupPolicy): ItemStatus[] {
  return ITEM_STATUSES.filter((s) => policy[s] === 'EXCLUDED');
}

export function isDefaultPolicy(policy: RollupPolicy): boolean {
  return ITEM_STATUSES.every((s) => policy[s] === DEFAULT_POLICY[s]);
}
