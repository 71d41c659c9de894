import {
  GraphQLError,
  isNonNullType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

/**
 * BAD_USER_INPUT for a null sent in a variable that feeds a non-null argument with a default
 * (`items(first: $f)` with `$f: Int` and `{"f": null}`). GraphQL allows the nullable variable
 * there, and graphql-js then fails the field with an error of no code, which surfaced as
 * INTERNAL_SERVER_ERROR; refusing it before execution gives the client the reason.
 */
export function nullArgumentErrors(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): GraphQLError[] {
  const nulls = new Set(
    (operation.variableDefinitions ?? [])
      .filter((d) => {
        const name = d.variable.name.value;
        return Object.hasOwn(variables, name)
          ? variables[name] === null
          : d.defaultValue?.kind === Kind.NULL;
      })
      .map((d) => d.variable.name.value),
  );
  if (nulls.size === 0) return [];
  const errors: GraphQLError[] = [];
  const typeInfo = new TypeInfo(schema);
  const check = (node: DocumentNode | OperationDefinitionNode) =>
    visit(
      node,
      visitWithTypeInfo(typeInfo, {
        Argument(arg) {
          const type = typeInfo.getArgument()?.type;
          if (arg.value.kind !== Kind.VARIABLE || !type || !isNonNullType(type)) return;
          const name = arg.value.name.value;
          if (!nulls.has(name)) return;
          nulls.delete(name); // one error per variable
          errors.push(
            new GraphQLError(`变量 $${name} 不能为 null：参数 ${arg.name.value} 需要一个值`, {
              nodes: arg,
              extensions: { code: 'BAD_USER_INPUT', argument: arg.name.value },
            }),
          );
        },
      }),
    );
  check(operation);
  // Fragments the operation spreads use its variables too.
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) check(definition as never);
  return errors;
}
