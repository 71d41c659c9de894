import { MAX_DECIMALS, parseDecimal, formatDecimal } from '../domain/decimal.js';
import { effectiveTime } from '../domain/effective-time.js';
import { DomainError, notFound } from '../domain/errors.js';
import {
  assertBurnDown,
  MAX_METRICS,
  METRIC_DIRECTIONS,
  TARGET_COMPARISONS,
  type MetricDirection,
  type TargetComparison,
} from '../domain/metric-rules.js';
import { checkText } from '../domain/text-rules.js';
import { assertName, cleanNote } from '../domain/tree-rules.js';
import {
  findMetric,
  findMetrics,
  insertMetric,
  type MetricRow,
} from '../db/queries/report-model.queries.js';
import { insertReading, type ReadingRow } from '../db/queries/report-records.queries.js';
import { initiativeInScope, workstreamOfInitiative } from './report-model-lookup.js';
import type { UseCase } from './write-pipeline/use-case.js';

export interface DefineMetricProps {
  readonly initiativeId: number;
  readonly workstreamId?: number | null;
  readonly name: string;
  readonly unit?: string | null;
  /** Decimal places a reading may have (0–6). */
  readonly decimals: number;
  readonly direction: MetricDirection;
  /** A decimal string, or absent for no target. */
  readonly target?: string | null;
  readonly comparison?: TargetComparison | null;
  /** A count that burns down to zero (target 0, direction DOWN). */
  readonly burnDown?: boolean | null;
  /** Metrics of one group share a report line (事故数: AB级, CD级). */
  readonly group?: string | null;
  /** A heading the report prints it under (成功率, 可用性). */
  readonly category?: string | null;
  readonly effectiveAt?: Date | null;
}

const optionalLine = (v: string | null | undefined, field: string, max: number) =>
  v === null || v === undefined ? null : checkText(v, { field: [field], shape: 'line', max });

function columnsOf(
  props: DefineMetricProps,
): Omit<MetricRow, 'id' | 'position' | 'initiativeId' | 'workstreamId'> {
  if (!Number.isInteger(props.decimals) || props.decimals < 0 || props.decimals > MAX_DECIMALS)
    throw new DomainError('INVALID_INPUT', `小数位数必须是 0 到 ${MAX_DECIMALS} 之间的整数`, [
      'decimals',
    ]);
  if (!METRIC_DIRECTIONS.includes(props.direction))
    throw new DomainError('INVALID_INPUT', '方向必须是 UP 或 DOWN', ['direction']);
  if (props.comparison && !TARGET_COMPARISONS.includes(props.comparison))
    throw new DomainError('INVALID_INPUT', '比较方式无效', ['comparison']);
  const burnDown = props.burnDown ?? false;
  let target =
    props.target === null || props.target === undefined
      ? null
      : parseDecimal(props.target, props.decimals, ['target']);
  if (burnDown) {
    assertBurnDown({ direction: props.direction, target, comparison: null }, ['burnDown']);
    target = { units: 0n, scale: 0 };
  }
  return {
    name: assertName(props.name, ['name']),
    unit: optionalLine(props.unit, 'unit', 20) ?? '',
    decimals: props.decimals,
    direction: props.direction,
    target: target === null ? null : formatDecimal(target),
    comparison: burnDown ? 'AT_MOST' : (props.comparison ?? null),
    burnDown,
    groupName: optionalLine(props.group, 'group', 200),
    category: optionalLine(props.category, 'category', 200),
  };
}

/** Adds a metric to an initiative or one of its workstreams. */
export const defineMetric: UseCase<DefineMetricProps, MetricRow> = {
  name: 'defineMetric',
  validate: (props) => void columnsOf(props),
  async run({ tem, now, inScope }, props) {
    const initiative = await initiativeInScope(tem, props.initiativeId, inScope);
    const wsId = props.workstreamId ?? null;
    if (wsId !== null) await workstreamOfInitiative(tem, initiative.id, wsId, ['workstreamId']);
    if ((await findMetrics(tem, [initiative.id])).length >= MAX_METRICS)
      throw new DomainError('TOO_MANY', `一个项目最多 ${MAX_METRICS} 个指标`, ['name']);
    const effectiveAt = effectiveTime(props.effectiveAt, now, initiative.effectiveFrom, [
      'effectiveAt',
    ]);
    const metric = await insertMetric(tem, {
      ...columnsOf(props),
      initiativeId: initiative.id,
      workstreamId: wsId,
    });
    return {
      result: metric,
      events: [
        {
          type: 'MetricDefined',
          initiativeId: initiative.id,
          metricId: metric.id,
          name: metric.name,
          effectiveAt,
        },
      ],
    };
  },
};

export interface RecordReadingProps {
  readonly metricId: number;
  /** A decimal string with at most the metric's decimal places: "99.81", "1409444.598". */
  readonly value: string;
  /** The report's "200+": at least this much. */
  readonly lowerBound?: boolean | null;
  /** YYYY-MM for a monthly figure (the cost of April). */
  readonly period?: string | null;
  readonly note?: string | null;
  readonly effectiveAt?: Date | null;
}

function assertPeriod(period: string | null | undefined): string | null {
  if (period === null || period === undefined) return null;
  const ok = /^\d{4}-(0[1-9]|1[0-2])$/.test(period);
  if (!ok) throw new DomainError('INVALID_INPUT', `期间必须是 YYYY-MM，收到 ${period}`, ['period']);
  return period;
}

/** Records a dated reading of a metric, exactly as written (never through a float). */
export const recordMetricReading: UseCase<RecordReadingProps, ReadingRow> = {
  name: 'recordMetricReading',
  validate: (props) => {
    parseDecimal(props.value, MAX_DECIMALS, ['value']);
    assertPeriod(props.period);
    cleanNote(props.note, ['note']);
  },
  async run({ tem, now, actor, inScope }, props) {
    const metric = await findMetric(tem, props.metricId);
    if (!metric || !inScope(metric.initiativeId)) throw notFound('指标', ['metricId']);
    const value = parseDecimal(props.value, metric.decimals, ['value']);
    if (metric.burnDown && value.units < 0n)
      throw new DomainError('INVALID_INPUT', '燃尽计数不能为负数', ['value']);
    const initiative = await initiativeInScope(tem, metric.initiativeId, inScope);
    const effectiveAt = effectiveTime(props.effectiveAt, now, initiative.effectiveFrom, [
      'effectiveAt',
    ]);
    const reading = await insertReading(tem, {
      metricId: metric.id,
      initiativeId: metric.initiativeId,
      value: formatDecimal(value),
      lowerBound: props.lowerBound ?? false,
      period: assertPeriod(props.period),
      note: cleanNote(props.note, ['note']),
      actor,
      effectiveAt,
      recordedAt: now,
    });
    return {
      result: reading,
      events: [
        {
          type: 'MetricReadingRecorded',
          initiativeId: metric.initiativeId,
          metricId: metric.id,
          value: reading.value,
          lowerBound: reading.lowerBound,
          period: reading.period,
          effectiveAt,
        },
      ],
    };
  },
};
