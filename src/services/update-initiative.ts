import type { ChangeEvent } from '../domain/change-events.js';
import { effectiveTime } from '../domain/effective-time.js';
import { notFound } from '../domain/errors.js';
import type { StatusLabelOverrides } from '../domain/item-status.js';
import { resolvePolicy } from '../domain/rollup-policy.js';
import { assertWrittenDate, assertName, cleanText } from '../domain/tree-rules.js';
import type { InitiativeRecord } from '../db/records.js';
import { findInitiativesByIds } from '../db/queries/initiative.queries.js';
import {
  updateInitiativeColumns,
  type InitiativeColumnsUpdate,
} from '../db/queries/initiative-writes.queries.js';
import { checkBucket, checkLabels } from './create-initiative.js';
import type { UseCase } from './write-pipeline/use-case.js';

/** Absent: unchanged. null clears (objective, phase, targetDate, bucket; policy and labels back to the defaults). */
export interface UpdateInitiativeProps {
  readonly initiativeId: number;
  readonly name?: string | null;
  readonly objective?: string | null;
  readonly phase?: string | null;
  readonly targetDate?: string | null;
  /** Overrides of the default policy: status → FULL | PERCENT | ZERO | EXCLUDED. */
  readonly rollupPolicy?: Readonly<Record<string, string>> | null;
  readonly statusLabels?: StatusLabelOverrides | null;
  readonly reportLowPercentBucket?: number | null;
  /** When it happened (back-dating); absent: now. */
  readonly effectiveAt?: Date | null;
}

function columnsOf(props: UpdateInitiativeProps): InitiativeColumnsUpdate {
  const cols: InitiativeColumnsUpdate = {};
  if (props.name !== undefined && props.name !== null) cols.name = assertName(props.name);
  if (props.objective !== undefined) cols.objective = cleanText(props.objective, 'objective', 200);
  if (props.phase !== undefined) cols.phase = cleanText(props.phase, 'phase', 200);
  if (props.targetDate !== undefined)
    cols.targetDate = props.targetDate ? assertWrittenDate(props.targetDate, 'targetDate') : null;
  if (props.rollupPolicy !== undefined)
    cols.rollupPolicy = props.rollupPolicy ? { ...resolvePolicy(props.rollupPolicy) } : null;
  if (props.statusLabels !== undefined) {
    const labels = checkLabels(props.statusLabels);
    cols.statusLabels = labels && Object.keys(labels).length > 0 ? labels : null;
  }
  if (props.reportLowPercentBucket !== undefined)
    cols.reportLowPercentBucket = checkBucket(props.reportLowPercentBucket);
  return cols;
}

const EVENT_OF = {
  name: 'InitiativeRenamed',
  objective: 'InitiativeObjectiveSet',
  phase: 'InitiativePhaseSet',
  targetDate: 'InitiativeTargetDateSet',
  rollupPolicy: 'InitiativePolicyChanged',
  statusLabels: 'InitiativeLabelsChanged',
  reportLowPercentBucket: 'InitiativeLowPercentBucketSet',
} as const satisfies Record<keyof InitiativeColumnsUpdate, ChangeEvent['type']>;

/** JSON with sorted keys: PostgreSQL's jsonb gives keys back in its own order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/** One event per attribute that really changes, each with its value before and after. */
function changeEvents(
  current: InitiativeRecord,
  cols: InitiativeColumnsUpdate,
  effectiveAt: Date,
): ChangeEvent[] {
  const events: ChangeEvent[] = [];
  for (const key of Object.keys(EVENT_OF) as (keyof InitiativeColumnsUpdate)[]) {
    if (cols[key] === undefined || canonical(cols[key]) === canonical(current[key])) continue;
    events.push({
      type: EVENT_OF[key],
      initiativeId: current.id,
      from: current[key],
      to: cols[key],
      effectiveAt,
    } as ChangeEvent);
  }
  return events;
}

/**
 * Changes an initiative's own fields. A new policy or new labels re-figure the whole tree at
 * once (they are read when the tree is folded); every change is logged with before and after.
 */
export const updateInitiative: UseCase<UpdateInitiativeProps, InitiativeRecord> = {
  name: 'updateInitiative',
  validate: (props) => void columnsOf(props),
  // A policy change must not interleave with a structural change's checks and counters.
  lockTarget: async (_tem, props) => props.initiativeId,
  async run({ tem, now, inScope }, props) {
    const cols = columnsOf(props);
    const [current] = await findInitiativesByIds(tem, [props.initiativeId]);
    if (!current || !inScope(current.id)) throw notFound('项目', ['initiativeId']);
    const effectiveAt = effectiveTime(props.effectiveAt, now, current.effectiveFrom, [
      'effectiveAt',
    ]);
    const events = changeEvents(current, cols, effectiveAt);
    if (events.length === 0) return { result: current, events };
    await updateInitiativeColumns(tem, current.id, cols, now);
    const [updated] = await findInitiativesByIds(tem, [current.id]);
    return { result: updated!, events };
  },
};
