import type { StatusLabelOverrides } from '../../domain/item-status.js';
import type { StatusCreditInput, StatusLabelInput } from './initiative.input.js';

/** A policy as the services take it (status → rule); null and undefined pass through. */
export function policyOf(
  rules: readonly StatusCreditInput[] | null | undefined,
): Record<string, string> | null | undefined {
  return rules ? Object.fromEntries(rules.map((r) => [r.status, r.credit])) : rules;
}

/** Label overrides as the services take them (locale → status → label). */
export function labelsOf(
  labels: readonly StatusLabelInput[] | null | undefined,
): StatusLabelOverrides | null | undefined {
  return labels
    ? labels.reduce<Record<string, Record<string, string>>>((acc, l) => {
        (acc[l.locale] ??= {})[l.status] = l.label;
        return acc;
      }, {})
    : labels;
}
