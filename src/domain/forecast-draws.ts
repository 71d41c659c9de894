/**
 * The forecast's random stream: which past week each trial draws for each future week, a pure
 * function of (seed, trial, week), so every way of walking the trials draws the same weeks.
 */

export const MAX_FORECAST_WEEKS = 260;

export interface ForecastOptions {
  readonly trials: number;
  readonly seed: number;
}

/** A 32-bit hash of (seed, trial, week): the draw, independent of every other draw. */
function draw(seed: number, trial: number, week: number): number {
  let h = (seed ^ Math.imul(trial + 1, 0x9e3779b1) ^ Math.imul(week + 1, 0x85ebca77)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Which of the k past weeks trial t draws for its future week w: the random stream. */
export const pick = (seed: number, t: number, w: number, k: number) =>
  Math.floor((draw(seed, t, w) / 4_294_967_296) * k);
