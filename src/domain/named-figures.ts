import { formatRatioPercent, formatUnits } from './format-number.js';
import type { RollupPolicy } from './rollup-policy.js';
import { foldTree, type Figure, type RollupNode } from './rollup.js';
import { percentOf } from './units.js';
import { reportPercent } from './report-lines.js';

/**
 * Named figures: an initiative's own headline numbers (Hive: 总进度 over the whole tree, 迁移进度
 * over 迁移, and any a PM adds), each with its own policy and scope (a subtree; null: the whole
 * initiative). On a node the figure covers the items both below the node and in the scope.
 */
/** Named figures an initiative may define (the header stays one line). */
export const MAX_NAMED_FIGURES = 10;

export interface NamedFigureDef<Id> {
  readonly name: string;
  readonly scopeId: Id | null;
  readonly policy: RollupPolicy;
}

export interface NamedFigureValue {
  readonly name: string;
  /** Micro-items, exact (see units.ts). */
  readonly credit: number;
  readonly counted: number;
  /** Items in the covered part, every status. */
  readonly total: number;
  readonly percent: number | null;
  readonly explain: string;
}

export interface NamedFigures<Id> {
  /** Per node, the figures in definition order. */
  readonly byNode: ReadonlyMap<Id, readonly NamedFigureValue[]>;
  /** The initiative's own values. */
  readonly root: readonly NamedFigureValue[];
}

function valueOf(name: string, figure: Figure | null, scopeName: string): NamedFigureValue {
  const credit = figure?.credit ?? 0;
  const counted = figure?.counted ?? 0;
  const shown = formatRatioPercent(credit, counted) ?? '—';
  return {
    name,
    credit,
    counted,
    total: figure?.total ?? 0,
    percent: percentOf(credit, counted),
    explain: `${name}（范围：${scopeName}）= ${formatUnits(credit)} / ${formatUnits(counted)} = ${shown}%`,
  };
}

/** The ids of `scopeId`'s subtree, found top-down once (children listed per parent). */
function subtreeOf<Id>(nodes: readonly RollupNode<Id>[], scopeId: Id): Set<Id> {
  const children = new Map<Id, Id[]>();
  for (const n of nodes)
    if (n.parentId !== null) {
      const list = children.get(n.parentId);
      if (list) list.push(n.id);
      else children.set(n.parentId, [n.id]);
    }
  const ids = new Set<Id>();
  for (const stack = [scopeId]; stack.length > 0;) {
    const id = stack.pop()!;
    ids.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  return ids;
}

/**
 * Every named figure on every node at once: one fold per figure and one pass over the nodes
 * (linear in nodes, no walk per node). A node inside the scope gets its own subtree's figure, a
 * node above the scope gets the scope's, any other node nothing (counted 0, percent null).
 */
export function evaluateNamedFigures<Id>(
  nodes: readonly RollupNode<Id>[],
  defs: readonly NamedFigureDef<Id>[],
  names: ReadonlyMap<Id, string>,
): NamedFigures<Id> {
  const parent = new Map(nodes.map((n) => [n.id, n.parentId]));
  const byNode = new Map<Id, NamedFigureValue[]>(nodes.map((n) => [n.id, []]));
  const root: NamedFigureValue[] = [];
  for (const def of defs) {
    const rollup = foldTree(nodes, def.policy);
    const scopeName = def.scopeId === null ? '全部' : (names.get(def.scopeId) ?? '?');
    const inside = def.scopeId === null ? null : subtreeOf(nodes, def.scopeId);
    const above = new Set<Id>();
    if (def.scopeId !== null)
      for (let at = parent.get(def.scopeId) ?? null; at !== null; at = parent.get(at) ?? null)
        above.add(at);
    for (const n of nodes) {
      const figure =
        inside === null || inside.has(n.id)
          ? rollup.figures.get(n.id)
          : above.has(n.id)
            ? rollup.figures.get(def.scopeId!)
            : null;
      byNode.get(n.id)!.push(valueOf(def.name, figure ?? null, scopeName));
    }
    const whole = def.scopeId === null ? rollup.root : (rollup.figures.get(def.scopeId) ?? null);
    root.push(valueOf(def.name, whole, scopeName));
  }
  return { byNode, root };
}

/**
 * The report header from named figures, in order: `Hive数仓建设总进度：87.23%，迁移进度（总数164个）：86.11%`.
 * The first figure follows the initiative's name; later ones say how many items they cover.
 */
export function formatFiguresHeader(
  initiative: string,
  figures: readonly NamedFigureValue[],
  locale: 'zh-CN' | 'en',
  text: (stored: string) => string = (s) => s,
): string {
  return figures
    .map((f, i) => {
      const p = reportPercent(f, locale);
      if (locale === 'zh-CN')
        return i === 0
          ? `${text(initiative)}${text(f.name)}：${p}`
          : `，${text(f.name)}${f.total > 0 ? `（总数${f.total}个）` : ''}：${p}`;
      return i === 0
        ? `${text(initiative)} ${text(f.name)}: ${p}`
        : `; ${text(f.name)}${f.total > 0 ? ` (${f.total} items)` : ''}: ${p}`;
    })
    .join('');
}

/**
 * The report's header line from the named figures, with `change` (a compared report's
 * （较上周…）) after the first figure when that figure is the whole tree's (`root`): the change
 * is measured on the whole tree, and said only where it belongs.
 */
export function namedFiguresHeader(
  initiative: string,
  figures: readonly NamedFigureValue[],
  root: { readonly credit: number; readonly counted: number },
  locale: 'zh-CN' | 'en',
  text: (stored: string) => string = (s) => s,
  change = '',
): string {
  const first = formatFiguresHeader(initiative, figures.slice(0, 1), locale, text);
  const all = formatFiguresHeader(initiative, figures, locale, text);
  const whole = figures[0]?.credit === root.credit && figures[0]?.counted === root.counted;
  return first + (whole ? change : '') + all.slice(first.length);
}
