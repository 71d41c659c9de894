import {
  forecastInSlices,
  type Forecast,
  type ForecastOptions,
  type WeeklyFigure,
} from '../domain/forecast.js';

/**
 * Forecasts kept between requests. A forecast is a pure function of a node's weekly figures
 * (credit and counted at each point, null where the node did not exist), the trials and the
 * seed: the horizon and the minimum history are constants, and the dates a forecast answers
 * are added afterwards from the request's clock. So the key is those inputs themselves, written
 * out in full (no revision or clock that could go stale): a write that moves any of a node's
 * weekly figures gives it a new key, and a node whose figures did not move finds its answer.
 * A tree of 1,000 nodes whose history is a year long simulates, on each request after the
 * first, only the nodes a write reached since.
 */

/**
 * Bytes of keys and answers kept, as estimated by `bytesOf`: a forecast of every node of a
 * 1,000-node tree at the defaults (13 weekly points a node) is about 0.8 MB (the bench's S12 tree).
 */
export const DEFAULT_MAX_BYTES = 32 * 2 ** 20;
/** Forecasts kept at most, however small each is. */
export const DEFAULT_MAX_ENTRIES = 100_000;

/** A number exactly: String gives the shortest text that reads back as the same double. */
const exact = (v: number) => (Object.is(v, -0) ? '-0' : String(v));

/** The whole input of a forecast, as text: equal texts, equal answers. */
export function forecastKey(points: readonly (WeeklyFigure | null)[], o: ForecastOptions): string {
  let key = `${o.trials}:${o.seed}`;
  for (const p of points) key += p ? `;${exact(p.credit)},${exact(p.counted)}` : ';-';
  return key;
}

/** An entry's memory, roughly: its key and explanation as two-byte strings, and the objects. */
/** A forecast's size, its key's chars and its fields (its words are made when asked). */
const bytesOf = (key: string) => 2 * key.length + 400;

/**
 * What answers a request's forecasts: a memo, or (in tests) the simulation itself. `before`
 * runs before each range of trials a simulation runs: a request's deadline check, which throws
 * past its time and answers a promise to wait for when the request should let others run, and
 * is asked again after the wait (undefined: go on at once, in the same microtask, so the range
 * runs inside the slice).
 */
export type BeforeRange = () => Promise<void> | undefined;

export interface Forecaster {
  forecast(
    points: readonly (WeeklyFigure | null)[],
    o: ForecastOptions,
    before?: BeforeRange,
  ): Forecast | Promise<Forecast>;
}

export class ForecastMemo implements Forecaster {
  /** Least recently used first (a Map keeps insertion order; a hit is moved to the end). */
  private readonly kept = new Map<string, { f: Forecast; bytes: number }>();
  private keptBytes = 0;
  hits = 0;
  misses = 0;

  constructor(
    private readonly maxBytes = DEFAULT_MAX_BYTES,
    private readonly maxEntries = DEFAULT_MAX_ENTRIES,
  ) {}

  get size(): number {
    return this.kept.size;
  }

  get bytes(): number {
    return this.keptBytes;
  }

  /** The forecast of these inputs: kept, or simulated now (`before` each range) and kept. */
  async forecast(
    points: readonly (WeeklyFigure | null)[],
    o: ForecastOptions,
    before?: BeforeRange,
  ): Promise<Forecast> {
    const key = forecastKey(points, o);
    const entry = this.kept.get(key);
    if (entry) {
      this.hits++;
      this.kept.delete(key);
      this.kept.set(key, entry);
      return entry.f;
    }
    this.misses++;
    const slices = forecastInSlices(points, o);
    let f: Forecast;
    for (;;) {
      for (let wait; (wait = before?.());) await wait;
      const step = slices.next();
      if (step.done) {
        f = step.value;
        break;
      }
    }
    const bytes = bytesOf(key);
    if (bytes > this.maxBytes) return f;
    // Another branch may have simulated the same inputs while this one waited its turns: the
    // same answer, kept once (counting its bytes twice would leave them counted for ever).
    const meanwhile = this.kept.get(key);
    if (meanwhile) return meanwhile.f;
    this.kept.set(key, { f, bytes });
    this.keptBytes += bytes;
    while (this.keptBytes > this.maxBytes || this.kept.size > this.maxEntries) {
      const [oldest, out] = this.kept.entries().next().value!;
      this.kept.delete(oldest);
      this.keptBytes -= out.bytes;
    }
    return f;
  }
}
