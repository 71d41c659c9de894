import type { ApolloServerOptionsWithGateway } from '@apollo/server';
import {
  execute,
  getNamedType,
  getVariableValues,
  isAbstractType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  printSchema,
  type OperationDefinitionNode,
  type DocumentNode,
  type ExecutionResult,
  type FormattedExecutionResult,
  GraphQLError,
  type GraphQLSchema,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { Context } from '../graphql/context.type.js';
import { compared, mismatch } from './compare-executors.js';
import { liftLiterals, type Lifted } from './lift-literals.js';
import { nullArgumentErrors } from './null-arguments.js';

/**
 * How operations run. `jit`: queries through graphql-jit (compiled once per document, with a
 * serializer generated from the query), mutations and any query answer with errors through
 * graphql-js; `graphql-js`: everything through graphql-js; `compare`: as `jit`, and each query
 * is also run through graphql-js and the two answers, errors included, must be identical
 * (compare-executors.ts; the test suite runs this way).
 */
export type ExecutorMode = 'jit' | 'graphql-js' | 'compare';
export const EXECUTOR_MODES: readonly ExecutorMode[] = ['jit', 'graphql-js', 'compare'];

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

interface Compiled {
  readonly query: CompiledQuery;
  /** Null when the query selects an interface: graphql-jit's serializer may reorder its fields. */
  readonly serializer: ((value: unknown) => string) | null;
}

/** True when some selected field's type is an interface or union (Query.node, say). */
function selectsAbstractType(schema: GraphQLSchema, document: DocumentNode): boolean {
  const typeInfo = new TypeInfo(schema);
  let found = false;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field() {
        const type = typeInfo.getType();
        if (type && isAbstractType(getNamedType(type))) found = true;
      },
    }),
  );
  return found;
}

export interface Executor {
  readonly gateway: Gateway;
  readonly stringifyResult: (value: FormattedExecutionResult) => string;
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
  // Compiled once per parsed document: Apollo keeps parsed documents in its document store, so
  // the same query text comes back as the same object. A document with literal arguments is
  // compiled once per lifted text instead (lift-literals.ts), shared by the documents that
  // differ only in those literals.
  const compiled = new WeakMap<DocumentNode, Map<string, Compiled | null>>();
  const liftedPlans = new Map<string, Compiled | null>();
  const lifts = new WeakMap<DocumentNode, Map<string, Lifted | null>>();
  // The serializer of each answer's data, so the HTTP layer writes it without JSON.stringify.
  const serializers = new WeakMap<object, (value: unknown) => string>();

  const compile = (document: DocumentNode, operationName: string | undefined) => {
    const result = compileQuery(schema, document, operationName, {
      customJSONSerializer: true,
      disablingCapturingStackErrors: true,
    });
    return isCompiledQuery(result)
      ? {
          query: result,
          serializer: selectsAbstractType(schema, document) ? null : result.stringify,
        }
      : null;
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
  ): Compiled | null => {
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
      const compiledResult = (await plan.query.query(
        undefined,
        context,
        lifted ? { ...variables, ...lifted.values } : variables,
      )) as Executed;
      // An answer with errors comes from graphql-js: when a failure nulls a parent, graphql-jit
      // may list more of the sibling errors than graphql-js does. Queries have no side effects,
      // so running one again is safe; it costs time only on the error path.
      return compiledResult.errors
        ? { result: await reference(document, variables, context, operationName), serialize: null }
        : { result: compiledResult, serialize: plan.serializer };
    };
    const { result, serialize } =
      mode === 'compare'
        ? await compared(answer, () => reference(document, variables, context, operationName))
        : await answer();
    if (mode === 'compare' && serialize && serialize(result) !== JSON.stringify(result))
      mismatch(
        `the compiled serializer and JSON.stringify disagree on ${JSON.stringify(result).slice(0, 500)} vs ${serialize(result).slice(0, 500)}`,
      );
    if (serialize && result.data) serializers.set(result.data, serialize);
    return result;
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
    plan: Compiled,
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
    const result = (await plan.query.query(
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
    if (plan.serializer && result.data) {
      if (mode === 'compare' && plan.serializer(result) !== JSON.stringify(result))
        mismatch(`the compiled serializer and JSON.stringify disagree on a mutation's answer`);
      serializers.set(result.data, plan.serializer);
    }
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

  return {
    gateway,
    run,
    stringifyResult(value) {
      const serialize = value.data && !value.errors ? serializers.get(value.data) : undefined;
      return serialize ? serialize(value) : JSON.stringify(value);
    },
  };
}
