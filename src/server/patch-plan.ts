import {
  getNamedType,
  GraphQLSchema,
  isObjectType,
  Kind,
  parse,
  print,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type SelectionSetNode,
} from 'graphql';

/** How a kept answer's progress values are rendered again (answer-patch.ts). */
export interface PatchPlan {
  /** The `progress` selection, run with the Progress view as the root value. */
  readonly document: DocumentNode;
  readonly schema: GraphQLSchema;
}

const progressSchemas = new WeakMap<GraphQLSchema, GraphQLSchema>();

/** A schema whose query root is Progress, sharing the real schema's types and resolvers. */
function progressSchema(schema: GraphQLSchema): GraphQLSchema | null {
  let mini = progressSchemas.get(schema);
  if (!mini) {
    const progress = schema.getType('Progress');
    if (!isObjectType(progress)) return null;
    progressSchemas.set(schema, (mini = new GraphQLSchema({ query: progress })));
  }
  return mini;
}

/**
 * The plan for a document, or null when its answers are not patched: one operation, no
 * fragments, no variables under `progress`; the initiative selects only `workstreams`; every
 * Workstream selection has `id` and `progress` under their own names (nothing else answers
 * under those names), with one and the same `progress` selection everywhere.
 */
export function patchPlanOf(schema: GraphQLSchema, document: DocumentNode): PatchPlan | null {
  if (document.definitions.length !== 1) return null;
  const typeInfo = new TypeInfo(schema);
  let ok = true;
  let progress: string | undefined;
  const checkSet = (parent: string, set: SelectionSetNode) => {
    const fields = set.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD);
    if (fields.length !== set.selections.length) return void (ok = false);
    const answered = (key: string) => fields.filter((f) => (f.alias ?? f.name).value === key);
    if (parent === 'Initiative') {
      if (fields.some((f) => !['workstreams', '__typename'].includes(f.name.value))) ok = false;
    } else if (parent === 'Workstream') {
      const id = answered('id');
      const prog = answered('progress');
      if (id.length !== 1 || id[0]!.name.value !== 'id') ok = false;
      if (prog.length !== 1 || prog[0]!.name.value !== 'progress') return void (ok = false);
      const text = print(prog[0]!.selectionSet!);
      if (progress === undefined) progress = text;
      else if (progress !== text) ok = false;
    }
  };
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      FragmentSpread: () => void (ok = false),
      InlineFragment: () => void (ok = false),
      Field(node: FieldNode) {
        const type = getNamedType(typeInfo.getType());
        if (node.selectionSet && type) checkSet(type.name, node.selectionSet);
        if (typeInfo.getParentType()?.name === 'Workstream' && node.name.value === 'progress') {
          // Variables would need the operation's definitions: such answers are made afresh.
          visit(node, { Variable: () => void (ok = false) });
        }
      },
    }),
  );
  const mini = progressSchema(schema);
  if (!ok || progress === undefined || !mini) return null;
  return { document: parse(`query ${progress}`), schema: mini };
}
