import type { ApolloServerOptionsWithGateway } from '@apollo/server';
import {
  execute,
  getVariableValues,
  Kind,
  printSchema,
  type OperationDefinitionNode,
  type DocumentNode,
  type ExecutionResult,
  GraphQLError,
  type GraphQLSchema,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { ExecutorMode } from '../config.js';
import type { Context } from '../graphql/context.type.js';
import { compared, mismatch } from './compare-executors.js';
import { guardJitContinuations } from './jit-continuations.js';
import { liftLiterals, type Lifted } from './lift-literals.js';
import { nullArgumentErrors } from './null-arguments.js';

type Gateway = ApolloServerOptionsWithGateway<Context>['gateway'];
type Executed = ExecutionResult<Record<string, unknown>>;

/**
 * A graphql-jit error as graphql-js would have made it. graphql-jit leaves `extensions` unset
 * when the error it wraps has none (a database outage, a bug), and Apollo, which reads
 * `extensions.code` of every error, then failed while formatting it: the answer lost its path
 * and code and went out as a bare "Internal server error" with HTTP 200 instead of
 * DATABASE_UNAVAILABLE with 503.
 */
function asGraphqlJsError(error: GraphQLError): GraphQLError {
  const made = new GraphQLError(error.message, {
    path: error.path,
    originalError: error.originalError ?? undefined,
    extensions: error.extensions,
  });
  // graphql-js works locations out from AST nodes, which graphql-jit no longer holds.
  (made as { locations?: unknown }).locations = error.locations;
  return made;
}

export interface Executor {
  readonly gateway: Gateway;
  /** Runs one operation as the server would (for the contract tests). */
  run(
    document: DocumentNode,
    variables: Record<string, unknown>,
    context: Context,
    operationName?: string,
  ): Promise<Executed>;
}

/** Compiled plans kept for lifted documents (by their text), least recently used out first. */
const MAX_LIFTED_PLANS = 256;

export function createExecutor(schema: GraphQLSchema, mode: ExecutorMode): Executor {
  guardJitContinuations();
  // Compiled once per parsed document: Apollo keeps parsed documents in its document store, so
  // the same query text comes back as the same object. A document with literal arguments is
  // compiled once per lifted text instead (lift-literals.ts), shared by the documents that
  // differ only in those literals.
  const compiled = new WeakMap<DocumentNode, Map<string, CompiledQuery | null>>();
  const liftedPlans = new Map<string, CompiledQuery | null>();
  const lifts = new WeakMap<DocumentNode, Map<string, Lifted | null>>();

  /**
   * Answers are written with JSON.stringify, not with the serializer graphql-jit can generate
   * (`customJSONSerializer`): that one builds an answer by concatenating small strings, and on a
   * 10,000-workstream dashboard (a 3 MB answer with Chinese names) building it took about 23 ms
   * and flattening it into one string as the response was written another 24 ms, most of the
   * dashboard's CPU. JSON.stringify writes one flat string (README, S3 cold).
   */
  const compile = (document: DocumentNode, operationName: string | undefined) => {
    const result = compileQuery(schema, document, operationName, {
      disablingCapturingStackErrors: true,
    });
    return isCompiledQuery(result) ? result : null;
  };

  const liftedFor = (
    document: DocumentNode,
    operation: OperationDefinitionNode,
    operationName: string | undefined,
  ): Lifted | null => {
    let byName = lifts.get(document);
    if (!byName) lifts.set(document, (byName = new Map()));
    const key = operationName ?? '';
    if (!byName.has(key)) byName.set(key, liftLiterals(schema, document, operation));
    return byName.get(key)!;
  };

  const compiledFor = (
    document: DocumentNode,
    operationName: string | undefined,
    lifted: Lifted | null,
  ): CompiledQuery | null => {
    if (lifted) {
      const key = `${operationName ?? ''}\0${lifted.key}`;
      let plan = liftedPlans.get(key);
      if (plan === undefined) plan = compile(lifted.document, operationName);
      liftedPlans.delete(key); // re-inserted last: the map's order is least recently used first
      liftedPlans.set(key, plan);
      if (liftedPlans.size > MAX_LIFTED_PLANS) liftedPlans.delete(liftedPlans.keys().next().value!);
      return plan;
    }
    let byName = compiled.get(document);
    if (!byName) compiled.set(document, (byName = new Map()));
    const key = operationName ?? '';
    if (!byName.has(key)) byName.set(key, compile(document, operationName));
    return byName.get(key) ?? null;
  };

  /** graphql-js's coercion of an operation's variables, whose error messages clients know. */
  const coerceVariables = (
    operation: OperationDefinitionNode,
    variables: Record<string, unknown>,
  ) => getVariableValues(schema, operation.variableDefinitions ?? [], variables, { maxErrors: 50 });

  const reference = (
    document: DocumentNode,
    variables: Record<string, unknown>,
    context: Context,
    operationName: string | undefined,
  ) =>
    execute({
      schema,
      document,
      contextValue: context,
      variableValues: variables,
      operationName,
    }) as Promise<Executed> | Executed;

  async function run(
    document: DocumentNode,
    variables: Record<string, unknown>,
    context: Context,
    operationName?: string,
  ): Promise<Executed> {
    const operation = document.definitions.find(
      (d): d is OperationDefinitionNode =>
        d.kind === Kind.OPERATION_DEFINITION &&
        (operationName === undefined || d.name?.value === operationName),
    );
    const nullArguments = operation
      ? nullArgumentErrors(schema, document, operation, variables)
      : [];
    if (nullArguments.length > 0) return { errors: nullArguments };
    const kind = operation?.operation;
    if (mode === 'graphql-js' || !operation || (kind !== 'query' && kind !== 'mutation'))
      return reference(document, variables, context, operationName);
    const lifted = liftedFor(document, operation, operationName);
    const plan = compiledFor(document, operationName, lifted);
    if (!plan) return reference(document, variables, context, operationName);
    if (kind === 'mutation')
      return runMutation(plan, operation, document, variables, context, lifted, operationName);
    // Variables are checked by graphql-js, whose messages clients already know (graphql-jit
    // words them differently); valid ones go to the compiled query as the client sent them.
    const coerced = coerceVariables(operation, variables);
    if (coerced.errors) return { errors: coerced.errors };
    const answer = async () => {
      const compiledResult = (await plan.query(
        undefined,
        context,
        lifted ? { ...variables, ...lifted.values } : variables,
      )) as Executed;
      // An answer with errors comes from graphql-js: when a failure nulls a parent, graphql-jit
      // may list more of the sibling errors than graphql-js does. Queries have no side effects,
      // so running one again is safe; it costs time only on the error path.
      return compiledResult.errors
        ? reference(document, variables, context, operationName)
        : compiledResult;
    };
    return mode === 'compare'
      ? compared(answer, () => reference(document, variables, context, operationName))
      : answer();
  }

  /**
   * A mutation through its compiled plan. Unlike a query it cannot run twice, so nothing is
   * compared after the fact: graphql-jit coerces the variables itself (in a bulk write, a
   * hundred input objects cost graphql-js several times more), and only when it refuses them
   * does graphql-js word the errors, before anything has run. An error while executing is
   * rebuilt as graphql-js would have made it (`asGraphqlJsError`);
   * test/integration/executor-mutations.test.ts holds the answers to graphql-js's.
   */
  async function runMutation(
    plan: CompiledQuery,
    operation: OperationDefinitionNode,
    document: DocumentNode,
    variables: Record<string, unknown>,
    context: Context,
    lifted: Lifted | null,
    operationName: string | undefined,
  ): Promise<Executed> {
    // Compare mode: whatever graphql-js refuses, graphql-jit must refuse too, before the
    // mutation runs. The other way is harmless and happens: graphql-jit refuses an input object
    // that leaves out a field whose default is an enum (it coerces the default as if a client had
    // sent it), and graphql-js then runs the mutation.
    const expected = mode === 'compare' ? coerceVariables(operation, variables) : null;
    const result = (await plan.query(
      undefined,
      context,
      lifted ? { ...variables, ...lifted.values } : variables,
    )) as Executed;
    const refused = result.errors !== undefined && !('data' in result);
    if (expected?.errors && !refused)
      mismatch(
        `graphql-jit accepted variables graphql-js refuses: ${JSON.stringify(variables).slice(0, 500)}`,
      );
    if (refused) {
      const coerced = expected ?? coerceVariables(operation, variables);
      if (coerced.errors) return { errors: coerced.errors };
      return reference(document, variables, context, operationName);
    }
    // Errors first, as graphql-js orders its answers (graphql-jit puts data first).
    if (result.errors) return { errors: result.errors.map(asGraphqlJsError), data: result.data };
    return result;
  }

  const gateway: Gateway = {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => {};
    },
    async load() {
      return {
        executor: (request) =>
          run(
            request.document,
            request.request.variables ?? {},
            request.context as Context,
            request.request.operationName ?? undefined,
          ),
      };
    },
    async stop() {},
  };

  return { gateway, run };
}
