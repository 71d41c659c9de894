import { MAX_FORECAST_WEEKS } from './forecast.js';
import { explainForecast, type ForecastWhy } from './forecast-words.js';
import type { Locale } from './item-status.js';
import { assertNever } from './item-status.js';

/** Why a health is what it is, in facts; `healthReason` words it per locale. */
export type HealthWhy =
  | { readonly kind: 'MANUAL'; readonly reason: string; readonly actor: string }
  | { readonly kind: 'DONE' }
  | { readonly kind: 'NO_TARGET' }
  | { readonly kind: 'PAST_TARGET'; readonly target: string }
  | { readonly kind: 'NO_FORECAST'; readonly forecast: ForecastWhy }
  | { readonly kind: 'NOT_CONVERGING'; readonly target: string; readonly forecast: ForecastWhy }
  | { readonly kind: 'ON_TRACK'; readonly target: string; readonly p85: string }
  | {
      readonly kind: 'AT_RISK';
      readonly target: string;
      readonly p50: string;
      readonly p85: string | null;
    }
  | { readonly kind: 'LATE'; readonly target: string; readonly p50: string | null }
  | { readonly kind: 'BEYOND_HORIZON'; readonly target: string; readonly horizon: string };

/** A health's reason: Chinese first (the API's default), English too. A person's own words stay. */
export function healthReason(why: HealthWhy, locale: Locale): string {
  const en = locale === 'en';
  // The forecast looks MAX_FORECAST_WEEKS ahead (260 weeks: just under five years).
  const beyond = en ? `more than ${MAX_FORECAST_WEEKS} weeks away` : `${MAX_FORECAST_WEEKS} 周以后`;
  switch (why.kind) {
    case 'MANUAL':
      return en
        ? `${why.reason} (set by hand by ${why.actor})`
        : `${why.reason}（${why.actor} 手动设置）`;
    case 'DONE':
      return en ? 'All done' : '已全部完成';
    case 'NO_TARGET':
      return en
        ? 'Neither this node nor any above it has a target date'
        : '本节点及上级都没有目标日期';
    case 'PAST_TARGET':
      return en
        ? `The target date ${why.target} has passed and it is not done`
        : `目标日期 ${why.target} 已过，尚未完成`;
    case 'NO_FORECAST':
      return explainForecast(why.forecast, locale);
    case 'NOT_CONVERGING':
      return en
        ? `Target ${why.target}: ${lowerFirst(explainForecast(why.forecast, locale))}`
        : `目标 ${why.target}；${explainForecast(why.forecast, locale)}`;
    case 'ON_TRACK':
      return en
        ? `85% likely done by ${why.p85}, no later than the target ${why.target}`
        : `预计 ${why.p85} 前完成的把握为 85%，不晚于目标 ${why.target}`;
    case 'AT_RISK':
      return en
        ? `Expected done by ${why.p50} (50%), no later than the target ${why.target}, but the 85% date ${why.p85 === null ? `is ${beyond}` : `${why.p85} is later`}`
        : `预计完成日期 ${why.p50}（50%）不晚于目标 ${why.target}，但 85% 把握的日期${why.p85 === null ? `在 ${beyond}` : ` ${why.p85} 晚于目标`}`;
    case 'LATE':
      return en
        ? `Expected done ${why.p50 === null ? beyond : `by ${why.p50}`} (50%), later than the target ${why.target}`
        : `预计完成日期 ${why.p50 ?? `在 ${beyond}`}（50%）晚于目标 ${why.target}`;
    case 'BEYOND_HORIZON':
      return en
        ? `Expected done ${beyond} (50%), past the forecast's horizon ${why.horizon}: it cannot say whether that is before or after the target ${why.target}`
        : `预计完成日期在 ${beyond}（50%），超出预测范围（${why.horizon}），无法判断是否晚于目标 ${why.target}`;
    default:
      return assertNever(why);
  }
}

/** A sentence continued after a colon: its first letter in lower case ("Over the last…"). */
const lowerFirst = (text: string): string => text.charAt(0).toLowerCase() + text.slice(1);
