import type { ForecastStatus } from './forecast.js';
import type { ForecastWhy } from './forecast-words.js';
import type { HealthWhy } from './health-words.js';

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
  /** Why, in facts; `healthReason` words it in the locale asked. */
  readonly why: HealthWhy;
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
    /** The last date the forecast sees (MAX_FORECAST_WEEKS on): p50/p85 null lie beyond it. */
    readonly horizon: string;
    readonly why: ForecastWhy;
  };
  readonly manual: ManualHealth | null;
}

/**
 * The health rule: a manual override wins until cleared; then done, no target, a target already
 * passed below 100% (off track), and the forecast against the target: P85 on or before it is on
 * track, P50 on or before it (P85 after) at risk, otherwise off track. A forecast that cannot
 * be made says UNKNOWN, and so does a P50 beyond the forecast's horizon against a target beyond
 * it too (it may be either side); one that never converges is off track. Dates compare as YYYY-MM-DD.
 */
export function healthOf(f: HealthFacts): Health {
  const said = (
    status: HealthStatus,
    why: HealthWhy,
    source: HealthSource = 'COMPUTED',
  ): Health => ({ status, why, source });
  if (f.manual)
    return said(
      f.manual.status,
      { kind: 'MANUAL', reason: f.manual.reason, actor: f.manual.actor },
      'MANUAL',
    );
  if (f.complete || f.forecast.status === 'DONE') return said('DONE', { kind: 'DONE' });
  if (f.targetDate === null) return said('NO_TARGET', { kind: 'NO_TARGET' });
  const target = f.targetDate;
  if (f.today > target) return said('OFF_TRACK', { kind: 'PAST_TARGET', target });
  switch (f.forecast.status) {
    case 'INSUFFICIENT_HISTORY':
      return said('UNKNOWN', { kind: 'NO_FORECAST', forecast: f.forecast.why });
    case 'NOT_CONVERGING':
      return said('OFF_TRACK', { kind: 'NOT_CONVERGING', target, forecast: f.forecast.why });
    case 'OK':
      break;
    default: {
      const never: never = f.forecast.status;
      throw new Error(`unknown forecast status ${String(never)}`);
    }
  }
  const { p50, p85 } = f.forecast;
  if (p85 !== null && p85 <= target) return said('ON_TRACK', { kind: 'ON_TRACK', target, p85 });
  if (p50 !== null && p50 <= target) return said('AT_RISK', { kind: 'AT_RISK', target, p50, p85 });
  // Beyond the horizon is later than a target before it, and unknown against one after it.
  if (p50 === null && target > f.forecast.horizon)
    return said('UNKNOWN', { kind: 'BEYOND_HORIZON', target, horizon: f.forecast.horizon });
  return said('OFF_TRACK', { kind: 'LATE', target, p50 });
}
