import type { ForecastStatus } from './forecast.js';

export type HealthStatus = 'ON_TRACK' | 'AT_RISK' | 'OFF_TRACK' | 'DONE' | 'NO_TARGET' | 'UNKNOWN';
export const HEALTH_STATUSES: readonly HealthStatus[] = [
  'ON_TRACK',
  'AT_RISK',
  'OFF_TRACK',
  'DONE',
  'NO_TARGET',
  'UNKNOWN',
];
/** What a person may set by hand (setHealth): the judgements, not the facts. */
export const MANUAL_HEALTH_STATUSES: readonly HealthStatus[] = ['ON_TRACK', 'AT_RISK', 'OFF_TRACK'];

export type HealthSource = 'COMPUTED' | 'MANUAL';

export interface Health {
  readonly status: HealthStatus;
  readonly reason: string;
  readonly source: HealthSource;
}

/** A hand-set health, as the log holds it (until cleared). */
export interface ManualHealth {
  readonly status: HealthStatus;
  readonly reason: string;
  readonly actor: string;
  readonly at: number;
}

export interface HealthFacts {
  /** The node's own target date or its nearest ancestor's (the initiative's last), YYYY-MM-DD. */
  readonly targetDate: string | null;
  /** Today in the report's calendar, YYYY-MM-DD. */
  readonly today: string;
  /** The figure now is complete (credit = counted > 0). */
  readonly complete: boolean;
  readonly forecast: {
    readonly status: ForecastStatus;
    readonly p50: string | null;
    readonly p85: string | null;
    readonly explain: string;
  };
  readonly manual: ManualHealth | null;
}

/**
 * The health rule: a manual override wins until cleared; then done, no target, a target already
 * passed below 100% (off track), and the forecast against the target: P85 on or before it is on
 * track, P50 on or before it (P85 after) at risk, otherwise off track. A forecast that cannot
 * be made says UNKNOWN; one that never converges is off track. Dates compare as YYYY-MM-DD.
 */
export function healthOf(f: HealthFacts): Health {
  if (f.manual)
    return {
      status: f.manual.status,
      reason: `${f.manual.reason}（${f.manual.actor} 手动设置）`,
      source: 'MANUAL',
    };
  const computed = (status: HealthStatus, reason: string): Health => ({
    status,
    reason,
    source: 'COMPUTED',
  });
  if (f.complete || f.forecast.status === 'DONE') return computed('DONE', '已全部完成');
  if (f.targetDate === null) return computed('NO_TARGET', '本节点及上级都没有目标日期');
  const target = f.targetDate;
  if (f.today > target) return computed('OFF_TRACK', `目标日期 ${target} 已过，尚未完成`);
  switch (f.forecast.status) {
    case 'INSUFFICIENT_HISTORY':
      return computed('UNKNOWN', f.forecast.explain);
    case 'NOT_CONVERGING':
      return computed('OFF_TRACK', `目标 ${target}；${f.forecast.explain}`);
    case 'OK':
      break;
    default: {
      const never: never = f.forecast.status;
      throw new Error(`unknown forecast status ${String(never)}`);
    }
  }
  const { p50, p85 } = f.forecast;
  if (p85 !== null && p85 <= target)
    return computed('ON_TRACK', `预计 ${p85} 前完成的把握为 85%，不晚于目标 ${target}`);
  if (p50 !== null && p50 <= target)
    return computed(
      'AT_RISK',
      `预计完成日期 ${p50}（50%）不晚于目标 ${target}，但 85% 把握的日期 ${p85 ?? '超过五年'} 晚于目标`,
    );
  return computed('OFF_TRACK', `预计完成日期 ${p50 ?? '超过五年'}（50%）晚于目标 ${target}`);
}
