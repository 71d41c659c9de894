import { isDeepStrictEqual } from 'node:util';
import {
  coerceInputValue,
  Kind,
  parseType,
  print,
  TypeInfo,
  valueFromAST,
  valueFromASTUntyped,
  visit,
  visitWithTypeInfo,
  type ArgumentNode,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValueNode,
  type VariableDefinitionNode,
} from 'graphql';

/**
 * A query with its field arguments' literal values lifted into variables, so that queries that
 * differ only in those values (`initiative(key: "hive", asOf: "2023-05-13T…")` at another time,
 * another key) share one compiled plan: `key` is the same for all of them, `values` are this
 * one's. graphql-jit bakes literal arguments into the code it generates, so without this every
 * new time asked for compiled the whole query again and ran it as new, unoptimized code.
 */
export interface Lifted {
  readonly document: DocumentNode;
  /** The lifted document's text: equal for documents that differ only in lifted values. */
  readonly key: string;
  /** The lifted values, as a client would have sent them in `variables`. */
  readonly values: Record<string, unknown>;
}

/** Names the lifted variables take; a document that already uses such a name is not lifted. */
const PREFIX = '_lit';

function hasVariable(value: ValueNode): boolean {
  switch (value.kind) {
    case Kind.VARIABLE:
      return true;
    case Kind.LIST:
      return value.values.some(hasVariable);
    case Kind.OBJECT:
      return value.fields.some((f) => hasVariable(f.value));
    default:
      return false;
  }
}

/**
 * The external value of a literal when sending it as a variable means exactly the same thing:
 * parsed as a literal (parseLiteral) and coerced as a value (parseValue) it gives equal results.
 * Anything else (a null, a value with variables inside, a scalar whose two parsings differ, an
 * input object, whose two coercions build objects of different prototypes) stays a literal.
 */
function liftable(node: ValueNode, type: GraphQLInputType): { value: unknown } | null {
  if (node.kind === Kind.NULL || node.kind === Kind.OBJECT || hasVariable(node)) return null;
  const literal = valueFromAST(node, type);
  if (literal === undefined) return null;
  const value = valueFromASTUntyped(node);
  try {
    return isDeepStrictEqual(coerceInputValue(value, type), literal) ? { value } : null;
  } catch {
    return null;
  }
}

/**
 * The document with the operation's field arguments lifted (directive arguments stay: they
 * decide what is compiled at all), or null when nothing was lifted.
 */
export function liftLiterals(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): Lifted | null {
  if (operation.variableDefinitions?.some((d) => d.variable.name.value.startsWith(PREFIX)))
    return null;
  const values: Record<string, unknown> = {};
  const definitions: VariableDefinitionNode[] = [];
  const typeInfo = new TypeInfo(schema);
  const lift = (node: OperationDefinitionNode | DocumentNode) =>
    visit(
      node,
      visitWithTypeInfo(typeInfo, {
        Argument(arg: ArgumentNode) {
          const type = typeInfo.getArgument()?.type;
          if (!type || typeInfo.getDirective()) return undefined;
          const found = liftable(arg.value, type);
          if (!found) return undefined;
          const name = `${PREFIX}${definitions.length}`;
          const variable = { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: name } } as const;
          definitions.push({
            kind: Kind.VARIABLE_DEFINITION,
            variable,
            type: parseType(String(type), { noLocation: true }),
          });
          values[name] = found.value;
          return { ...arg, value: variable };
        },
      }),
    );
  // Fragments first, then the operation: variables are numbered in that order every time.
  const others = document.definitions.map((d) =>
    d === operation || d.kind !== Kind.FRAGMENT_DEFINITION ? d : lift(d as never),
  ) as DocumentNode['definitions'];
  const lifted = lift(operation) as OperationDefinitionNode;
  if (definitions.length === 0) return null;
  const liftedDocument: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: others.map((d) =>
      d === operation
        ? {
            ...lifted,
            variableDefinitions: [...(operation.variableDefinitions ?? []), ...definitions],
          }
        : d,
    ),
  };
  return { document: liftedDocument, key: print(liftedDocument), values };
}
