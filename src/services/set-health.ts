import type { ChangeEvent } from '../domain/change-events.js';
import { DomainError } from '../domain/errors.js';
import { MANUAL_HEALTH_STATUSES, type HealthStatus } from '../domain/health.js';
import { cleanText } from '../domain/tree-rules.js';
import { findInitiativesByIds } from '../db/queries/initiative.queries.js';
import { findWorkstream } from '../db/queries/workstream.queries.js';
import type { Em } from '../db/em.js';
import type { UseCase, WriteStep } from './write-pipeline/use-case.js';

/** A node's health set by hand: an initiative (`workstreamId` null) or one of its workstreams. */
export interface SetHealthProps {
  readonly initiativeId: number | null;
  readonly workstreamId: number | null;
  /** null clears the override (the computed health shows again). */
  readonly status: HealthStatus | null;
  /** Why: required when setting, logged with the actor. */
  readonly reason: string | null;
}

export const MAX_HEALTH_REASON = 500;

function checkProps(props: SetHealthProps): { status: HealthStatus; reason: string } | null {
  if (props.status === null) return null;
  if (!MANUAL_HEALTH_STATUSES.includes(props.status))
    throw new DomainError(
      'INVALID_INPUT',
      `只能手动设置 ${MANUAL_HEALTH_STATUSES.join('、')}，收到 ${props.status}`,
      ['status'],
    );
  const reason = cleanText(props.reason, 'reason', MAX_HEALTH_REASON);
  if (!reason) throw new DomainError('INVALID_INPUT', '手动设置健康状态必须说明原因', ['reason']);
  return { status: props.status, reason };
}

/** The initiative the target belongs to, or NOT_FOUND (also outside the caller's scope). */
async function targetOf(step: WriteStep, props: SetHealthProps): Promise<number> {
  const missing = () => new DomainError('NOT_FOUND', '节点不存在', ['id']);
  if (props.workstreamId !== null) {
    const ws = await findWorkstream(step.tem, props.workstreamId);
    if (!ws || !step.inScope(ws.initiativeId)) throw missing();
    return ws.initiativeId;
  }
  const [initiative] = await findInitiativesByIds(step.tem as Em, [props.initiativeId ?? 0]);
  if (!initiative || !step.inScope(initiative.id)) throw missing();
  return initiative.id;
}

export const setHealth: UseCase<SetHealthProps, { initiativeId: number }> = {
  name: 'setHealth',
  validate: (props) => void checkProps(props),
  async run(step, props) {
    const initiativeId = await targetOf(step, props);
    const set = checkProps(props);
    const base = { initiativeId, effectiveAt: step.now };
    const where = props.workstreamId === null ? {} : { workstreamId: props.workstreamId };
    const event: ChangeEvent = set
      ? { ...base, ...where, type: 'HealthSet', status: set.status, reason: set.reason }
      : { ...base, ...where, type: 'HealthCleared' };
    return { result: { initiativeId }, events: [event] };
  },
};
