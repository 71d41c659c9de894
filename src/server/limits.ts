import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import {
  GraphQLError,
  Kind,
  parse,
  visit,
  type DocumentNode,
  type GraphQLSchema,
  type ValidationContext,
} from 'graphql';
// Loaded through require: its ESM build imports graphql/index.mjs, a second copy of graphql
// beside the index.js that Apollo and type-graphql load, and schema checks fail across the two.
import type { ComplexityEstimator } from 'graphql-query-complexity';
import { createRequire } from 'node:module';

const { getComplexity, simpleEstimator } = createRequire(import.meta.url)(
  'graphql-query-complexity',
) as typeof import('graphql-query-complexity');
import type { Context } from '../graphql/context.type.js';
import type { RateLimiter } from './rate-limiter.js';

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
    onReject: [(ctx: ValidationContext | null, err: GraphQLError) => ctx?.reportError(err)],
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

/** A paged field costs its page size times its selection; every other field 1 plus its selection. */
const pagedEstimator: ComplexityEstimator = ({ args, childComplexity }) =>
  typeof args.first === 'number' ? 1 + Math.max(0, args.first) * childComplexity : undefined;

/** The cost of an operation with its variables (a `first` passed as a variable counts). */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
): number {
  return getComplexity({
    schema,
    query: document,
    variables: variables ?? {},
    operationName,
    estimators: [pagedEstimator, simpleEstimator({ defaultComplexity: 1 })],
  });
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

/** True when a string literal of the document holds U+0000 (written as an escape in the query). */
/**
 * True when a variable can change the document's cost: only a page size (`first`) given as a
 * variable does (see pagedEstimator); every other variable leaves the cost as written.
 */
function costDependsOnVariables(document: DocumentNode): boolean {
  let depends = false;
  visit(document, {
    Argument(node) {
      if (node.name.value === 'first' && node.value.kind !== Kind.INT) depends = true;
    },
  });
  return depends;
}

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
  readonly variableCost: boolean;
  /** Cost per operation name, when no variable can change it. */
  readonly fixedCost: Map<string, number>;
}

/** Checks each operation before it runs: anonymous writes, query cost, the client's rate. */
export function limitsPlugin(
  schema: GraphQLSchema,
  limiter: RateLimiter,
): ApolloServerPlugin<Context> {
  const facts = new WeakMap<DocumentNode, DocumentFacts>();
  const factsOf = (document: DocumentNode): DocumentFacts => {
    let known = facts.get(document);
    if (!known)
      facts.set(
        document,
        (known = {
          hasNul: hasNul(document),
          variableCost: costDependsOnVariables(document),
          fixedCost: new Map(),
        }),
      );
    return known;
  };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation, contextValue }) {
          const known = factsOf(document);
          if (known.hasNul) reject('查询不能包含 NUL 字符（U+0000）', 'BAD_REQUEST', 400);
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
          const name = request.operationName ?? '';
          let cost = known.fixedCost.get(name);
          if (cost === undefined) {
            try {
              cost = operationCost(
                schema,
                document,
                request.variables,
                request.operationName ?? undefined,
              );
            } catch {
              return; // variables that do not coerce: execution reports them as BAD_USER_INPUT
            }
            if (!known.variableCost) known.fixedCost.set(name, cost);
          }
          if (cost > LIMITS.cost) {
            reject(`查询代价 ${cost} 超过上限 ${LIMITS.cost}`, 'QUERY_TOO_COMPLEX', 400, {
              cost,
              limit: LIMITS.cost,
            });
          }
          const wait = limiter.take(contextValue.clientKey, Math.max(1, cost));
          if (wait > 0) {
            reject(
              `请求过于频繁，请 ${wait} 秒后重试`,
              'RATE_LIMITED',
              429,
              { retryAfter: wait },
              new HeaderMap([['retry-after', String(wait)]]),
            );
          }
        },
      };
    },
  };
}
