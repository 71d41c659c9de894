import {
  ITEM_STATUSES,
  statusLabel,
  type Locale,
  type StatusLabelOverrides,
} from './item-status.js';
import type { Figure } from './rollup.js';
import type { CreditRule, RollupPolicy } from './rollup-policy.js';
import { formatRatioPercent, formatUnits } from './format-number.js';
import { creditOfTally } from './credit.js';
import { emptyTally } from './tally.js';

export interface ExplainInput {
  readonly name: string;
  readonly figure: Figure;
  readonly policy: RollupPolicy;
  readonly labels?: StatusLabelOverrides | null;
  readonly children: readonly { readonly name: string; readonly figure: Figure }[];
  readonly locale: Locale;
}

const WORDS = {
  'zh-CN': {
    none: '无可计入的事项，进度为空',
    head: (name: string, p: string, c: string, d: string) =>
      `${name}：进度 ${p}% = 得分 ${c} ÷ 计入 ${d}（单位：事项，按权重）`,
    rule: '规则',
    rules: {
      FULL: '计满分',
      PERCENT: '按各自进度',
      ZERO: '计 0',
      EXCLUDED: '不计入（分子分母均排除）',
    } as Record<CreditRule, string>,
    byStatus: '按状态',
    status: (label: string, n: number, w: string, c: string) =>
      `${label} ${n} 项（权重 ${w}）→ ${c}`,
    manual: (n: number, d: string, c: string) => `人工填报：${n} 个工作流，权重 ${d} → ${c}`,
    children: '下级',
    excluded: (label: string, n: number) => `排除：${label} ${n} 项`,
    sep: '；',
    colon: '：',
    and: '、',
  },
  en: {
    none: 'nothing counts, so there is no percent',
    head: (name: string, p: string, c: string, d: string) =>
      `${name}: ${p}% = credit ${c} / counted ${d} (in weighted items)`,
    rule: 'Rule',
    rules: {
      FULL: 'count in full',
      PERCENT: 'count by their percent',
      ZERO: 'count as 0',
      EXCLUDED: 'left out of both sides',
    } as Record<CreditRule, string>,
    byStatus: 'By status',
    status: (label: string, n: number, w: string, c: string) =>
      `${label} ${n} (weight ${w}) → ${c}`,
    manual: (n: number, d: string, c: string) => `Manual: ${n} workstream(s), weight ${d} → ${c}`,
    children: 'Children',
    excluded: (label: string, n: number) => `Excluded: ${label} ${n}`,
    sep: '; ',
    colon: ': ',
    and: ', ',
  },
} as const;

/**
 * Says how a figure was computed: numerator, denominator, the rule, each status's share, manual
 * work, each child's figure, and what was excluded. The answer to "why 87.23%?".
 */
export function explainFigure(input: ExplainInput): string {
  const { figure, policy, labels, locale } = input;
  const w = WORDS[locale];
  const pct = formatRatioPercent(figure.credit, figure.counted);
  const lines: string[] = [];
  lines.push(
    pct === null
      ? `${input.name}${w.colon}${w.none}`
      : w.head(input.name, pct, formatUnits(figure.credit), formatUnits(figure.counted)),
  );

  const byRule = new Map<CreditRule, string[]>();
  for (const s of ITEM_STATUSES)
    byRule.set(policy[s], [...(byRule.get(policy[s]) ?? []), statusLabel(s, locale, labels)]);
  lines.push(
    `${w.rule}${w.colon}${[...byRule].map(([rule, names]) => `${names.join(w.and)} ${w.rules[rule]}`).join(w.sep)}`,
  );

  const parts: string[] = [];
  const excluded: string[] = [];
  for (const s of ITEM_STATUSES) {
    const t = figure.tally[s];
    if (t.items === 0) continue;
    const label = statusLabel(s, locale, labels);
    if (policy[s] === 'EXCLUDED') {
      excluded.push(w.excluded(label, t.items));
      continue;
    }
    const only = emptyTally();
    only[s] = { ...t };
    parts.push(
      w.status(label, t.items, String(t.weight), formatUnits(creditOfTally(only, policy).credit)),
    );
  }
  if (parts.length > 0) lines.push(`${w.byStatus}${w.colon}${parts.join(w.sep)}`);
  if (figure.manualNodes > 0) {
    lines.push(
      w.manual(
        figure.manualNodes,
        formatUnits(figure.manualCounted),
        formatUnits(figure.manualCredit),
      ),
    );
  }
  if (input.children.length > 0) {
    const kids = input.children.map(({ name, figure: f }) => {
      const p = formatRatioPercent(f.credit, f.counted);
      return `${name} ${formatUnits(f.credit)} / ${formatUnits(f.counted)}${p === null ? '' : ` = ${p}%`}`;
    });
    lines.push(`${w.children}${w.colon}${kids.join(w.sep)}`);
  }
  lines.push(...excluded);
  return lines.join('\n');
}
