import {
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { Principal } from '../domain/access.js';
import { patchPlanOf, type PatchPlan } from './patch-plan.js';

/**
 * Which operations the kept answers (answer-cache.ts) may keep, and what their key is made of.
 * An answer is kept only when every field it selects is a pure function of the stamps the cache
 * reads (each named initiative's record and write counts): the fields below, with no clock, no
 * as-of and no paging.
 */
const PURE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Query: ['initiative'],
  Initiative: ['id', 'key', 'name', 'workstreams', 'progress'],
  Workstream: [
    'id',
    'name',
    'phase',
    'weight',
    'manualPercent',
    'position',
    'depth',
    'targetDate',
    'children',
    'progress',
  ],
  Progress: ['id', 'percent', 'credit', 'counted', 'total', 'byStatus'],
  StatusCount: ['status', 'label', 'count'],
};
/** Arguments of Query.initiative that keep an answer pure (asOf and knownAt read history). */
const PURE_INITIATIVE_ARGS = new Set(['key']);

/** What a document's shape says, once per parsed document. */
export interface Shape {
  /** The Query.initiative fields, whose `key` names what the answer is made from. */
  readonly initiativeFields: readonly FieldNode[];
  /** How a stale answer is brought up to date; null: it is made again. */
  readonly patch: PatchPlan | null;
}

export function shapeOf(schema: GraphQLSchema, document: DocumentNode): Shape | null {
  const typeInfo = new TypeInfo(schema);
  const initiativeFields: FieldNode[] = [];
  let pure = true;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      OperationDefinition(node: OperationDefinitionNode) {
        if (node.operation !== 'query') pure = false;
      },
      Field(node: FieldNode) {
        const parent = typeInfo.getParentType();
        const name = node.name.value;
        if (name === '__typename') return;
        if (!parent || !PURE_FIELDS[parent.name]?.includes(name)) {
          pure = false;
          return;
        }
        if (parent.name === 'Query') {
          if (node.arguments?.some((a) => !PURE_INITIATIVE_ARGS.has(a.name.value))) pure = false;
          initiativeFields.push(node);
        }
        if (node.directives?.length) pure = false; // @include/@skip: kept simple, not kept
      },
    }),
  );
  if (!pure || initiativeFields.length === 0) return null;
  return {
    initiativeFields,
    patch: initiativeFields.length === 1 ? patchPlanOf(schema, document) : null,
  };
}

/** What an answer may show depends on the caller's role and scope only. */
export function readerKey(principal: Principal): string {
  return principal.kind === 'anonymous'
    ? `anonymous:${principal.canRead}`
    : `token:${principal.role}:${principal.initiativeId ?? '*'}`;
}

/**
 * Variables as a key, or null when they cannot be one (nested past the stack's depth): such a
 * request is never kept, and execution answers it with the variable's own BAD_USER_INPUT.
 */
export function jsonOrNull(variables: Record<string, unknown>): string | null {
  try {
    return JSON.stringify(variables);
  } catch {
    return null;
  }
}

/** The initiatives' keys a query names, or null when a variable does not coerce to one. */
export function argumentKeys<T>(
  fields: readonly T[],
  keyOf: (field: T) => string,
): string[] | null {
  try {
    return fields.map(keyOf);
  } catch {
    return null;
  }
}
