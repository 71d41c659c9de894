import {
  getNamedType,
  getNullableType,
  isAbstractType,
  isCompositeType,
  isListType,
  isObjectType,
  Kind,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  getArgumentValues,
  getDirectiveValues,
} from 'graphql';
import {
  deeperInTree,
  listSizeOf,
  scopedWorkstreams,
  WORKED_OUT_LISTS,
  type ListSizes,
} from './list-sizes.js';
import { trialPoints } from './trial-cost.js';

/**
 * What a query can return, computed before it runs (GitHub's node limit, in spirit). Every field
 * counts 1 plus its selection. A paged field (one with `first`) multiplies its selection by
 * `first`; a list without `first` by its size (list-sizes.ts: real or maximum, from the data).
 *
 * - `nodes`: the values the answer can hold, every list at its full size.
 * - `cost`: the points the query is charged (the R1 limit and the rate limit): the same sum, but
 *   a list without `first` counts as the pages of 100 a client would need to read it, as paged
 *   fields are charged. A whole-tree dashboard stays affordable in points; `nodes` bounds it.
 * - `field`: the list or paged field (`Type.field`) that yields the most values: what to page.
 *
 * A forecast (and health, which runs one) adds its trials' points for every node it can be
 * asked of, at full size: trial-cost.ts. So does a series, a point per point (list-sizes.ts).
 */
export interface QueryCost {
  readonly cost: number;
  readonly nodes: number;
  readonly field: string | null;
}

/** Page size a list without `first` is charged in (the largest `first` a paged field takes). */
export const COST_PAGE = 100;

interface Walk {
  cost: number;
  nodes: number;
}

export function queryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
  operationName: string | undefined,
  sizes: ListSizes,
): QueryCost {
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode =>
      d.kind === Kind.OPERATION_DEFINITION &&
      (operationName === undefined || d.name?.value === operationName),
  );
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return { cost: 0, nodes: 0, field: null };
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const narrowed = (coordinate: string, args: Record<string, unknown>, scope: ListSizes) => {
    const workstreams = scopedWorkstreams(coordinate, args, sizes);
    return workstreams === null ? scope : { ...scope, workstreams };
  };
  // Values each multiplying field yields, summed over its occurrences (for `field`).
  const yields = new Map<string, number>();

  const included = (node: { directives?: readonly unknown[] }): boolean => {
    if (!node.directives?.length) return true;
    try {
      const skip = getDirectiveValues(GraphQLSkipDirective, node as FieldNode, variables);
      const include = getDirectiveValues(GraphQLIncludeDirective, node as FieldNode, variables);
      return skip?.if !== true && include?.if !== false;
    } catch {
      return true; // a bad variable: execution refuses it; the cost assumes the field runs
    }
  };

  /** The fields a selection set asks of one object type (fragments flattened). */
  const fieldsFor = (set: SelectionSetNode, type: GraphQLObjectType, out: FieldNode[] = []) => {
    for (const selection of set.selections) {
      if (!included(selection)) continue;
      if (selection.kind === Kind.FIELD) out.push(selection);
      else {
        const fragment =
          selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
        if (!fragment) continue;
        const condition = fragment.typeCondition?.name.value;
        if (condition && !appliesTo(condition, type)) continue;
        fieldsFor(fragment.selectionSet, type, out);
      }
    }
    return out;
  };
  const appliesTo = (condition: string, type: GraphQLObjectType): boolean => {
    if (condition === type.name) return true;
    const named = schema.getType(condition);
    return !!named && isAbstractType(named) && schema.isSubType(named, type);
  };

  /** An abstract type answers as one of its object types: charge the dearest. */
  const walkSet = (
    set: SelectionSetNode,
    type: GraphQLCompositeType,
    via: string,
    scale: { cost: number; nodes: number },
    scope: ListSizes,
  ): Walk => {
    const objects = isObjectType(type) ? [type] : schema.getPossibleTypes(type);
    const worst: Walk = { cost: 0, nodes: 0 };
    for (const object of objects) {
      const walked = walkFields(fieldsFor(set, object), object, via, scale, scope);
      worst.cost = Math.max(worst.cost, walked.cost);
      worst.nodes = Math.max(worst.nodes, walked.nodes);
    }
    return worst;
  };

  const walkFields = (
    fields: readonly FieldNode[],
    type: GraphQLObjectType,
    via: string,
    scale: { cost: number; nodes: number },
    scope: ListSizes,
  ): Walk => {
    const total: Walk = { cost: 0, nodes: 0 };
    // A deeper level of a tree walk: its workstreams are others than this one's, so a node costs
    // the dearer of its own selection and the deeper levels' (each workstream is at one level).
    const deeper: Walk = { cost: 0, nodes: 0 };
    for (const node of fields) {
      const name = node.name.value;
      const def = type.getFields()[name];
      if (!def) {
        total.cost += 1; // __typename and other meta fields
        total.nodes += 1;
        continue;
      }
      const coordinate = `${type.name}.${name}`;
      let args: Record<string, unknown>;
      try {
        args = getArgumentValues(def, node, variables);
      } catch {
        args = {}; // a bad argument (null for a page size): the field fails, charged as the largest
      }
      let costTimes = 1;
      let nodeTimes = 1;
      const paged = def.args.some((a) => a.name === 'first');
      if (paged) {
        // A page size outside 1–100 (or null) is refused as the field runs, once per
        // occurrence, and errors are not free: charge it as the largest page, no more (an
        // over-large one is BAD_USER_INPUT, as 101 is, not a query too complex to run).
        const asked = args.first;
        const first =
          typeof asked === 'number' && Number.isInteger(asked) && asked >= 1 && asked <= COST_PAGE
            ? asked
            : COST_PAGE;
        costTimes = nodeTimes = first;
      } else if (isListType(getNullableType(def.type))) {
        nodeTimes = listSizeOf(schema, type.name, name, via, scope, args);
        costTimes = Math.ceil(nodeTimes / COST_PAGE);
      }
      const inner = { cost: scale.cost * costTimes, nodes: scale.nodes * nodeTimes };
      if (paged || nodeTimes !== 1)
        yields.set(coordinate, (yields.get(coordinate) ?? 0) + inner.nodes);
      const named = getNamedType(def.type);
      const child =
        node.selectionSet && isCompositeType(named)
          ? walkSet(node.selectionSet, named, coordinate, inner, narrowed(coordinate, args, scope))
          : { cost: 0, nodes: 0 };
      const into = deeperInTree(coordinate, via) ? deeper : total;
      // Simulation is charged per node it runs for (trial-cost.ts), and a worked-out list per
      // value it works out for every node (list-sizes.ts): in points, this level's value is
      // multiplied by pages above it, so its node count over its page count here.
      const perNode = scale.cost > 0 ? scale.nodes / scale.cost : 0;
      const workedOut = WORKED_OUT_LISTS.has(coordinate) ? nodeTimes : 0;
      into.cost +=
        1 + costTimes * child.cost + (trialPoints(coordinate, args) + workedOut) * perNode;
      into.nodes += 1 + nodeTimes * child.nodes;
    }
    return {
      cost: Math.max(total.cost + Math.min(1, deeper.cost), deeper.cost),
      nodes: Math.max(total.nodes + Math.min(1, deeper.nodes), deeper.nodes),
    };
  };

  const walked = walkSet(operation.selectionSet, root, '', { cost: 1, nodes: 1 }, sizes);
  let field: string | null = null;
  let most = 0;
  for (const [coordinate, count] of yields) if (count > most) [field, most] = [coordinate, count];
  return { cost: Math.ceil(walked.cost), nodes: walked.nodes, field };
}
