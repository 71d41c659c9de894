import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { DomainError } from '../../domain/errors.js';
import type { MetricDirection, TargetComparison } from '../../domain/metric-rules.js';
import { defineMetric, recordMetricReading } from '../../services/metrics.js';
import { setMilestone } from '../../services/milestones.js';
import { defineNamedFigures } from '../../services/named-figures.js';
import { postUpdate, type UpdateSection } from '../../services/post-update.js';
import { defineStages, setItemStage } from '../../services/set-item-stage.js';
import { runWrite } from '../../services/write-pipeline/run-write.js';
import { writeScope } from '../access.js';
import type { Context } from '../context.type.js';
import { forbidden, withUserErrors } from '../errors.js';
import { policyOf } from '../inputs/initiative-settings.js';
import * as I from '../inputs/report-model.input.js';
import { ItemType } from '../types/item.type.js';
import { MetricType } from '../types/metric.type.js';
import { MilestoneType } from '../types/milestone.type.js';
import { ReportModelPayload } from '../types/report-model.type.js';
import { visibleReadings } from '../report-model-reads.js';
import { reportDateOf } from '../../domain/report-day.js';
import { findMetric } from '../../db/queries/report-model.queries.js';
import { findWorkstream } from '../../db/queries/workstream.queries.js';
import { findReadings } from '../../db/queries/report-records.queries.js';
import { writeContextOf } from '../write-context.js';
import { idOf } from './ids.js';

const opt = (id: string | null | undefined, type: 'Workstream' | 'Initiative', field: string[]) =>
  id === null || id === undefined ? null : idOf(id, type, field);

async function payload(
  work: () => Promise<Partial<ReportModelPayload>>,
): Promise<ReportModelPayload> {
  const { value, userErrors } = await withUserErrors(work);
  return { ...(value ?? {}), userErrors };
}

/** The name a written metric's or milestone's answer carries, as a read's does (it was null). */
async function workstreamName(ctx: Context, id: number | null): Promise<string | null> {
  return id === null ? null : ((await findWorkstream(ctx.em, id))?.name ?? null);
}

/** The report model's writes (editors of the initiative): stages, metrics, milestones, figures, updates. */
@Resolver()
export class ReportModelResolver {
  @Mutation(() => ReportModelPayload, {
    description: 'Sets the stage workflow of an initiative or a workstream.',
  })
  async defineStages(
    @Arg('input', () => I.DefineStagesInput) input: I.DefineStagesInput,
    @Ctx() ctx: Context,
  ) {
    const scope = writeScope(ctx);
    return payload(async () => {
      const r = await runWrite(writeContextOf(ctx, scope), defineStages, {
        initiativeId: idOf(input.initiativeId, 'Initiative', ['initiativeId']),
        workstreamId: opt(input.workstreamId, 'Workstream', ['workstreamId']),
        stages: input.stages.map((s) => ({ name: s.name, percent: s.percent })),
        effectiveAt: input.effectiveAt,
      });
      return { stages: r.stages };
    });
  }

  @Mutation(() => ReportModelPayload, {
    description: 'Moves an item to a stage; its credit follows the stage.',
  })
  async setItemStage(
    @Arg('input', () => I.SetItemStageInput) input: I.SetItemStageInput,
    @Ctx() ctx: Context,
  ) {
    const scope = writeScope(ctx);
    return payload(async () => {
      const [item] = await runWrite(writeContextOf(ctx, scope), setItemStage, {
        itemId: idOf(input.itemId, 'Item', ['itemId']),
        stage: input.stage,
        note: input.note,
        expectedVersion: input.expectedVersion,
        effectiveAt: input.effectiveAt,
      });
      return { item: new ItemType(item!) };
    });
  }

  @Mutation(() => ReportModelPayload, {
    description: 'Adds a metric (with unit, decimals, direction, optional target).',
  })
  async defineMetric(
    @Arg('input', () => I.DefineMetricInput) input: I.DefineMetricInput,
    @Ctx() ctx: Context,
  ) {
    const scope = writeScope(ctx);
    return payload(async () => {
      const m = await runWrite(writeContextOf(ctx, scope), defineMetric, {
        ...input,
        initiativeId: idOf(input.initiativeId, 'Initiative', ['initiativeId']),
        workstreamId: opt(input.workstreamId, 'Workstream', ['workstreamId']),
        direction: input.direction as MetricDirection,
        comparison: input.comparison as TargetComparison | null,
      });
      return {
        metric: new MetricType(m, [], Date.now(), await workstreamName(ctx, m.workstreamId)),
      };
    });
  }

  @Mutation(() => ReportModelPayload, {
    description: 'Records a dated reading of a metric (an exact decimal string).',
  })
  async recordMetricReading(
    @Arg('input', () => I.RecordMetricReadingInput) input: I.RecordMetricReadingInput,
    @Ctx() ctx: Context,
  ) {
    const scope = writeScope(ctx);
    return payload(async () => {
      const reading = await runWrite(writeContextOf(ctx, scope), recordMetricReading, {
        ...input,
      });
      // The metric as it reads now (latest, met), so a client's cached metric follows.
      const metric = await findMetric(ctx.em, reading.metricId);
      const now = Date.now();
      const readings = await findReadings(ctx.em, [reading.metricId]);
      return {
        reading,
        metric:
          metric &&
          new MetricType(
            metric,
            visibleReadings(readings, metric.id, null),
            now,
            await workstreamName(ctx, metric.workstreamId),
          ),
      };
    });
  }

  @Mutation(() => ReportModelPayload, {
    description: 'Creates a milestone, or moves / completes one.',
  })
  async setMilestone(
    @Arg('input', () => I.SetMilestoneInput) input: I.SetMilestoneInput,
    @Ctx() ctx: Context,
  ) {
    const scope = writeScope(ctx);
    return payload(async () => {
      const m = await runWrite(writeContextOf(ctx, scope), setMilestone, {
        ...input,
        initiativeId: opt(input.initiativeId, 'Initiative', ['initiativeId']),
        workstreamId: opt(input.workstreamId, 'Workstream', ['workstreamId']),
        duePrecision: input.duePrecision,
      });
      return {
        milestone: new MilestoneType(
          m,
          reportDateOf(Date.now()),
          await workstreamName(ctx, m.workstreamId),
        ),
      };
    });
  }

  @Mutation(() => ReportModelPayload, {
    description: 'Sets an initiative’s named figures (header order).',
  })
  async defineNamedFigures(
    @Arg('input', () => I.DefineNamedFiguresInput) input: I.DefineNamedFiguresInput,
    @Ctx() ctx: Context,
  ) {
    const scope = writeScope(ctx);
    return payload(async () => {
      const rows = await runWrite(writeContextOf(ctx, scope), defineNamedFigures, {
        initiativeId: idOf(input.initiativeId, 'Initiative', ['initiativeId']),
        figures: input.figures.map((f, i) => ({
          name: f.name,
          scopeWorkstreamId: opt(f.scopeWorkstreamId, 'Workstream', [
            'figures',
            String(i),
            'scopeWorkstreamId',
          ]),
          policy: policyOf(f.policy, ['figures', String(i), 'policy']),
        })),
        effectiveAt: input.effectiveAt,
      });
      return { figures: rows.map((r) => r.name) };
    });
  }

  @Mutation(() => ReportModelPayload, {
    description: 'Posts a written update for a week (author: the token).',
  })
  async postUpdate(
    @Arg('input', () => I.PostUpdateInput) input: I.PostUpdateInput,
    @Ctx() ctx: Context,
  ) {
    const scope = writeScope(ctx);
    const initiativeId = opt(input.initiativeId, 'Initiative', ['initiativeId']);
    // An objective's update belongs to no initiative: only an editor of every initiative.
    if (
      initiativeId === null &&
      !(ctx.principal.kind === 'token' && ctx.principal.initiativeId === null)
    )
      throw forbidden('没有项目的更新只能由全局 editor 发布');
    return payload(async () => {
      if (input.initiativeId !== null && input.initiativeId !== undefined && initiativeId === null)
        throw new DomainError('NOT_FOUND', '项目不存在', ['initiativeId']);
      const u = await runWrite(writeContextOf(ctx, scope), postUpdate, {
        ...input,
        initiativeId,
        section: input.section as UpdateSection,
      });
      return { update: u };
    });
  }
}
