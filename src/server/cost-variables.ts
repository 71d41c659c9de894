import {
  getNamedType,
  getVariableValues,
  isInputObjectType,
  typeFromAST,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type VariableDefinitionNode,
} from 'graphql';

/** An operation's variable definitions, split by whether the cost model can read them. */
interface Split {
  readonly coerced: readonly VariableDefinitionNode[];
  /** The input objects: passed as sent, checked only by `inputsFit`. */
  readonly passed: readonly VariableDefinitionNode[];
}

const splits = new WeakMap<OperationDefinitionNode, Split>();

function splitOf(schema: GraphQLSchema, operation: OperationDefinitionNode): Split {
  let split = splits.get(operation);
  if (!split) {
    const coerced: VariableDefinitionNode[] = [];
    const passed: VariableDefinitionNode[] = [];
    for (const definition of operation.variableDefinitions ?? []) {
      const type = typeFromAST(schema, definition.type);
      (type && isInputObjectType(getNamedType(type)) ? passed : coerced).push(definition);
    }
    splits.set(operation, (split = { coerced, passed }));
  }
  return split;
}

/**
 * The variables a query's cost is counted with, or null when one the cost can read does not
 * fit its type (execution then refuses it, before anything runs). The cost model reads scalar
 * and enum arguments only (`first`, `key`, `asOf`, `every`, `trials`, `@skip(if:)`): those
 * variables go through graphql-js's coercion, so a default counts and `first: 2147483648` is
 * not an Int. An input object (a write's `input`) is never read there and passes as sent:
 * coercing a hundred status updates cost a bulk write about 3% of its CPU, and the executor
 * coerces them anyway. Before refusing a request, ask `inputsFit`.
 */
export function costVariables(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  sent: Readonly<Record<string, unknown>>,
): Record<string, unknown> | null {
  const split = splitOf(schema, operation);
  const { coerced } = getVariableValues(schema, split.coerced, sent, { maxErrors: 1 });
  if (!coerced) return null;
  for (const { variable } of split.passed) {
    const name = variable.name.value;
    if (Object.hasOwn(sent, name)) coerced[name] = sent[name];
  }
  return coerced;
}

/**
 * True when the cost model reads none of the operation's variables: it declares none, or only
 * input objects (a write's `input`), which the cost never reads. Its cost then follows the
 * document and the data alone.
 */
export function costReadsNoVariable(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
): boolean {
  return splitOf(schema, operation).coerced.length === 0;
}

/**
 * True when the input objects `costVariables` passed as sent fit their types. Asked only before
 * a request is refused (too complex, rate limited): one whose input does not fit is answered
 * BAD_USER_INPUT by execution instead, as a scalar that does not fit is, and charged nothing.
 */
export function inputsFit(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  sent: Readonly<Record<string, unknown>>,
): boolean {
  const { passed } = splitOf(schema, operation);
  return (
    passed.length === 0 ||
    getVariableValues(schema, passed, sent, { maxErrors: 1 }).coerced !== undefined
  );
}
