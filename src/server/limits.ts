import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import {
  GraphQLError,
  parse,
  visit,
  type DocumentNode,
  type GraphQLSchema,
  type ValidationContext,
} from 'graphql';
import type { Context } from '../graphql/context.type.js';
import { queryCost, type QueryCost } from './cost-model.js';
import { costReadsNoVariable, costVariables, inputsFit } from './cost-variables.js';
import { timeoutAnswer } from './timeout-answer.js';
import { listSizes, sizesProbe, type ListSizes } from './list-sizes.js';
import type { RateLimiter } from './rate-limiter.js';

/** Bounds on an answer's size, configurable (JINDU_MAX_NODES, JINDU_MAX_ANSWER_BYTES). */
export interface AnswerLimits {
  readonly maxNodes: number;
  readonly maxBytes: number;
}

/** The API's limits (quality bar R1), drawn from GitHub's, GitLab's and common hardening defaults. */
export const LIMITS = Object.freeze({ depth: 15, aliases: 15, tokens: 1_000, cost: 10_000 });

/**
 * Validation rules Apollo runs on every new document: depth (fields, not fragments) and
 * aliases. The rules report through the validation context: thrown, their errors would reach
 * Apollo as unexpected and become a 500.
 */
export function limitRules() {
  const report = {
    propagateOnRejection: false,
    onReject: [
      // graphql-armor words its refusals "Syntax Error: Query depth limit…": they are
      // validation errors of a well-formed query, and said as such.
      (ctx: ValidationContext | null, err: GraphQLError) =>
        ctx?.reportError(
          new GraphQLError(err.message.replace(/^Syntax Error: /, ''), {
            nodes: err.nodes,
            extensions: err.extensions,
          }),
        ),
    ],
  };
  return [
    maxDepthRule({
      n: LIMITS.depth,
      exposeLimits: true,
      ignoreIntrospection: true,
      flattenFragments: true,
      ...report,
    }),
    maxAliasesRule({ n: LIMITS.aliases, exposeLimits: true, ...report }),
  ];
}

/** True past the cost or the node limit. */
const overLimits = (cost: QueryCost, maxNodes: number): boolean =>
  cost.cost > LIMITS.cost || cost.nodes > maxNodes;

/** QUERY_TOO_COMPLEX past the cost or the node limit, naming the field that yields the most. */
function refuseOverLimits(cost: QueryCost, maxNodes: number): void {
  const field = cost.field ?? undefined;
  if (cost.cost > LIMITS.cost)
    reject(
      `查询代价 ${cost.cost} 超过上限 ${LIMITS.cost}${field ? `（主要来自 ${field}）` : ''}`,
      'QUERY_TOO_COMPLEX',
      400,
      { cost: cost.cost, limit: LIMITS.cost, nodes: cost.nodes, field },
    );
  if (cost.nodes > maxNodes)
    reject(
      `查询最多可返回 ${cost.nodes} 个值，超过上限 ${maxNodes}${field ? `（主要来自 ${field}，请分页或缩小选择）` : ''}`,
      'QUERY_TOO_COMPLEX',
      400,
      { cost: cost.cost, nodes: cost.nodes, limit: maxNodes, field },
    );
}

function reject(
  message: string,
  code: string,
  status: number,
  extra: Record<string, unknown> = {},
  headers?: HeaderMap,
): never {
  // Apollo reads extensions.http for the response status and headers (a HeaderMap at run time).
  const http = { status, ...(headers ? { headers } : {}) } as unknown as { status: number };
  throw new GraphQLError(message, { extensions: { code, ...extra, http } });
}

/**
 * Refuses a document of more than 1,000 tokens before anything parses it for real (graphql's
 * parser stops counting at the limit). Called by the HTTP layer: Apollo turns errors thrown
 * from its source hook into a 500.
 */
export function tokenLimitError(query: unknown): string | null {
  if (typeof query !== 'string' || query.length <= LIMITS.tokens) return null; // fewer characters than tokens
  try {
    parse(query, { maxTokens: LIMITS.tokens });
  } catch (err) {
    if (err instanceof GraphQLError && /tokens/i.test(err.message))
      return `查询超过 ${LIMITS.tokens} 个记号`;
  }
  return null;
}

/**
 * The serialized answer, or QUERY_TOO_COMPLEX in its place when it is longer than the limit
 * (the node limit keeps answers near it rare: long texts are what can still get there).
 */
export function boundedAnswer(body: string, maxBytes: number): string {
  // Characters are at most 3 bytes in UTF-8 (a surrogate pair: 4 for 2): count only when close.
  if (body.length * 3 <= maxBytes) return body;
  const bytes = Buffer.byteLength(body);
  if (bytes <= maxBytes) return body;
  return JSON.stringify({
    errors: [
      {
        message: `答案有 ${bytes} 字节，超过上限 ${maxBytes}；请分页或缩小选择`,
        extensions: { code: 'QUERY_TOO_COMPLEX', bytes, limit: maxBytes },
      },
    ],
  });
}

/** True when a string literal of the document holds U+0000 (written as an escape in the query). */
function hasNul(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    StringValue(node) {
      if (node.value.includes('\u0000')) found = true;
    },
  });
  return found;
}

/** What is known of a parsed document for good (Apollo hands back the same object for the same text). */
interface DocumentFacts {
  readonly hasNul: boolean;
  /**
   * The cost of its operations whose cost reads no variable and no list size (`{ __typename }`,
   * a page by id, a query with its arguments written in, a write taking its `input`), by
   * operation name: the same on every request, so it is worked out once.
   */
  readonly fixedCosts: Map<string, QueryCost>;
}

/** Checks each operation before it runs: anonymous writes, query cost, the client's rate. */
export function limitsPlugin(
  schema: GraphQLSchema,
  limiter: RateLimiter,
  answer: AnswerLimits,
): ApolloServerPlugin<Context> {
  const facts = new WeakMap<DocumentNode, DocumentFacts>();
  const factsOf = (document: DocumentNode): DocumentFacts => {
    let known = facts.get(document);
    if (!known) facts.set(document, (known = { hasNul: hasNul(document), fixedCosts: new Map() }));
    return known;
  };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation, contextValue }) {
          const known = factsOf(document);
          if (known.hasNul) reject('查询不能包含 NUL 字符（U+0000）', 'BAD_REQUEST', 400);
          if (operation?.operation === 'subscription')
            reject('订阅请通过 WebSocket（graphql-ws 协议）连接 /graphql', 'BAD_REQUEST', 400);
          // No operation (an unknown operationName): Apollo answers 400 right after this hook.
          if (
            operation &&
            operation.operation !== 'query' &&
            contextValue.principal.kind === 'anonymous'
          ) {
            reject(
              '修改数据需要 API 令牌（Authorization: Bearer …）',
              'UNAUTHENTICATED',
              401,
              {},
              new HeaderMap([['www-authenticate', 'Bearer']]),
            );
          }
          // Costed with the variables the cost reads, as execution will see them
          // (cost-variables.ts). Ones that do not fit their types are refused as it starts
          // (BAD_USER_INPUT) and nothing runs: first: 2147483648 is not an Int, not a query too
          // complex. A write's input object is checked only before a refusal, so that it too is
          // BAD_USER_INPUT rather than a refusal; within the limits it is charged like any request.
          const sent = request.variables ?? {};
          const refusable = () => !operation || inputsFit(schema, operation, sent);
          const fixed =
            operation && costReadsNoVariable(schema, operation) ? known.fixedCosts : undefined;
          const name = request.operationName ?? '';
          let cost = fixed?.get(name);
          if (!cost) {
            const coerced = operation ? costVariables(schema, operation, sent) : sent;
            if (!coerced) return;
            const costWith = (sizes: ListSizes) =>
              queryCost(schema, document, coerced, request.operationName ?? undefined, sizes);
            // Most documents (`{ __typename }`, pages, mutations) cost the same whatever the
            // data: charged with sizes that no list read, they need no entity manager and no
            // statement.
            const probe = sizesProbe();
            cost = costWith(probe.sizes);
            if (probe.touched()) cost = costWith(await listSizes(contextValue.em));
            else fixed?.set(name, cost);
          }
          if (overLimits(cost, answer.maxNodes)) {
            if (!refusable()) return;
            refuseOverLimits(cost, answer.maxNodes);
          }
          const wait = limiter.take(contextValue.clientKey, Math.max(1, cost.cost));
          if (wait > 0 && refusable()) {
            reject(
              `请求过于频繁，请 ${wait} 秒后重试`,
              'RATE_LIMITED',
              429,
              { retryAfter: wait },
              new HeaderMap([['retry-after', String(wait)]]),
            );
          }
        },
        async willSendResponse({ response }) {
          timeoutAnswer(response);
        },
      };
    },
  };
}
