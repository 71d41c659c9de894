import { MAX_FORECAST_WEEKS } from '../domain/forecast.js';
import { healthOf, type Health, type HealthStatus, type ManualHealth } from '../domain/health.js';
import { reportDateOf } from '../domain/report-day.js';
import { findHealthEntries } from '../db/queries/series.queries.js';
import type { Context } from './context.type.js';
import { dateIn, endOf, forecastFor, knownAtOf, timeCache, type TimeTarget } from './time-views.js';

/*
 * A node's health at a time: on track, at risk or late, judged from its forecast against the
 * target date it answers to, unless someone set it by hand (health.ts has the rule).
 */

/** The hand-set health of every node of an initiative (key null: the initiative itself). */
function manualHealth(ctx: Context, t: TimeTarget): Promise<Map<number | null, ManualHealth>> {
  const cache = timeCache(ctx);
  let kept = cache.health.get(t.initiative.id);
  if (!kept) {
    kept = findHealthEntries(ctx.em, t.initiative.id, endOf(ctx, t), knownAtOf(ctx, t)).then(
      (rows) => {
        const out = new Map<number | null, ManualHealth>();
        for (const row of rows) {
          if (row.kind === 'HealthCleared') out.delete(row.workstreamId);
          else {
            const data = JSON.parse(row.data ?? '{}') as { status: HealthStatus; reason: string };
            out.set(row.workstreamId, { ...data, actor: row.actor, at: row.at });
          }
        }
        return out;
      },
    );
    cache.health.set(t.initiative.id, kept);
  }
  return kept;
}

/** The target date a node is judged against: its own, its nearest ancestor's, the initiative's. */
export function targetDateOf(t: TimeTarget): string | null {
  for (let node = t.node; node; node = t.tree.nodes.get(node.parentId ?? -1) ?? null)
    if (node.targetDate) return node.targetDate;
  return t.initiative.targetDate;
}

export async function healthFor(
  ctx: Context,
  t: TimeTarget,
): Promise<Health & { targetDate: string | null }> {
  const [{ f, end }, manual] = await Promise.all([
    forecastFor(ctx, t, 12, 10_000, 1),
    manualHealth(ctx, t),
  ]);
  const figure = t.node ? t.tree.rollup.figures.get(t.node.id)! : t.tree.rollup.root;
  const targetDate = targetDateOf(t);
  const health = healthOf({
    targetDate,
    today: reportDateOf(end),
    complete: figure.counted > 0 && figure.credit >= figure.counted,
    forecast: {
      status: f.status,
      p50: dateIn(timeCache(ctx), end, f.p50Weeks),
      p85: dateIn(timeCache(ctx), end, f.p85Weeks),
      horizon: dateIn(timeCache(ctx), end, MAX_FORECAST_WEEKS)!,
      why: f.why,
    },
    manual: manual.get(t.node?.id ?? null) ?? null,
  });
  return { ...health, targetDate };
}
