import type { SeedInitiative } from '../../seeds/seed.types.js';
import { DomainError } from '../domain/errors.js';
import { defineMetric, recordMetricReading } from './metrics.js';
import { setMilestone } from './milestones.js';
import { defineNamedFigures } from './named-figures.js';
import { postUpdate } from './post-update.js';
import { defineStages, setItemStage } from './set-item-stage.js';
import { runWrite } from './write-pipeline/run-write.js';
import type { WriteContext } from './write-pipeline/write-context.js';

/** What loadSeed made of one seed initiative, for the report model to hang on. */
export interface SeededShape {
  readonly initiativeId: number;
  /** Workstream ids by name (the first of a name wins). */
  readonly workstreams: ReadonlyMap<string, number>;
  /** Items with a stage in the seed: their id and seed entry. */
  readonly staged: readonly {
    readonly itemId: number;
    readonly stage: string;
    readonly note?: string;
    readonly since?: string;
  }[];
}

/** Stage workflows go in before items get a stage; done right after the initiative. */
export async function loadSeedStages(
  ctx: WriteContext,
  seed: SeedInitiative,
  initiativeId: number,
  effectiveAt: Date | null,
) {
  if (seed.stages)
    await runWrite(ctx, defineStages, { initiativeId, stages: seed.stages, effectiveAt });
}

/**
 * The seed's stages, named figures, metrics and readings, milestones and written updates, all
 * through the write pipeline as a user's writes would go.
 */
export async function loadSeedExtras(
  ctx: WriteContext,
  seed: SeedInitiative,
  shape: SeededShape,
  effectiveAt: Date | null,
): Promise<void> {
  const { initiativeId } = shape;
  const ws = (name: string | undefined) => {
    if (name === undefined) return null;
    const id = shape.workstreams.get(name);
    if (id === undefined) throw new DomainError('NOT_FOUND', `种子数据中没有工作流：${name}`);
    return id;
  };
  for (const s of shape.staged)
    await runWrite(ctx, setItemStage, {
      itemId: s.itemId,
      stage: s.stage,
      note: s.note,
      effectiveAt: s.since ? new Date(s.since) : effectiveAt,
    });
  if (seed.figures)
    await runWrite(ctx, defineNamedFigures, {
      initiativeId,
      figures: seed.figures.map((f) => ({
        name: f.name,
        scopeWorkstreamId: ws(f.scope),
        policy: f.policy,
      })),
      effectiveAt,
    });
  for (const m of seed.metrics ?? []) {
    const metric = await runWrite(ctx, defineMetric, {
      initiativeId,
      workstreamId: ws(m.workstream),
      name: m.name,
      unit: m.unit,
      decimals: m.decimals,
      direction: m.direction,
      target: m.target,
      burnDown: m.burnDown,
      group: m.group,
      category: m.category,
      effectiveAt,
    });
    for (const r of m.readings)
      await runWrite(ctx, recordMetricReading, { metricId: metric.id, ...r, effectiveAt });
  }
  for (const m of seed.milestones ?? [])
    await runWrite(ctx, setMilestone, {
      initiativeId,
      workstreamId: ws(m.workstream),
      name: m.name,
      due: m.due,
      duePrecision: m.duePrecision,
      note: m.note,
      effectiveAt,
    });
  for (const u of seed.updates ?? [])
    await runWrite(ctx, postUpdate, {
      initiativeId: u.objective ? null : initiativeId,
      objective: u.objective,
      section: u.section,
      week: u.week,
      body: u.body,
      effectiveAt,
    });
}
