import type { Em } from '../db/em.js';
import type { InitiativeRecord, ItemRecord } from '../db/records.js';
import { findItemsPage, type ItemPageQuery } from '../db/queries/item.queries.js';
import { turnInWrite } from '../db/write-turn.js';
import { findStageRows, findWorkflows } from '../db/queries/report-model.queries.js';
import { PATH_SEPARATOR, type SheetState, type SheetWorkstream } from '../sheets/sheet-state.js';
import { loadInitiativeTree, type TreeNode } from './load-initiative-tree.js';
import { workflowOf } from './report-model-lookup.js';
import { loadStructureThen } from './structure-then.js';

const PAGE = 1000;

/**
 * Every live item under the given workstreams (or an initiative's live ones), in id order, a page at a time. Inside a
 * transaction on SQLite (an import's write, or its plan's read snapshot) the event loop turns
 * between pages: 10,000 items read at once held it 30–45 ms. Outside one each page is a
 * statement of its own, and a write may commit between two: an import's plan reads in a snapshot
 * (test/integration/import-plan-snapshot.test.ts), and is checked again under the write's lock
 * (plan-current.ts).
 */
export async function loadAllItems(
  em: Em,
  workstreamIds: ItemPageQuery['workstreamIds'],
): Promise<ItemRecord[]> {
  if (Array.isArray(workstreamIds) && workstreamIds.length === 0) return [];
  const items: ItemRecord[] = [];
  for (let afterId: number | null = null; ;) {
    if (afterId !== null) await turnInWrite(em);
    const page = await findItemsPage(em, { workstreamIds, afterId, limit: PAGE, statuses: null });
    items.push(...page);
    if (page.length < PAGE) return items;
    afterId = page[page.length - 1]!.id;
  }
}

/** Paths of names (`迁移/Hive迁移-风控报表`) for every node, in tree order. */
export function namedPaths(roots: readonly TreeNode[]): Map<number, string> {
  const out = new Map<number, string>();
  const walk = (node: TreeNode, prefix: string | null) => {
    const path = prefix === null ? node.name : `${prefix}${PATH_SEPARATOR}${node.name}`;
    out.set(node.id, path);
    for (const child of node.children) walk(child, path);
  };
  for (const root of roots) walk(root, null);
  return out;
}

/**
 * One initiative's workstreams by path and its live items: what an import compares with; and
 * the older structures its file was exported from (`structureVersions`, from the file's rows).
 */
export async function loadSheetState(
  em: Em,
  initiative: InitiativeRecord,
  structureVersions: readonly number[] = [],
): Promise<SheetState> {
  const tree = await loadInitiativeTree(em, initiative);
  const paths = namedPaths(tree.roots);
  const workstreams = new Map<string, SheetWorkstream>();
  const byId = new Map<number, SheetWorkstream>();
  const ambiguous = new Set<string>();
  for (const [id, path] of paths) {
    const node = tree.nodes.get(id)!;
    const ws = {
      id,
      parentId: node.parentId,
      path,
      hasChildren: node.children.length > 0,
      manual: node.manualPercentBp !== null,
      depth: node.depth,
    };
    byId.set(id, ws);
    // Two siblings with one name share a path: the first keeps it, and the path is ambiguous.
    if (workstreams.has(path)) ambiguous.add(path);
    else workstreams.set(path, ws);
  }
  const stages = new Map(
    (await findStageRows(em, [initiative.id])).map((s) => [s.itemId, s.stage]),
  );
  // By the initiative, not by naming each workstream: past 32,766 of them SQLite refused the read.
  const items = (await loadAllItems(em, { initiativeId: initiative.id })).map((i) => ({
    ...i,
    stage: stages.get(i.id) ?? null,
  }));
  // Each workstream's governing stages as one comparable text (a staged item moves only
  // between workstreams the same stages govern).
  const rows = await findWorkflows(em, [initiative.id]);
  const keyOf = (wsId: number | null) => {
    const stages = workflowOf(tree, wsId, rows);
    return stages && JSON.stringify(stages);
  };
  const topWorkflow = keyOf(null);
  const workflows = new Map([...paths.keys()].map((id) => [id, keyOf(id)]));
  const structure = await loadStructureThen(em, initiative.id, structureVersions);
  return {
    initiativeId: initiative.id,
    structure,
    workflows,
    topWorkflow,
    statusLabels: initiative.statusLabels,
    workstreams,
    byId,
    ambiguous,
    items,
  };
}
