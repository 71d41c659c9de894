import { DEFAULT_TRIALS, MAX_TRIALS } from '../domain/forecast.js';

/** Monte-Carlo trials one point of cost buys, per node a forecast is asked of. */
export const TRIALS_PER_POINT = 10_000;

const FORECASTS = new Set(['Initiative.forecast', 'Workstream.forecast']);
/** Health judges a node by its default forecast (health-view.ts). */
const HEALTH = new Set(['Initiative.health', 'Workstream.health']);

/**
 * Points a field costs per node for the trials it simulates: a forecast's work grows with its
 * trials, so 10,000 trials (the default) are one point per node, 100,000 ten. A trials value
 * the field refuses (over the maximum, below 1, not a number) is charged as the largest one
 * allowed: the field itself answers it with BAD_USER_INPUT, before simulating anything.
 */
export function trialPoints(coordinate: string, args: Record<string, unknown>): number {
  if (HEALTH.has(coordinate)) return Math.ceil(DEFAULT_TRIALS / TRIALS_PER_POINT);
  if (!FORECASTS.has(coordinate)) return 0;
  const asked = args.trials;
  const trials =
    typeof asked === 'number' && Number.isInteger(asked) && asked >= 1 && asked <= MAX_TRIALS
      ? asked
      : typeof asked === 'number' && Number.isInteger(asked) && asked >= 1
        ? MAX_TRIALS
        : DEFAULT_TRIALS;
  return Math.ceil(trials / TRIALS_PER_POINT);
}
