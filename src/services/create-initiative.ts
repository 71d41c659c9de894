import { effectiveTime } from '../domain/effective-time.js';
import { DomainError } from '../domain/errors.js';
import { isItemStatus, isLocale, type StatusLabelOverrides } from '../domain/item-status.js';
import { resolvePolicy } from '../domain/rollup-policy.js';
import { isBlank, textProblem } from '../domain/text-rules.js';
import {
  assertInitiativeKey,
  assertWrittenDate,
  assertName,
  cleanText,
} from '../domain/tree-rules.js';
import { InitiativeSchema } from '../db/entities/index.js';
import { releaseWritten } from '../db/release-written.js';
import { toInitiative, type InitiativeRecord } from '../db/records.js';
import { findInitiativeByKey } from '../db/queries/initiative.queries.js';
import { ambiguousLabel } from '../sheets/parse-cells.js';
import type { UseCase } from './write-pipeline/use-case.js';

export interface CreateInitiativeProps {
  readonly key: string;
  readonly name: string;
  readonly objective?: string | null;
  readonly phase?: string | null;
  readonly targetDate?: string | null;
  /** Overrides of the default policy: status → FULL | PERCENT | ZERO | EXCLUDED. */
  readonly rollupPolicy?: Readonly<Record<string, string>> | null;
  readonly statusLabels?: StatusLabelOverrides | null;
  readonly reportLowPercentBucket?: number | null;
  /** When it came into being (back-dating); absent: now. */
  readonly effectiveAt?: Date | null;
}

/** Status-label overrides (locale → status → label), checked; also used by updateInitiative. */
export function checkLabels(
  labels: StatusLabelOverrides | null | undefined,
): StatusLabelOverrides | null {
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
  const ambiguous = ambiguousLabel(labels);
  if (ambiguous)
    throw new DomainError(
      'INVALID_INPUT',
      `状态名称“${ambiguous.label}”会同时指 ${ambiguous.statuses.join(' 和 ')}：导出的表格再导入时无法区分`,
      ['statusLabels'],
    );
  return labels;
}

/** The low-percent report bucket: a whole number 1–100, or null; also used by updateInitiative. */
export function checkBucket(bucket: number | null): number | null {
  if (bucket !== null && (!Number.isInteger(bucket) || bucket < 1 || bucket > 100)) {
    throw new DomainError('INVALID_PERCENT', '低进度分组阈值必须是 1 到 100 之间的整数', [
      'reportLowPercentBucket',
    ]);
  }
  return bucket;
}

function columnsOf(props: CreateInitiativeProps) {
  const policy = props.rollupPolicy ? resolvePolicy(props.rollupPolicy) : null;
  const bucket = checkBucket(props.reportLowPercentBucket ?? null);
  return {
    key: assertInitiativeKey(props.key),
    name: assertName(props.name),
    objective: cleanText(props.objective, 'objective', 200),
    phase: cleanText(props.phase, 'phase', 200),
    targetDate: props.targetDate ? assertWrittenDate(props.targetDate, 'targetDate') : null,
    rollupPolicy: policy ? { ...policy } : null,
    statusLabels: checkLabels(props.statusLabels),
    reportLowPercentBucket: bucket,
  };
}

/**
 * Creates an empty initiative; its key must be new (two concurrent creates with one key: the
 * unique index decides, the pipeline retries the loser, who then hears DUPLICATE_KEY).
 */
export const createInitiative: UseCase<CreateInitiativeProps, InitiativeRecord> = {
  name: 'createInitiative',
  validate: (props) => void columnsOf(props),
  async run({ tem, now }, props) {
    const data = columnsOf(props);
    const effectiveAt = effectiveTime(props.effectiveAt, now, null, ['effectiveAt']);
    if (await findInitiativeByKey(tem, data.key)) {
      throw new DomainError('DUPLICATE_KEY', `项目标识已存在：${data.key}`, ['key']);
    }
    const entity = tem.create(InitiativeSchema, { ...data, effectiveFrom: effectiveAt });
    await tem.flush();
    const created = toInitiative({ ...entity });
    releaseWritten(tem, [entity]);
    return {
      result: created,
      events: [
        {
          type: 'InitiativeCreated',
          initiativeId: created.id,
          state: {
            key: created.key,
            name: created.name,
            rollupPolicy: created.rollupPolicy,
            statusLabels: created.statusLabels,
            objective: created.objective,
            phase: created.phase,
            targetDate: created.targetDate,
            reportLowPercentBucket: created.reportLowPercentBucket,
          },
          effectiveAt,
        },
      ],
    };
  },
};
