import type { Locale } from '../domain/item-status.js';
import { compareLabelOf, formatLineChange, withChange } from '../domain/report-change.js';
import { namedFiguresHeader } from '../domain/named-figures.js';
import { formatReportHeader } from '../domain/report-lines.js';
import { earlierTime } from '../domain/series-times.js';
import type { InitiativeRecord } from '../db/records.js';
import { reportedNodes, reportLines, reportStyle } from '../services/build-report.js';
import type { InitiativeTree } from '../services/load-initiative-tree.js';
import { itemChangesOf, subtreeOf, sumOver } from './change-views.js';
import type { Context } from './context.type.js';
import { reportDetailsOf, treeOf } from './read-time.js';
import { namedFiguresOfTree } from './report-model-reads.js';
import { asBadInput, endOf, knownAtOf } from './time-views.js';

export const COMPARE_TO =
  'Add the change since this time to the header and to each line (e.g. （较上周+1.25个百分点，本周完成3个）); a time on the day a week before the report’s (+08:00) reads 上周 / last week. Without it the lines are as always.';

/**
 * The report lines with each figure's change since `compareTo`: the figures of a read at that
 * time (as known when the report is read) against the report's own, and the items completed
 * between the two in each line's subtree.
 */
export async function comparedReportLines(
  ctx: Context,
  record: InitiativeRecord,
  tree: InitiativeTree,
  locale: Locale,
  compareTo: Date,
  text?: (stored: string) => string,
): Promise<string[]> {
  const target = { initiative: record, tree, node: null, time: tree.time ?? null };
  const knownAt = knownAtOf(ctx, target);
  const end = endOf(ctx, target);
  const since = asBadInput(() => earlierTime(compareTo.getTime(), end, 'compareTo'));
  const before = await treeOf(ctx, record, { asOf: since, knownAt });
  const byWs = await itemChangesOf(ctx, tree, since, end, knownAt);
  const lines = reportLines(tree, await reportDetailsOf(ctx, tree), locale, text);
  const label = compareLabelOf(tree.time?.asOf ?? end, since);
  const zero = { credit: 0, counted: 0 };
  const prefix = formatReportHeader(
    { initiative: tree.initiative.name, figure: tree.rollup.root, parts: [] },
    reportStyle(tree, locale, text),
  );
  const rootChange = formatLineChange(
    {
      before: before.rollup.root,
      after: tree.rollup.root,
      completed: sumOver(byWs, subtreeOf(tree, null), true).completed,
    },
    label,
    locale,
  );
  const named = (await namedFiguresOfTree(ctx, tree)).root;
  const header = lines[0]!;
  const out = [
    named.length > 0
      ? namedFiguresHeader(tree.initiative.name, named, tree.rollup.root, locale, text, rootChange)
      : prefix + rootChange + header.slice(prefix.length),
  ];
  reportedNodes(tree).forEach((node, i) => {
    const change = formatLineChange(
      {
        before: before.rollup.figures.get(node.id) ?? zero,
        after: tree.rollup.figures.get(node.id)!,
        completed: sumOver(byWs, subtreeOf(tree, node), false).completed,
      },
      label,
      locale,
    );
    out.push(withChange(lines[i + 1]!, change));
  });
  return out;
}

/**
 * An initiative's report lines as every report prints them: the header from its named figures
 * when it defines them (Hive: 总进度 and 迁移进度), else the tree's own; with `compareTo`, each
 * figure's change since then. `text` writes stored names (Markdown escapes them).
 */
export async function initiativeReportLines(
  ctx: Context,
  record: InitiativeRecord,
  tree: InitiativeTree,
  locale: Locale,
  compareTo?: Date | null,
  text?: (stored: string) => string,
): Promise<string[]> {
  if (compareTo) return comparedReportLines(ctx, record, tree, locale, compareTo, text);
  const lines = reportLines(tree, await reportDetailsOf(ctx, tree), locale, text);
  const named = (await namedFiguresOfTree(ctx, tree)).root;
  if (named.length > 0)
    lines[0] = namedFiguresHeader(tree.initiative.name, named, tree.rollup.root, locale, text);
  return lines;
}
