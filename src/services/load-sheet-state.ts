import type { Em } from '../db/orm.js';
import type { InitiativeRecord, ItemRecord } from '../db/records.js';
import { findItemsPage } from '../db/queries/item.queries.js';
import { findItemStages, findWorkflows } from '../db/queries/report-model.queries.js';
import { resolveStages } from '../domain/stages.js';
import { PATH_SEPARATOR, type SheetState, type SheetWorkstream } from '../sheets/sheet-state.js';
import { loadInitiativeTree, type TreeNode } from './load-initiative-tree.js';

const PAGE = 1000;

/** Every live item under the given workstreams, in id order, a page at a time. */
export async function loadAllItems(
  em: Em,
  workstreamIds: readonly number[],
): Promise<ItemRecord[]> {
  if (workstreamIds.length === 0) return [];
  const items: ItemRecord[] = [];
  for (let afterId: number | null = null; ;) {
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

/** A workflow's stages as one comparable text (resolved, as a write resolves them). */
const stagesKey = (stages: string): string => JSON.stringify(resolveStages(JSON.parse(stages)));

/** One initiative's workstreams by path and its live items: what an import compares with. */
export async function loadSheetState(em: Em, initiative: InitiativeRecord): Promise<SheetState> {
  const tree = await loadInitiativeTree(em, initiative);
  const paths = namedPaths(tree.roots);
  const workstreams = new Map<string, SheetWorkstream>();
  const byId = new Map<number, SheetWorkstream>();
  const ambiguous = new Set<string>();
  for (const [id, path] of paths) {
    const node = tree.nodes.get(id)!;
    const ws = {
      id,
      path,
      hasChildren: node.children.length > 0,
      manual: node.manualPercentBp !== null,
    };
    byId.set(id, ws);
    // Two siblings with one name share a path: the first keeps it, and the path is ambiguous.
    if (workstreams.has(path)) ambiguous.add(path);
    else workstreams.set(path, ws);
  }
  const stages = new Map(
    (await findItemStages(em, [initiative.id])).map((s) => [s.itemId, s.stage]),
  );
  const items = (await loadAllItems(em, [...paths.keys()])).map((i) => ({
    ...i,
    stage: stages.get(i.id) ?? null,
  }));
  const rows = await findWorkflows(em, [initiative.id]);
  const own = new Map(rows.map((w) => [w.workstreamId, stagesKey(w.stages)]));
  const topWorkflow = own.get(null) ?? null;
  const workflows = new Map<number, string | null>();
  const govern = (node: TreeNode, inherited: string | null) => {
    const key = own.get(node.id) ?? inherited;
    workflows.set(node.id, key);
    for (const child of node.children) govern(child, key);
  };
  for (const root of tree.roots) govern(root, topWorkflow);
  return {
    initiativeId: initiative.id,
    workflows,
    topWorkflow,
    statusLabels: initiative.statusLabels,
    workstreams,
    byId,
    ambiguous,
    items,
  };
}
