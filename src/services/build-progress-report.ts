import type { Locale } from '../domain/item-status.js';
import { escapeMarkdown } from '../domain/markdown.js';
import { mondayOf } from '../domain/milestone-rules.js';
import { formatProgressReport, type InitiativeSection } from '../domain/progress-report.js';
import { formatStagedLine, inReportWeek } from '../domain/stage-lines.js';
import type { Em } from '../db/em.js';
import type { InitiativeRecord } from '../db/records.js';
import { findItemStages, findMetrics, findWorkflows } from '../db/queries/report-model.queries.js';
import {
  findMilestones,
  findNamedFigures,
  findReadings,
  findUpdates,
} from '../db/queries/report-records.queries.js';
import { findItemStagesAt } from '../db/queries/report-reads.queries.js';
import { findEntriesOfItems, findReportModelEntries } from '../db/queries/as-of.queries.js';
import { reportModelAsOf } from '../domain/replay-report-model.js';
import { replayItems, type ReadTime } from '../domain/replay-items.js';
import { itemRecordsAt } from './as-of-items.js';
import { reportedNodes } from './build-report.js';
import { workflowOf } from './report-model-lookup.js';
import type { InitiativeTree, TreeNode } from './load-initiative-tree.js';
import { metricSections, milestoneLine } from './report-sections.js';
import { endOfReportDay } from '../domain/report-day.js';

function subtreeIds(node: TreeNode): Set<number> {
  const ids = new Set<number>();
  for (const stack = [node]; stack.length > 0;) {
    const n = stack.pop()!;
    ids.add(n.id);
    stack.push(...n.children);
  }
  return ids;
}

type StagedItem = Awaited<ReturnType<typeof findItemStages>>[number];

/**
 * Staged items as they stood at a read time: their stage from the log, their place from a
 * replay of their rows (an item deleted by then has none), their names as they stood.
 */
async function stagedItemsAt(
  em: Em,
  initiativeIds: readonly number[],
  t: ReadTime,
): Promise<StagedItem[]> {
  const stages = await findItemStagesAt(em, initiativeIds, t);
  const ids = stages.map((st) => st.itemId);
  const places = replayItems(await findEntriesOfItems(em, ids, t.asOf, t.knownAt), t);
  const names = new Map((await itemRecordsAt(em, ids, t)).map((r) => [r.id, r.name]));
  return stages
    .filter((st) => places.has(st.itemId) && names.has(st.itemId))
    .map((st) => ({
      ...st,
      name: names.get(st.itemId)!,
      workstreamId: places.get(st.itemId)!.workstreamId,
    }))
    .sort((a, b) => a.itemId - b.itemId);
}

export interface ReportInput {
  readonly initiative: InitiativeRecord;
  readonly tree: InitiativeTree;
  /** Its report lines, header first, as `reportLines` gives them (Markdown-escaped). */
  readonly lines: readonly string[];
}

/**
 * The whole weekly report (上周进展, 本周收获与反思, 下周工作及目标) for `date`, from the trees,
 * the report model's tables and the week's written updates. A handful of queries for all
 * initiatives together; everything else is the pure formatting in domain/.
 *
 * At a read time (`time`, the trees' too) staged items and milestones are as they stood, metrics
 * defined later are left out, and metric readings and written updates recorded after `knownAt`
 * are too, so a published report reads again as it was published.
 *
 * `only` (initiative ids): that part of the report, as the whole report writes it (letters and
 * headings decided among every initiative of `inputs`), with those initiatives' own updates.
 */
export async function buildProgressReport(
  em: Em,
  inputs: readonly ReportInput[],
  date: string,
  locale: Locale,
  time: ReadTime | null = null,
  only: ReadonlySet<number> | null = null,
): Promise<string> {
  const ids = inputs.map((i) => i.initiative.id);
  const until = endOfReportDay(date);
  const knownBy = <R extends { readonly recordedAt: Date }>(rows: readonly R[]) =>
    time ? rows.filter((r) => r.recordedAt.getTime() <= time.knownAt) : [...rows];
  const [workflows, staged, model, figures] = [
    await findWorkflows(em, ids),
    time ? await stagedItemsAt(em, ids, time) : await findItemStages(em, ids),
    { metrics: await findMetrics(em, ids), milestones: await findMilestones(em, ids) },
    await findNamedFigures(em, ids),
  ];
  // At a time: the metrics defined then, the milestones as they stood (replay-report-model.ts).
  const { metrics, milestones } = time
    ? reportModelAsOf(model, await findReportModelEntries(em, ids), time)
    : model;
  const readings = knownBy(
    await findReadings(
      em,
      metrics.map((m) => m.id),
    ),
  );
  const monday = mondayOf(date);
  const sunday = new Date(Date.parse(`${monday}T00:00:00Z`) + 6 * 86_400_000)
    .toISOString()
    .slice(0, 10);
  // By their week alone: a week's update is often written after the week ends.
  const updates = knownBy(await findUpdates(em, monday, sunday));
  const sections: InitiativeSection[] = inputs.map(({ initiative, tree, lines: plain }) => {
    // The lines' header (the named figures' when the initiative defines them), unless nothing
    // is named and nothing counts.
    const named = figures.some((f) => f.initiativeId === initiative.id);
    const header = named || tree.rollup.root.counted > 0 ? plain[0]! : null;
    const numbered = plain.slice(1);
    // A workstream with nothing counted that only holds metrics or milestones gets no line.
    const holders = new Set(
      [...metrics, ...milestones]
        .filter((m) => m.initiativeId === initiative.id)
        .map((m) => m.workstreamId),
    );
    const lines: string[] = [];
    reportedNodes(tree).forEach((node, i) => {
      const ids = subtreeIds(node);
      const items = staged.filter((s) => ids.has(s.workstreamId));
      if (items.length > 0) {
        // Items of the node that follow no stage workflow are in no staged line: the node's own
        // line (over all its items) comes first then, so none of them goes unreported.
        if (tree.rollup.figures.get(node.id)!.total > items.length)
          lines.push(numbered[i]!.replace(/^\d+\./, `${lines.length + 1}.`));
        for (const s of items) {
          const stages = workflowOf(tree, s.workstreamId, workflows) ?? [];
          const facts = { ...s, enteredThisWeek: inReportWeek(s.since.getTime(), date) };
          lines.push(formatStagedLine(facts, stages, lines.length + 1, locale, escapeMarkdown));
        }
      } else if (tree.rollup.figures.get(node.id)!.counted > 0 || !holders.has(node.id)) {
        lines.push(numbered[i]!.replace(/^\d+\./, `${lines.length + 1}.`));
      }
    });
    const nodeName = (id: number | null) =>
      id === null ? null : (tree.nodes.get(id)?.name ?? null);
    return {
      name: initiative.name,
      objective: initiative.objective,
      header,
      lines,
      updates: updates
        .filter((u) => u.initiativeId === initiative.id && u.section === 'PROGRESS')
        .map((u) => u.body),
      metrics: metricSections(
        metrics.filter((m) => m.initiativeId === initiative.id),
        readings,
        until,
        locale,
      ),
      milestones: milestones
        .filter((m) => m.initiativeId === initiative.id)
        .map((m) => milestoneLine(m, nodeName(m.workstreamId), date, locale)),
    };
  });
  const general = updates.filter((u) => u.initiativeId === null);
  // A part keeps the updates of its own initiatives only.
  const own = updates.filter((u) => !only || (u.initiativeId !== null && only.has(u.initiativeId)));
  return formatProgressReport(
    {
      date,
      initiatives: sections,
      ...(only && {
        only: new Set(inputs.flatMap((input, i) => (only.has(input.initiative.id) ? [i] : []))),
      }),
      objectiveUpdates: general
        .filter((u) => u.section === 'PROGRESS' && u.objective !== null)
        .map((u) => ({ objective: u.objective!, body: u.body })),
      reflections: own.filter((u) => u.section === 'REFLECTION').map((u) => u.body),
      nextWeek: own.filter((u) => u.section === 'NEXT_WEEK').map((u) => u.body),
    },
    locale,
  );
}
