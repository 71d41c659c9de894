import { MAX_METRICS } from '../domain/metric-rules.js';
import { MAX_MILESTONES } from '../domain/milestone-rules.js';
import { MAX_NAMED_FIGURES } from '../domain/named-figures.js';
import { MAX_STAGES } from '../domain/stages.js';

/**
 * Sizes of the report model's lists (list-sizes.ts): each is bounded where it is written, so a
 * list is charged its bound on every node that asks for it.
 */
export const REPORT_MODEL_SIZES: Record<string, () => number> = Object.fromEntries([
  ...['Initiative', 'Workstream'].flatMap((t) => [
    [`${t}.figures`, () => MAX_NAMED_FIGURES],
    [`${t}.stages`, () => MAX_STAGES],
    [`${t}.metrics`, () => MAX_METRICS],
    [`${t}.milestones`, () => MAX_MILESTONES],
  ]),
  ['ReportModelPayload.stages', () => MAX_STAGES],
  ['ReportModelPayload.figures', () => MAX_NAMED_FIGURES],
]);
