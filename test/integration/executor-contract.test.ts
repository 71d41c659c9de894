import { readFileSync } from 'node:fs';
import {
  buildSchema,
  parse,
  validate,
  type DocumentNode,
  type OperationDefinitionNode,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { week20Seed } from '../../seeds/week-20.seed.js';
import { actorName } from '../../src/domain/access.js';
import type { Context } from '../../src/graphql/context.type.js';
import { createLoaders } from '../../src/graphql/loaders.js';
import { jinduSchema } from '../../src/graphql/schema.js';
import { comparable, createExecutor, ExecutorMismatch } from '../../src/server/executor.js';
import { loadSeed } from '../../src/services/load-seed.js';
import { createTestApp, silentLog, TEST_ADMIN, type TestApp } from '../helpers/test-app.js';

/**
 * graphql-jit serves queries; graphql-js is the reference. Every other test runs its queries in
 * `compare` mode (both executors, identical answers or the request fails); this file adds the
 * example operations and error paths run side by side here, and shows the comparison can fail.
 */
const examples = parse(readFileSync('schema/examples.graphql', 'utf8'));
const exampleQueries = examples.definitions.filter(
  (d): d is OperationDefinitionNode => d.kind === 'OperationDefinition' && d.operation === 'query',
);

describe('graphql-jit answers as graphql-js does', () => {
  let app: TestApp;
  let itemsWorkstream: string;
  const schema = jinduSchema();

  const context = (): Context => {
    const em = app.em();
    return {
      em,
      loaders: createLoaders(em),
      principal: TEST_ADMIN,
      actor: actorName(TEST_ADMIN),
      clientKey: 'test',
      log: silentLog,
    };
  };

  /** The same operation through both executors: same data, same errors, same bytes. */
  async function sideBySide(
    document: DocumentNode,
    variables: Record<string, unknown> = {},
    operationName?: string,
  ) {
    expect(validate(await schema, document)).toEqual([]); // Apollo validates before executing
    const reference = createExecutor(await schema, 'graphql-js');
    const jit = createExecutor(await schema, 'jit');
    const expected = await reference.run(document, variables, context(), operationName);
    const actual = await jit.run(document, variables, context(), operationName);
    expect(JSON.stringify(comparable(actual))).toBe(JSON.stringify(comparable(expected)));
    const formatted = { data: actual.data, errors: actual.errors };
    expect(jit.stringifyResult(formatted as never)).toBe(JSON.stringify(formatted));
    return expected;
  }

  beforeAll(async () => {
    app = await createTestApp('sqlite');
    await loadSeed({ em: app.em(), initiatives: week20Seed });
    const tree = await app.ok(
      '{ initiative(key: "hive") { workstreams { children { id progress { total } } } } }',
    );
    itemsWorkstream = tree.initiative.workstreams
      .flatMap((w: { children: { id: string; progress: { total: number } }[] }) => w.children)
      .find((c: { progress: { total: number } }) => c.progress.total > 20).id;
  });
  afterAll(() => app.close());

  it('finds the example queries', () => {
    expect(exampleQueries.map((q) => q.name?.value)).toEqual([
      'HiveRollup',
      'Initiatives',
      'InProgressItems',
      'FindItems',
    ]);
  });

  it.each(exampleQueries.map((q) => q.name!.value))('example %s', async (name) => {
    const result = await sideBySide(examples, { workstreamId: itemsWorkstream }, name);
    expect(result.errors).toBeUndefined();
    expect(result.data).toBeTruthy();
  });

  it.each([
    ['an unknown key', '{ initiative(key: "nope") { name } }', {}],
    [
      'a node of each kind',
      '{ initiatives { id key workstreams { id depth parent { id } } } }',
      {},
    ],
    [
      'English labels and explain',
      '{ initiative(key: "hive") { progress { explain(locale: EN) byStatus(locale: EN) { label count } } reportLines(locale: EN) } }',
      {},
    ],
    ['a bad global id', 'query($id: ID!) { node(id: $id) { id } }', { id: 'not-an-id' }],
    [
      'a bad cursor',
      'query($w: ID!) { node(id: $w) { ... on Workstream { items(first: 5, after: "zzz") { totalCount } } } }',
      { w: 'X' },
    ],
    // graphql-jit alone would list one error per workstream here; graphql-js lists the first.
    [
      'a bad cursor under every workstream',
      '{ initiative(key: "hive") { workstreams { history(after: "Y3Vyc29y") { __typename } } } }',
      {},
    ],
    [
      'first out of range',
      '{ initiatives { workstreams { items(first: 0) { totalCount } } } }',
      {},
    ],
    ['a wrong variable type', 'query($k: String!) { initiative(key: $k) { name } }', { k: 5 }],
    ['a missing variable', 'query($k: String!) { initiative(key: $k) { name } }', {}],
    [
      'a bad enum',
      'query($l: Locale!) { initiative(key: "hive") { reportLines(locale: $l) } }',
      { l: 'zh' },
    ],
    [
      'a report date',
      'query($d: String!) { weeklyReport(locale: ZH_CN, date: $d) }',
      { d: '2023-05-13' },
    ],
    [
      'a bad report date',
      'query($d: String!) { weeklyReport(locale: ZH_CN, date: $d) }',
      { d: '2023-13-45' },
    ],
  ])('%s', async (_name, query, variables) => {
    await sideBySide(parse(query), variables);
  });

  it('pages items the same way', async () => {
    const page = await sideBySide(
      parse(
        `query($w: ID!) { node(id: $w) { ... on Workstream { items(first: 3) { pageInfo { endCursor } nodes { id name status percent version updatedAt } } } } }`,
      ),
      { w: itemsWorkstream },
    );
    const after = (page.data as any).node.items.pageInfo.endCursor;
    await sideBySide(
      parse(
        `query($w: ID!, $a: String) { node(id: $w) { ... on Workstream { items(first: 3, after: $a) { nodes { id } } } } }`,
      ),
      { w: itemsWorkstream, a: after },
    );
  });
});

describe('compare mode', () => {
  it('fails a request whose compiled answer equals neither graphql-js answer', async () => {
    let calls = 0;
    const schema = buildSchema('type Query { n: Int }');
    schema.getQueryType()!.getFields().n!.resolve = () => ++calls;
    const executor = createExecutor(schema, 'compare');
    await expect(executor.run(parse('{ n }'), {}, {} as Context)).rejects.toThrow(ExecutorMismatch);
    expect(calls).toBe(3); // graphql-js before and after the compiled run: 1, 2, 3 all differ
  });

  it('accepts a compiled answer equal to graphql-js before or after a concurrent write', async () => {
    let calls = 0;
    const schema = buildSchema('type Query { n: Int }');
    schema.getQueryType()!.getFields().n!.resolve = () => Math.floor(++calls / 2); // 0, 1, 1
    const executor = createExecutor(schema, 'compare');
    expect((await executor.run(parse('{ n }'), {}, {} as Context)).data).toEqual({ n: 1 });
  });
});
