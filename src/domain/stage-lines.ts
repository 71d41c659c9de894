import type { Locale } from './item-status.js';
import type { Stage } from './stages.js';

/** A staged item as its report line needs it. */
export interface StagedItemFacts {
  readonly name: string;
  readonly stage: string;
  readonly note: string | null;
  /** The stage was entered in the report's week (本周已启动). */
  readonly enteredThisWeek: boolean;
}

/**
 * `3. 银联在线收银台：已上线，待投产` — the team's words for a staged item: 已{stage}, 本周 when the
 * stage was entered in the report's week, then the note; without a note, an item short of the
 * last stage says what comes next (待投产).
 */
export function formatStagedLine(
  facts: StagedItemFacts,
  stages: readonly Stage[],
  number: number | null,
  locale: Locale,
  text: (stored: string) => string = (s) => s,
): string {
  const zh = locale === 'zh-CN';
  const at = stages.findIndex((s) => s.name === facts.stage);
  const next = at >= 0 && at < stages.length - 1 ? stages[at + 1]!.name : null;
  const note = facts.note ?? (next === null ? null : zh ? `待${next}` : `next: ${next}`);
  const n = number === null ? '' : `${number}. `;
  if (zh)
    return `${n}${text(facts.name)}：${facts.enteredThisWeek ? '本周' : ''}已${text(facts.stage)}${note ? `，${text(note)}` : ''}`;
  const week = facts.enteredThisWeek ? ' this week' : '';
  return `${n}${text(facts.name)}: ${text(facts.stage)} reached${week}${note ? `; ${text(note)}` : ''}`;
}

/** Whether `at` (ms) falls in the report's week: Monday 00:00 to the next Monday, China time. */
export function inReportWeek(at: number, reportDate: string): boolean {
  const day = Date.parse(`${reportDate}T00:00:00+08:00`);
  const weekday = (new Date(`${reportDate}T00:00:00Z`).getUTCDay() + 6) % 7;
  const monday = day - weekday * 86_400_000;
  return at >= monday && at < monday + 7 * 86_400_000;
}
