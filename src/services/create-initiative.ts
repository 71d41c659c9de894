import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { DomainError } from '../domain/errors.js';
import { isItemStatus, isLocale, type StatusLabelOverrides } from '../domain/item-status.js';
import { resolvePolicy } from '../domain/rollup-policy.js';
import { isBlank, textProblem } from '../domain/text-rules.js';
import { assertInitiativeKey, assertIsoDate, assertName, cleanText } from '../domain/tree-rules.js';
import { InitiativeSchema } from '../db/entities/index.js';
import type { Em } from '../db/orm.js';
import { toInitiative, type InitiativeRecord } from '../db/records.js';
import { findInitiativeByKey } from '../db/queries/initiative.queries.js';
import { inTransaction } from './transaction.js';

export interface CreateInitiativeProps {
  readonly em: Em;
  readonly key: string;
  readonly name: string;
  readonly objective?: string | null;
  readonly phase?: string | null;
  readonly targetDate?: string | null;
  /** Overrides of the default policy: status → FULL | PERCENT | ZERO | EXCLUDED. */
  readonly rollupPolicy?: Readonly<Record<string, string>> | null;
  readonly statusLabels?: StatusLabelOverrides | null;
  readonly reportLowPercentBucket?: number | null;
}

function checkLabels(labels: StatusLabelOverrides | null | undefined): StatusLabelOverrides | null {
  if (!labels) return null;
  for (const [locale, byStatus] of Object.entries(labels)) {
    for (const [status, label] of Object.entries(byStatus ?? {})) {
      if (
        !isLocale(locale) ||
        !isItemStatus(status) ||
        typeof label !== 'string' ||
        isBlank(label) ||
        textProblem(label, 'line') !== null ||
        label.trim().length > 40
      ) {
        throw new DomainError('INVALID_INPUT', `无效的状态名称覆盖：${locale}/${status}`, [
          'statusLabels',
        ]);
      }
    }
  }
  return labels;
}

/** Creates an empty initiative; its key must be new. */
export async function createInitiative(props: CreateInitiativeProps): Promise<InitiativeRecord> {
  const key = assertInitiativeKey(props.key);
  const name = assertName(props.name);
  const policy = props.rollupPolicy ? resolvePolicy(props.rollupPolicy) : null;
  const bucket = props.reportLowPercentBucket ?? null;
  if (bucket !== null && (!Number.isInteger(bucket) || bucket < 1 || bucket > 100)) {
    throw new DomainError('INVALID_PERCENT', '低进度分组阈值必须是 1 到 100 之间的整数', [
      'reportLowPercentBucket',
    ]);
  }
  const data = {
    key,
    name,
    objective: cleanText(props.objective, 'objective', 200),
    phase: cleanText(props.phase, 'phase', 200),
    targetDate: props.targetDate ? assertIsoDate(props.targetDate, 'targetDate') : null,
    rollupPolicy: policy ? { ...policy } : null,
    statusLabels: checkLabels(props.statusLabels),
    reportLowPercentBucket: bucket,
  };
  try {
    return await inTransaction(props.em, async (tem) => {
      if (await findInitiativeByKey(tem, key)) {
        throw new DomainError('DUPLICATE_KEY', `项目标识已存在：${key}`, ['key']);
      }
      const entity = tem.create(InitiativeSchema, data);
      await tem.flush();
      return toInitiative({ ...entity });
    });
  } catch (err) {
    // Two concurrent creates with one key: the unique index decides, the loser hears why.
    if (err instanceof UniqueConstraintViolationException) {
      throw new DomainError('DUPLICATE_KEY', `项目标识已存在：${key}`, ['key']);
    }
    throw err;
  }
}
