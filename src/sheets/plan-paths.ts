import { DomainError } from '../domain/errors.js';
import { assertName, MAX_TREE_DEPTH } from '../domain/tree-rules.js';
import { PATH_SEPARATOR, pathsAbove, type SheetState } from './sheet-state.js';

/** The paths an import resolves, and the ones it will create (parents first). */
export interface PathPlan {
  readonly state: SheetState;
  readonly created: string[];
  /**
   * `created` as a set, and every path above one of them: each row looks its path up in these
   * (searching the list itself made a file of 11,000 new paths quadratic).
   */
  readonly createdSet: Set<string>;
  readonly aboveCreated: Set<string>;
  /** Workstreams that hold items (they cannot get children). */
  readonly withItems: ReadonlySet<number>;
}

/** A plan of no new paths yet over `state`. */
export function newPathPlan(state: SheetState): PathPlan {
  return {
    state,
    created: [],
    createdSet: new Set(),
    aboveCreated: new Set(),
    withItems: new Set(state.items.map((i) => i.workstreamId)),
  };
}

/** A workstream a row names: an existing one (id), or one the import will create (id null). */
export interface ResolvedPath {
  readonly id: number | null;
  readonly path: string;
  readonly hasChildren: boolean;
  readonly manual: boolean;
}

/**
 * Finds the workstream a path names. An exact known path wins (a name may itself contain '/');
 * otherwise the path is split on '/', and the part past its longest known prefix is created,
 * provided that prefix holds no items.
 */
export function resolvePath(plan: PathPlan, text: string): ResolvedPath {
  if (text === '') throw new DomainError('INVALID_INPUT', '工作流不能为空');
  const known = plan.state.workstreams.get(text);
  if (known) return { ...known };
  const written = text.split(PATH_SEPARATOR);
  const empty = written.findIndex((p) => p.trim() === '');
  if (empty >= 0)
    throw new DomainError(
      'INVALID_INPUT',
      `工作流路径“${text}”的第 ${empty + 1} 段是空的：路径用 / 分隔各级名称，开头、结尾和两个 / 之间都要有名称`,
    );
  const parts = written.map((p) => assertName(p));
  const path = parts.join(PATH_SEPARATOR);
  const again = plan.state.workstreams.get(path);
  if (again) return { ...again };
  let knownParts = 0; // how many leading parts name a workstream that exists
  let knownDepth = -1; // that workstream's level (a name holding '/' spans several parts)
  for (let n = parts.length - 1; n >= 1; n--) {
    const prefix = parts.slice(0, n).join(PATH_SEPARATOR);
    const parent = plan.state.workstreams.get(prefix);
    if (!parent) continue;
    // Siblings of one name share the path: which of them the new workstream goes under cannot
    // be told (the map holds the first), as a row naming the path itself cannot (plan-import.ts).
    if (plan.state.ambiguous.has(prefix))
      throw new DomainError(
        'INVALID_INPUT',
        `有多个同名工作流“${prefix}”，无法区分要在哪一个下新建工作流；请先给它们改不同的名字`,
      );
    if (plan.withItems.has(parent.id))
      throw new DomainError('INVALID_INPUT', `工作流“${prefix}”已有事项，不能在其下新建工作流`);
    if (parent.manual)
      throw new DomainError(
        'INVALID_INPUT',
        `工作流“${prefix}”是人工填报进度，不能在其下新建工作流`,
      );
    knownParts = n;
    knownDepth = parent.depth;
    break;
  }
  // Deeper than the tree allows is this row's error, as the write would refuse it.
  if (knownDepth + (parts.length - knownParts) >= MAX_TREE_DEPTH)
    throw new DomainError('INVALID_INPUT', `工作流层级不能超过 ${MAX_TREE_DEPTH} 层`);
  // Only what lies below the known prefix is new: under a workstream named "X/Y", the path
  // X/Y/Z creates Z, not a workstream "X" beside it.
  for (let n = knownParts + 1; n <= parts.length; n++) {
    const prefix = parts.slice(0, n).join(PATH_SEPARATOR);
    if (plan.state.workstreams.has(prefix) || plan.createdSet.has(prefix)) continue;
    plan.created.push(prefix);
    plan.createdSet.add(prefix);
    for (const above of pathsAbove(prefix)) plan.aboveCreated.add(above);
  }
  const hasChildren = plan.aboveCreated.has(path);
  return { id: null, path, hasChildren, manual: false };
}
