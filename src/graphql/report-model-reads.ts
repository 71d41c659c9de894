import DataLoader from 'dataloader';
import type { NamedFigures } from '../domain/named-figures.js';
import type { LogEntry, ReadTime } from '../domain/replay-items.js';
import { reportModelAsOf } from '../domain/replay-report-model.js';
import { findReportModelEntries } from '../db/queries/as-of.queries.js';
import { unitsToItems } from '../domain/units.js';
import {
  findMetrics,
  findWorkflows,
  type MetricRow,
  type WorkflowRow,
} from '../db/queries/report-model.queries.js';
import {
  findMilestones,
  findNamedFigures,
  findReadings,
  type MilestoneRow,
  type NamedFigureRow,
  type ReadingRow,
  type UpdateRow,
} from '../db/queries/report-records.queries.js';
import {
  findStagesOfItems,
  findStagesOfItemsAt,
  findUpdatesOfInitiatives,
  type StageOfItem,
} from '../db/queries/report-reads.queries.js';
import type { InitiativeTree } from '../services/load-initiative-tree.js';
import { namedFiguresOf } from '../services/named-figure-values.js';
import type { Context } from './context.type.js';
import { keptBeside } from './loaders.js';
import type { NamedFigureType } from './types/report-model.type.js';

/*
 * Per-request reads of the report model (stages, metrics, milestones, named figures, written
 * updates) for the GraphQL read fields: one batch of queries per request for every initiative
 * asked, kept beside the request's loaders so nothing outlives the request.
 */

export interface ReportModel {
  readonly workflows: readonly WorkflowRow[];
  readonly metrics: readonly MetricRow[];
  /** Every reading of those metrics, in effective order. */
  readonly readings: readonly ReadingRow[];
  readonly milestones: readonly MilestoneRow[];
  readonly figures: readonly NamedFigureRow[];
}

interface Kept {
  readonly model: DataLoader<number, ReportModel>;
  /** Each initiative's report model rows in the log, for reads at a time. */
  readonly modelLog: DataLoader<number, LogEntry[]>;
  readonly updates: DataLoader<number, UpdateRow[]>;
  readonly stages: Map<string, DataLoader<number, StageOfItem | null>>;
  readonly figures: WeakMap<InitiativeTree, NamedFigures<number>>;
}

const KEPT = Symbol('report-model reads');

function keptOf(ctx: Context): Kept {
  return keptBeside(ctx.loaders, KEPT, (): Kept => {
    const em = ctx.em;
    const of = <R extends { initiativeId: number | null }>(rows: readonly R[], id: number) =>
      rows.filter((r) => r.initiativeId === id);
    return {
      model: new DataLoader(async (ids) => {
        const [workflows, metrics, milestones, figures] = [
          await findWorkflows(em, ids),
          await findMetrics(em, ids),
          await findMilestones(em, ids),
          await findNamedFigures(em, ids),
        ];
        const readings = metrics.length
          ? await findReadings(
              em,
              metrics.map((m) => m.id),
            )
          : [];
        return ids.map((id) => ({
          workflows: of(workflows, id),
          metrics: of(metrics, id),
          readings: of(readings, id),
          milestones: of(milestones, id),
          figures: of(figures, id),
        }));
      }),
      // The rows of every initiative asked, for each: a replay reads only its own milestones'.
      modelLog: new DataLoader(async (ids) => {
        const rows = await findReportModelEntries(em, ids);
        return ids.map(() => rows);
      }),
      updates: new DataLoader(async (ids) => {
        const rows = await findUpdatesOfInitiatives(em, ids);
        return ids.map((id) => of(rows, id));
      }),
      stages: new Map(),
      figures: new WeakMap(),
    };
  });
}

/** The report model of an initiative, read once per request (batched across initiatives). */
export function reportModelOf(ctx: Context, initiativeId: number): Promise<ReportModel> {
  return keptOf(ctx).model.load(initiativeId);
}

/**
 * An initiative's report model at a read time (live: as it is): its milestones as they stood,
 * without the metrics defined later.
 */
export async function reportModelAt(
  ctx: Context,
  initiativeId: number,
  t: ReadTime | null | undefined,
): Promise<ReportModel> {
  const model = await reportModelOf(ctx, initiativeId);
  if (!t) return model;
  return reportModelAsOf(model, await keptOf(ctx).modelLog.load(initiativeId), t);
}

/** An initiative's written updates, in posting order. */
export function updatesOf(ctx: Context, initiativeId: number): Promise<UpdateRow[]> {
  return keptOf(ctx).updates.load(initiativeId);
}

/** An item's stage, live or at a read time; batched over the items a request shows. */
export function stageOfItem(
  ctx: Context,
  itemId: number,
  t: ReadTime | null,
): Promise<StageOfItem | null> {
  const k = keptOf(ctx);
  const key = t ? `${t.asOf}@${t.knownAt}` : 'live';
  let loader = k.stages.get(key);
  if (!loader) {
    loader = new DataLoader(async (ids) => {
      const rows = t
        ? await findStagesOfItemsAt(ctx.em, ids, t)
        : await findStagesOfItems(ctx.em, ids);
      const byId = new Map(rows.map((r) => [r.itemId, r]));
      return ids.map((id) => byId.get(id) ?? null);
    });
    k.stages.set(key, loader);
  }
  return loader.load(itemId);
}

/**
 * The named figures of every node of a tree, evaluated once per request and tree (one fold per
 * figure over the whole tree, never a walk per node).
 */
export async function namedFiguresOfTree(
  ctx: Context,
  tree: InitiativeTree,
): Promise<NamedFigures<number>> {
  const k = keptOf(ctx);
  const hit = k.figures.get(tree);
  if (hit) return hit;
  const { figures } = await reportModelOf(ctx, tree.initiative.id);
  const values = namedFiguresOf(tree, figures);
  k.figures.set(tree, values);
  return values;
}

/** A named figure as served: credit and counted in item-equivalents. */
export function figureView(v: NamedFigures<number>['root'][number]): NamedFigureType {
  return {
    name: v.name,
    percent: v.percent,
    credit: unitsToItems(v.credit),
    counted: unitsToItems(v.counted),
    explain: v.explain,
  };
}

/** The read time's moment (ms): live reads now. */
export const untilOf = (t: ReadTime | null | undefined): number => t?.asOf ?? Date.now();

/** Readings a read time can see: effective by asOf and recorded by knownAt. */
export function visibleReadings(
  readings: readonly ReadingRow[],
  metricId: number,
  t: ReadTime | null | undefined,
): ReadingRow[] {
  const asOf = t?.asOf ?? Infinity;
  const knownAt = t?.knownAt ?? Infinity;
  return readings.filter(
    (r) =>
      r.metricId === metricId &&
      r.effectiveAt.getTime() <= asOf &&
      r.recordedAt.getTime() <= knownAt,
  );
}
