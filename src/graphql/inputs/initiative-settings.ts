import { DomainError } from '../../domain/errors.js';
import type { StatusLabelOverrides } from '../../domain/item-status.js';
import type { StatusCreditInput, StatusLabelInput } from './initiative.input.js';

/** The first key given twice, if any: a list that says two things of one key is refused, not read last-wins. */
function repeated(keys: readonly string[]): string | undefined {
  const seen = new Set<string>();
  return keys.find((k) => seen.size === seen.add(k).size);
}

/**
 * A policy as the services take it (status → rule); null and undefined pass through. A status
 * listed twice is INVALID_INPUT on `field`.
 */
export function policyOf(
  rules: readonly StatusCreditInput[] | null | undefined,
  field: readonly string[] = ['rollupPolicy'],
): Record<string, string> | null | undefined {
  if (!rules) return rules;
  const twice = repeated(rules.map((r) => r.status));
  if (twice !== undefined)
    throw new DomainError('INVALID_INPUT', `状态 ${twice} 在计分规则中出现了两次`, field);
  return Object.fromEntries(rules.map((r) => [r.status, r.credit]));
}

/** Label overrides as the services take them (locale → status → label); a pair given twice is INVALID_INPUT. */
export function labelsOf(
  labels: readonly StatusLabelInput[] | null | undefined,
  field: readonly string[] = ['statusLabels'],
): StatusLabelOverrides | null | undefined {
  const twice = labels && repeated(labels.map((l) => `${l.locale} ${l.status}`));
  if (twice) throw new DomainError('INVALID_INPUT', `状态名称 ${twice} 出现了两次`, field);
  return labels
    ? labels.reduce<Record<string, Record<string, string>>>((acc, l) => {
        (acc[l.locale] ??= {})[l.status] = l.label;
        return acc;
      }, {})
    : labels;
}
