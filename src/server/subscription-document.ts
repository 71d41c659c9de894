import {
  getOperationAST,
  getVariableValues,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import { queryCost } from './cost-model.js';
import { LIMITS, limitRules } from './limits.js';
import { sizesProbe } from './list-sizes.js';

/** A subscribe's refusal: one error with its code, as graphql-ws sends it back. */
export const refuse = (message: string, code: string, more: Record<string, unknown> = {}) =>
  [new GraphQLError(message, { extensions: { code, ...more } })] as const;

/**
 * A subscribe's document, checked as HTTP checks a query's, before it counts against any limit
 * of its client: parsed with the token limit, validated with the depth and alias rules,
 * resolved to a single subscription, its variables coerced, and costed like a query. The cost
 * is returned, since the rate limit takes it from the same bucket as HTTP.
 */
export function checkSubscriptionDocument(
  schema: GraphQLSchema,
  payload: SubscribePayload,
): { refused: readonly GraphQLError[] } | { document: DocumentNode; cost: number } {
  let document: DocumentNode;
  try {
    document = parse(payload.query, { maxTokens: LIMITS.tokens });
  } catch (err) {
    return {
      refused: refuse(
        err instanceof GraphQLError ? err.message : '无法解析查询',
        'GRAPHQL_PARSE_FAILED',
      ),
    };
  }
  // The codes HTTP gives the same mistakes (Apollo's), so a client handles both alike.
  const invalid = validate(schema, document, [...specifiedRules, ...limitRules()]);
  if (invalid.length > 0)
    return {
      refused: invalid.map(
        (e) =>
          new GraphQLError(e.message, {
            nodes: e.nodes,
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
          }),
      ),
    };
  // Resolved as HTTP resolves it (Apollo's words and code): several operations and no
  // operationName is a refusal, not the first one.
  const operation = getOperationAST(document, payload.operationName ?? undefined);
  if (!operation)
    return {
      refused: refuse(
        payload.operationName
          ? `Unknown operation named "${payload.operationName}".`
          : 'Must provide operation name if query contains multiple operations.',
        'OPERATION_RESOLUTION_FAILURE',
      ),
    };
  if (operation.operation !== 'subscription')
    return {
      refused: refuse('WebSocket 上只接受 subscription；查询和修改请用 HTTP', 'BAD_REQUEST'),
    };
  // Variables that do not fit their types are the client's mistake (HTTP: 400
  // BAD_USER_INPUT), not an internal error of the subscription's resolver.
  const coerced = getVariableValues(
    schema,
    operation.variableDefinitions ?? [],
    payload.variables ?? {},
    { maxErrors: 10 },
  );
  if (coerced.errors)
    return {
      refused: coerced.errors.map(
        (e) =>
          new GraphQLError(e.message, {
            nodes: e.nodes,
            extensions: { code: 'BAD_USER_INPUT' },
          }),
      ),
    };
  const cost = queryCost(
    schema,
    document,
    coerced.coerced,
    payload.operationName ?? undefined,
    sizesProbe().sizes,
  );
  if (cost.cost > LIMITS.cost)
    return {
      refused: refuse(`查询代价 ${cost.cost} 超过上限 ${LIMITS.cost}`, 'QUERY_TOO_COMPLEX'),
    };
  return { document, cost: cost.cost };
}
