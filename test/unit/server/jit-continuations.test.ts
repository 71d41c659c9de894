import { GraphQLInt, GraphQLList, GraphQLObjectType, GraphQLSchema, parse } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { describe, expect, it } from 'vitest';
import { guardJitContinuations } from '../../../src/server/jit-continuations.js';

class Row {
  constructor(readonly bad: boolean) {}
  get value(): number {
    if (this.bad) throw new Error('cannot read this row');
    return 1;
  }
}

// `value` has no resolver: graphql-jit reads the getter inline, where the parent arrived.
const RowType = new GraphQLObjectType({ name: 'Row', fields: { value: { type: GraphQLInt } } });
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      one: { type: RowType, resolve: async () => new Row(true) },
      many: {
        type: new GraphQLList(RowType),
        resolve: () => [Promise.resolve(new Row(false)), Promise.resolve(new Row(true))],
      },
    },
  }),
});

function run(query: string) {
  const plan = compileQuery(schema, parse(query));
  if (!isCompiledQuery(plan)) throw new Error('did not compile');
  return plan.query(undefined, {}, {}) as Promise<{ errors?: { message: string }[] }>;
}

/** A getter read by graphql-jit after its parent's promise settled, throwing. */
describe("a field that throws in graphql-jit's continuation", () => {
  guardJitContinuations();

  it('is an error of the answer, which still comes (a resolver returned a promise)', async () => {
    const answer = await run('{ one { value } }');
    expect(answer.errors?.map((e) => e.message)).toEqual(['cannot read this row']);
  });

  it('is an error of the answer in a list of promises too', async () => {
    const answer = await run('{ many { value } }');
    expect(answer.errors?.map((e) => e.message)).toEqual(['cannot read this row']);
  });

  it('is installed once however many executors are made', () => {
    guardJitContinuations();
    guardJitContinuations();
  });
});
