import type { Locale } from '../domain/item-status.js';
import {
  formatReportHeader,
  formatReportLine,
  type ReportLineFacts,
  type ReportStyle,
} from '../domain/report-lines.js';
import type { Em } from '../db/em.js';
import {
  findInProgressPercents,
  findNamedItems,
  type NamedItemRow,
  type PercentCountRow,
} from '../db/queries/report.queries.js';
import type { InitiativeTree, TreeNode } from './load-initiative-tree.js';

/** The item-level facts report lines need beyond the counters: percents and, for BY_NAME, names. */
export interface ReportDetails {
  readonly percents: readonly PercentCountRow[];
  readonly named: readonly NamedItemRow[];
}

function subtree(node: TreeNode): TreeNode[] {
  const out: TreeNode[] = [];
  const stack = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    out.push(n);
    stack.push(...n.children);
  }
  return out;
}

/**
 * The workstreams that get a numbered line: the children of each top-level workstream, or the
 * top-level workstream itself when it has none (unless it is only a manual percent, which the
 * header already shows).
 */
export function reportedNodes(tree: InitiativeTree): TreeNode[] {
  return tree.roots.flatMap((root) => {
    if (root.children.length > 0) return root.children;
    const figure = tree.rollup.figures.get(root.id)!;
    return figure.total === 0 && root.manualPercentBp !== null ? [] : [root];
  });
}

/** Two queries for a whole initiative: percent groups, and names under BY_NAME workstreams. */
export async function loadReportDetails(em: Em, tree: InitiativeTree): Promise<ReportDetails> {
  const byName = [...tree.nodes.values()].filter((n) => n.reportDetail === 'BY_NAME');
  const [percents, named] = [
    await findInProgressPercents(em, [tree.initiative.id]),
    await findNamedItems(em, [...new Set(byName.flatMap((n) => subtree(n).map((s) => s.id)))]),
  ];
  return { percents, named };
}

/** Where each workstream's rows sit in the details: their indexes, in the details' order. */
interface RowsByWorkstream {
  readonly percents: ReadonlyMap<number, readonly number[]>;
  readonly named: ReadonlyMap<number, readonly number[]>;
}

const indexed = new WeakMap<ReportDetails, RowsByWorkstream>();

/**
 * The details' rows by workstream, made once per details: each line read every row of the
 * initiative, and a report of 10,000 lines took 3 s (34,000: 30 s) doing so.
 */
function rowsByWorkstream(details: ReportDetails): RowsByWorkstream {
  let index = indexed.get(details);
  if (!index) {
    const group = (rows: readonly { readonly workstreamId: number }[]) => {
      const out = new Map<number, number[]>();
      rows.forEach((r, i) => {
        const list = out.get(r.workstreamId);
        if (list) list.push(i);
        else out.set(r.workstreamId, [i]);
      });
      return out;
    };
    index = { percents: group(details.percents), named: group(details.named) };
    indexed.set(details, index);
  }
  return index;
}

function factsOf(tree: InitiativeTree, node: TreeNode, details: ReportDetails): ReportLineFacts {
  const figure = tree.rollup.figures.get(node.id)!;
  const ids = subtree(node).map((n) => n.id);
  const index = rowsByWorkstream(details);
  // The subtree's rows in the details' order, as a pass over all of them found them.
  const rowsOf = <R>(byId: ReadonlyMap<number, readonly number[]>, rows: readonly R[]): R[] =>
    ids
      .flatMap((id) => byId.get(id) ?? [])
      .sort((a, b) => a - b)
      .map((i) => rows[i]!);
  const inProgressByPercent = new Map<number, number>();
  for (const row of rowsOf(index.percents, details.percents))
    inProgressByPercent.set(row.percent, (inProgressByPercent.get(row.percent) ?? 0) + row.items);
  const named = node.reportDetail === 'BY_NAME' ? rowsOf(index.named, details.named) : [];
  const counts = Object.fromEntries(
    Object.entries(figure.tally).map(([s, t]) => [s, t.items]),
  ) as ReportLineFacts['counts'];
  return {
    name: node.name,
    phase: node.phase,
    figure,
    total: figure.total,
    counts,
    detail: node.reportDetail,
    doneNames: named.filter((r) => r.status === 'DONE').map((r) => r.name),
    inProgress: named
      .filter((r) => r.status === 'IN_PROGRESS')
      .map((r) => ({ name: r.name, percent: r.percent })),
    inProgressByPercent,
  };
}

export function reportStyle(
  tree: InitiativeTree,
  locale: Locale,
  text?: (stored: string) => string,
): ReportStyle {
  return {
    locale,
    labels: tree.initiative.statusLabels,
    lowPercentBucket: tree.initiative.reportLowPercentBucket,
    text,
  };
}

/**
 * The header line, then one numbered line per reported workstream. `text` prints stored names
 * (escapeMarkdown for the Markdown report); plain text by default.
 */
export function reportLines(
  tree: InitiativeTree,
  details: ReportDetails,
  locale: Locale,
  text?: (stored: string) => string,
): string[] {
  const style = reportStyle(tree, locale, text);
  const header = formatReportHeader(
    {
      initiative: tree.initiative.name,
      figure: tree.rollup.root,
      parts: tree.roots.map((root) => {
        const figure = tree.rollup.figures.get(root.id)!;
        return { name: root.name, total: figure.total, figure };
      }),
    },
    style,
  );
  return [
    header,
    ...reportedNodes(tree).map((node, i) =>
      formatReportLine(factsOf(tree, node, details), i + 1, style),
    ),
  ];
}

/** One workstream's line, without a number. */
export function workstreamReportLine(
  tree: InitiativeTree,
  node: TreeNode,
  details: ReportDetails,
  locale: Locale,
): string {
  return formatReportLine(factsOf(tree, node, details), null, reportStyle(tree, locale));
}
