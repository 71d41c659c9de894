import type { Locale } from './item-status.js';
import { assertNever } from './item-status.js';
import { UNITS_PER_ITEM } from './units.js';

/** The rates a forecast was made from, in micro-items a week. */
interface Rates {
  readonly weeks: number;
  readonly throughput: number;
  readonly growth: number;
  readonly remaining: number;
}

/** Why a forecast says what it says, in numbers; `explainForecast` words it per locale. */
export type ForecastWhy =
  | { readonly kind: 'DONE' }
  | { readonly kind: 'NOTHING_COUNTED' }
  | { readonly kind: 'SHORT_HISTORY'; readonly weeks: number; readonly min: number }
  | ({ readonly kind: 'NOT_CONVERGING' } & Rates)
  | ({
      readonly kind: 'SIMULATED';
      readonly trials: number;
      readonly seed: number;
      /** Some trials were still not done at the horizon (weeks). */
      readonly beyond: number | null;
    } & Rates);

const items = (units: number) => (units / UNITS_PER_ITEM).toFixed(2).replace(/\.?0+$/, '');
const itemsEn = (units: number) => `${items(units)} ${items(units) === '1' ? 'item' : 'items'}`;
const weeksEn = (n: number) => `${n} ${n === 1 ? 'week' : 'weeks'}`;

function ratesText(r: Rates, locale: Locale): string {
  return locale === 'en'
    ? `over the last ${weeksEn(r.weeks)}, ${itemsEn(r.throughput)} done and a net scope change of ${itemsEn(r.growth)} a week on average, ${itemsEn(r.remaining)} left`
    : `近 ${r.weeks} 周平均每周完成 ${items(r.throughput)} 个、范围净增 ${items(r.growth)} 个，剩余 ${items(r.remaining)} 个`;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A forecast's reason in the report's words: Chinese first (the API's default), English too. */
export function explainForecast(why: ForecastWhy, locale: Locale): string {
  const en = locale === 'en';
  switch (why.kind) {
    case 'DONE':
      return en ? 'All done' : '已全部完成';
    case 'NOTHING_COUNTED':
      return en
        ? 'Nothing counts towards the figure yet: no forecast'
        : '没有计入进度的事项，无法预测';
    case 'SHORT_HISTORY':
      return en
        ? `Only ${weeksEn(why.weeks)} of history; at least ${why.min} are needed to forecast`
        : `历史只有 ${why.weeks} 周，至少需要 ${why.min} 周才能预测`;
    case 'NOT_CONVERGING':
      // Nothing done and nothing added is a standstill, not scope outgrowing the work.
      if (why.throughput <= 0 && why.growth <= 0)
        return en
          ? `${capital(ratesText(why, locale))}: no work got done, so at this pace it will not finish`
          : `${ratesText(why, locale)}：这段时间没有任何进展，按此速度不会完成`;
      return en
        ? `${capital(ratesText(why, locale))}: scope grows at least as fast as work gets done, so at this pace it will not finish`
        : `${ratesText(why, locale)}：范围增长不慢于完成速度，按此速度不会完成`;
    case 'SIMULATED': {
      if (en) {
        const beyond =
          why.beyond === null
            ? ''
            : `; at least 5% of the runs were still not done after ${why.beyond} weeks`;
        return `${capital(ratesText(why, locale))}; simulated ${why.trials} times by drawing past weeks' work done and scope change at random (seed ${why.seed})${beyond}`;
      }
      // Set when the 95th percentile lies past the horizon: at least 5% of the runs did.
      const beyond = why.beyond === null ? '' : `；至少 5% 的模拟超过 ${why.beyond} 周仍未完成`;
      return `${ratesText(why, locale)}；按过去每周的完成与范围变化随机抽样模拟 ${why.trials} 次（种子 ${why.seed}）${beyond}`;
    }
    default:
      return assertNever(why);
  }
}
