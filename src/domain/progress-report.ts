import { assertNever, type Locale } from './item-status.js';
import { escapeMarkdown } from './markdown.js';
import { reportWeekNumber } from './weekly-report.js';

/** One initiative's part of 上周进展, every line already Markdown-ready (stored text escaped). */
export interface InitiativeSection {
  readonly name: string;
  readonly objective: string | null;
  /** The figures' header, or null when nothing counts (an initiative of metrics only). */
  readonly header: string | null;
  /** Numbered lines (workstreams, staged items), indented under the header. */
  readonly lines: readonly string[];
  /** Written updates for the week, raw (escaped here). */
  readonly updates: readonly string[];
  /** Metric lines by category (成功率, 可用性; '' for none), in first-seen order. */
  readonly metrics: readonly { readonly category: string; readonly lines: readonly string[] }[];
  readonly milestones: readonly string[];
}

export interface ProgressReport {
  readonly date: string;
  readonly initiatives: readonly InitiativeSection[];
  /**
   * A part of the report: only the initiatives at these indexes are written, each under its
   * objective with the letter it has in the whole report, and no objective's own updates.
   */
  readonly only?: ReadonlySet<number>;
  /** Written updates posted for an objective (no initiative), raw. */
  readonly objectiveUpdates: readonly { readonly objective: string; readonly body: string }[];
  readonly reflections: readonly string[];
  readonly nextWeek: readonly string[];
}

/**
 * The objective of initiatives that name none, and the one a team writes updates under for
 * what fits no objective: one key in every locale, so English does not split it in two.
 */
const OTHER = '【其他】';

const WORDS = {
  'zh-CN': {
    progress: '上周进展',
    other: OTHER,
    colon: '：',
    reflect: '本周收获与反思',
    next: '下周工作及目标',
  },
  en: {
    progress: 'Last week',
    other: '[Other]',
    colon: ':',
    reflect: 'Lessons of the week',
    next: 'Next week',
  },
};

function title(date: string, locale: Locale): string {
  const week = reportWeekNumber(date);
  switch (locale) {
    case 'zh-CN':
      return `# 第${week}周 ${date.replaceAll('-', '/')}`;
    case 'en':
      return `# Week ${week}, ${date}`;
    default:
      return assertNever(locale);
  }
}

/**
 * A written update as Markdown: one line becomes a bullet; several lines keep their own shape
 * (a numbered list, paragraphs), each line escaped but its list marker kept.
 */
export function updateBlock(body: string): string[] {
  return body.includes('\n') ? bodyLines(body) : [`- ${escapeMarkdown(body)}`];
}

/** Each line escaped, a leading list marker (`1. `, `- `) kept as Markdown. */
function bodyLines(body: string): string[] {
  return body.split('\n').map((line) => {
    const marker = /^(\s*(?:\d+\.|-)\s+)(.*)$/.exec(line);
    return marker ? `${marker[1]}${escapeMarkdown(marker[2]!)}` : escapeMarkdown(line);
  });
}

/**
 * Initiatives get a lettered heading (A. 支付账户2.0升级), except one with no figures that only
 * carries metrics, milestones or updates and is its objective's only initiative: the objective's
 * heading already names it (【系统运行数据】). Beside others it is lettered too: its lines ran on
 * under the initiative before it, as if they were that one's.
 */
function headed(s: InitiativeSection, alone: boolean): boolean {
  const extras = s.metrics.length + s.milestones.length + s.updates.length;
  return s.header !== null || s.lines.length > 0 || extras === 0 || !alone;
}

function initiativeBlock(s: InitiativeSection, colon: string): string[] {
  const out: string[] = [];
  if (s.header !== null) out.push(`- ${s.header}`, ...s.lines.map((l) => `    ${l}`));
  else out.push(...s.lines.map((l) => `- ${l}`));
  for (const u of s.updates) out.push(...updateBlock(u));
  for (const group of s.metrics) {
    if (group.category) out.push('', `${escapeMarkdown(group.category)}${colon}`, '');
    out.push(...group.lines.map((l) => `- ${l}`));
  }
  out.push(...s.milestones.map((m) => `- ${m}`));
  return out;
}

/**
 * The weekly report's 上周进展 and what follows it: objectives in the order they first appear
 * (initiatives in list order, then objective updates), 【其他】 last; initiatives lettered A, B, C
 * under each (see `headed`); then 本周收获与反思 and 下周工作及目标 from the written updates.
 */
export function formatProgressReport(report: ProgressReport, locale: Locale): string {
  const w = WORDS[locale];
  const shown = (i: number) => !report.only || report.only.has(i);
  const order: string[] = [];
  const see = (o: string) => void (order.includes(o) || order.push(o));
  report.initiatives.forEach((s, i) => shown(i) && see(s.objective ?? OTHER));
  if (!report.only) for (const u of report.objectiveUpdates) see(u.objective);
  const objectives = [...order.filter((o) => o !== OTHER), ...order.filter((o) => o === OTHER)];
  const out = [title(report.date, locale), '', `# ${w.progress}`, ''];
  for (const objective of objectives) {
    out.push(`## ${objective === OTHER ? w.other : escapeMarkdown(objective)}`, '');
    if (!report.only)
      for (const u of report.objectiveUpdates.filter((x) => x.objective === objective))
        out.push(...updateBlock(u.body));
    let letter = 0;
    const under = [...report.initiatives.entries()].filter(
      ([, x]) => (x.objective ?? OTHER) === objective,
    );
    for (const [i, s] of under) {
      const heading = headed(s, under.length === 1);
      const mark = heading ? String.fromCharCode(65 + (letter++ % 26)) : '';
      if (!shown(i)) continue;
      if (heading) out.push('', `### ${mark}. ${escapeMarkdown(s.name)}`, '');
      out.push(...initiativeBlock(s, w.colon));
    }
    out.push('');
  }
  for (const [heading, bodies] of [
    [w.reflect, report.reflections],
    [w.next, report.nextWeek],
  ] as const) {
    if (bodies.length === 0) continue;
    out.push(`# ${heading}`, '');
    for (const body of bodies) out.push(...bodyLines(body), '');
  }
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
