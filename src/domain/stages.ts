import { DomainError } from './errors.js';
import type { ItemStatus } from './item-status.js';
import { checkText } from './text-rules.js';

/**
 * A stage workflow (启动 → 设计 → 开发 → 上线 → 投产): ordered stages, each with the whole-number
 * percent of an item's weight it earns. Whole percents keep the counters exact integers: a
 * staged item counts exactly like an item of that status and percent (see units.ts), so the
 * rollup, the counters and a replay of the log need nothing new.
 */
export interface Stage {
  readonly name: string;
  /** Whole number 0–100; the last stage earns 100 (the work is done). */
  readonly percent: number;
}

export const MAX_STAGES = 20;

/**
 * The default credit of stage `index` (0-based) of `count`: evenly spaced up to 100, rounded
 * down to whole percents (three stages: 33, 66, 100).
 */
export function evenStagePercent(index: number, count: number): number {
  return Math.floor(((index + 1) * 100) / count);
}

/**
 * A workflow from its stages' names and optional percents (absent: evenly spaced). Names are
 * unique single-line labels; percents are whole, never decreasing, and the last is 100.
 */
export function resolveStages(
  input: readonly { readonly name: string; readonly percent?: number | null }[],
  field: readonly string[] = ['stages'],
): Stage[] {
  if (input.length === 0 || input.length > MAX_STAGES)
    throw new DomainError('INVALID_INPUT', `阶段数必须在 1 到 ${MAX_STAGES} 之间`, field);
  const seen = new Set<string>();
  const stages = input.map((s, i) => {
    const at = [...field, String(i)];
    const name = checkText(s.name, {
      field: [...at, 'name'],
      shape: 'line',
      max: 40,
      label: '阶段',
    });
    if (name === null || seen.has(name))
      throw new DomainError('INVALID_INPUT', `阶段名称不能为空且不能重复：${s.name}`, [
        ...at,
        'name',
      ]);
    seen.add(name);
    const percent = s.percent ?? evenStagePercent(i, input.length);
    if (!Number.isInteger(percent) || percent < 0 || percent > 100)
      throw new DomainError('INVALID_PERCENT', `阶段进度必须是 0 到 100 之间的整数`, [
        ...at,
        'percent',
      ]);
    return { name, percent };
  });
  stages.forEach((s, i) => {
    if (i > 0 && s.percent < stages[i - 1]!.percent)
      throw new DomainError('INVALID_PERCENT', '后一阶段的进度不能低于前一阶段', [
        ...field,
        String(i),
        'percent',
      ]);
  });
  if (stages[stages.length - 1]!.percent !== 100)
    throw new DomainError('INVALID_PERCENT', '最后一个阶段的进度必须是 100', [
      ...field,
      String(stages.length - 1),
      'percent',
    ]);
  return stages;
}

/** The stage of that name, or INVALID_INPUT naming the workflow's stages. */
export function findStage(stages: readonly Stage[], name: string, field: readonly string[]): Stage {
  const stage = stages.find((s) => s.name === name);
  if (!stage)
    throw new DomainError(
      'INVALID_INPUT',
      `未知阶段：${name}（可选：${stages.map((s) => s.name).join('、')}）`,
      field,
    );
  return stage;
}

/**
 * The status and percent an item at `stage` counts as: the last stage is DONE, a stage that
 * earns nothing is NOT_STARTED, any other stage IN_PROGRESS at its percent.
 */
export function stageCredit(
  stages: readonly Stage[],
  stage: Stage,
): { status: ItemStatus; percent: number } {
  if (stage === stages[stages.length - 1] || stage.percent === 100)
    return { status: 'DONE', percent: 100 };
  if (stage.percent === 0) return { status: 'NOT_STARTED', percent: 0 };
  return { status: 'IN_PROGRESS', percent: stage.percent };
}

/**
 * Where the workflow that governs a workstream's items is defined: the first of `ancestry` (the
 * workstream, then its parent, up to the top) that `defines`, else the initiative (null).
 */
export function governingHolder(
  ancestry: Iterable<number>,
  defines: (workstreamId: number) => boolean,
): number | null {
  for (const id of ancestry) if (defines(id)) return id;
  return null;
}

/**
 * The workflow that governs a workstream's items (governingHolder over the defined ones); null
 * when none is defined. One rule for writes, reads, reports and imports.
 */
export function governingStages(
  ancestry: Iterable<number>,
  workflows: readonly { readonly workstreamId: number | null; readonly stages: string }[],
): Stage[] | null {
  const holder = governingHolder(ancestry, (id) => workflows.some((w) => w.workstreamId === id));
  const own = workflows.find((w) => w.workstreamId === holder);
  return own ? resolveStages(JSON.parse(own.stages)) : null;
}
