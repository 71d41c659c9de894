import { readFileSync } from 'node:fs';
import {
  buildSchema,
  parse,
  validate,
  type DocumentNode,
  type GraphQLScalarType,
  type OperationDefinitionNode,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { week20Seed } from '../../seeds/week-20.seed.js';
import type { Context } from '../../src/graphql/context.type.js';
import { jinduSchema } from '../../src/graphql/schema.js';
import {
  comparable,
  COMPARE_ATTEMPTS,
  ExecutorMismatch,
} from '../../src/server/compare-executors.js';
import { createExecutor } from '../../src/server/executor.js';
import { liftLiterals } from '../../src/server/lift-literals.js';
import { loadSeed } from '../../src/services/load-seed.js';
import { createTestApp, requestContext, type TestApp } from '../helpers/test-app.js';

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

  const context = (): Context => requestContext(app.em());

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

  it('answers queries that differ only in literal arguments, one compiled plan between them', async () => {
    // One executor for all: the lifted plan compiled for the first is reused by the others,
    // and each must still answer with its own values (times, keys, enums, numbers).
    const jit = createExecutor(await schema, 'jit');
    const reference = createExecutor(await schema, 'graphql-js');
    const query = (key: string, asOf: string, locale: string, first: number) =>
      parse(
        `{ initiative(key: "${key}", asOf: "${asOf}") { name progress { percent byStatus(locale: ${locale}) { label count } } workstreams { name items(first: ${first}) { totalCount nodes { name } } } } }`,
      );
    const answers = new Set<string>();
    for (const [key, asOf, locale, first] of [
      ['hive', '2023-05-13T23:59:59+08:00', 'ZH_CN', 2],
      ['hive', '2023-05-12T23:59:59+08:00', 'EN', 5],
      ['hive', '2023-05-14T00:00:00Z', 'EN', 1],
      ['nope', '2023-05-13T23:59:59+08:00', 'ZH_CN', 3],
    ] as const) {
      const document = query(key, asOf, locale, first);
      expect(validate(await schema, document)).toEqual([]);
      const expected = JSON.stringify(comparable(await reference.run(document, {}, context())));
      const actual = await jit.run(document, {}, context());
      expect(JSON.stringify(comparable(actual))).toBe(expected);
      answers.add(expected);
    }
    expect(answers.size).toBe(4);
    const lifted = [
      query('hive', '2023-05-13T23:59:59+08:00', 'EN', 2),
      query('x', '2020-01-01T00:00:00Z', 'ZH_CN', 9),
    ];
    const keys = await Promise.all(
      lifted.map(async (d) =>
        liftLiterals(await schema, d, d.definitions[0] as OperationDefinitionNode),
      ),
    );
    expect(keys[0]!.key).toBe(keys[1]!.key);
    expect(keys[1]!.values).toEqual({
      _lit0: 'x',
      _lit1: '2020-01-01T00:00:00Z',
      _lit2: 'ZH_CN',
      _lit3: 9,
    });
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

describe('literal arguments lifted into variables', () => {
  // A scalar whose literal and value parsings differ (a literal 5 means 50; a value 5 means 5).
  const schema = buildSchema(`
    scalar Odd
    input Range { from: Int }
    type Query { echo(n: Int, s: String, odd: Odd, range: Range, list: [Int!]): String }
  `);
  const odd = schema.getType('Odd') as GraphQLScalarType;
  odd.parseLiteral = (node) => (node.kind === 'IntValue' ? Number(node.value) * 10 : null);
  odd.parseValue = (value) => value;
  odd.serialize = (value) => value;
  // The arguments as the resolver got them (in a fixed order: graphql-jit puts literals first).
  schema.getQueryType()!.getFields().echo!.resolve = (_root, args) =>
    JSON.stringify(Object.fromEntries(Object.entries(args).sort(([a], [b]) => a.localeCompare(b))));
  const lift = (query: string) => {
    const document = parse(query);
    const operation = document.definitions.find(
      (d): d is OperationDefinitionNode => d.kind === 'OperationDefinition',
    )!;
    return liftLiterals(schema, document, operation);
  };

  it('lifts numbers, strings and lists of field arguments, in fragments too', () => {
    const lifted = lift(
      '{ a: echo(n: 1, s: "x") ...F } fragment F on Query { b: echo(list: [1, 2]) }',
    )!;
    expect(lifted.values).toEqual({ _lit0: [1, 2], _lit1: 1, _lit2: 'x' });
    expect(lifted.key).toBe(
      lift('{ a: echo(n: 7, s: "y") ...F } fragment F on Query { b: echo(list: [3]) }')!.key,
    );
  });

  it('keeps literals whose meaning would change, nulls, input objects and directive arguments', () => {
    expect(lift('{ echo(odd: 5) }')).toBeNull();
    expect(lift('{ echo(n: null) }')).toBeNull();
    expect(lift('{ echo(range: { from: 1 }) }')).toBeNull();
    expect(lift('{ echo @include(if: true) }')).toBeNull();
    expect(lift('query($v: Int) { echo(list: [1, $v]) }')).toBeNull();
    // A client's own variable of that name: nothing is lifted rather than overwritten.
    expect(lift('query($_lit0: Int) { echo(n: $_lit0, s: "x") }')).toBeNull();
  });

  it('answers each query with its own values through one executor', async () => {
    const jit = createExecutor(schema, 'jit');
    for (const n of [1, 2, 3]) {
      const document = parse(
        `{ echo(n: ${n}, odd: ${n}) ...F } fragment F on Query { b: echo(s: "${n}") }`,
      );
      expect((await jit.run(document, {}, {} as Context)).data).toEqual({
        echo: JSON.stringify({ n, odd: n * 10 }),
        b: JSON.stringify({ s: String(n) }),
      });
    }
  });
});

describe('compare mode', () => {
  it('fails a request whose compiled answer differs from graphql-js while the data holds still', async () => {
    let calls = 0;
    const schema = buildSchema('type Query { n: Int }');
    // graphql-js before and after each compiled run sees 1, every compiled run 0.
    schema.getQueryType()!.getFields().n!.resolve = () => ++calls % 2;
    const executor = createExecutor(schema, 'compare');
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await expect(executor.run(parse('{ n }'), {}, {} as Context)).rejects.toThrow(
        ExecutorMismatch,
      );
      expect(calls).toBe(3 * COMPARE_ATTEMPTS);
    } finally {
      stderr.mockRestore();
    }
  });

  it('tries again when the data moved during a try, and answers unchecked if it never holds still', async () => {
    let calls = 0;
    let value = (call: number) => call;
    const schema = buildSchema('type Query { n: Int }');
    schema.getQueryType()!.getFields().n!.resolve = () => value(++calls);
    const executor = createExecutor(schema, 'compare');
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      // A write and its undo around the compiled run (1, 2, 1), then nothing: the second try
      // agrees.
      value = (call) => (call === 2 ? 2 : 1);
      expect((await executor.run(parse('{ n }'), {}, {} as Context)).data).toEqual({ n: 1 });
      expect(calls).toBe(6);

      // 1, 2, 3 and so on: every try saw the data change, so no compiled answer proves anything.
      calls = 0;
      value = (call) => call;
      expect((await executor.run(parse('{ n }'), {}, {} as Context)).data).toEqual({
        n: 3 * COMPARE_ATTEMPTS - 1,
      });
      expect(calls).toBe(3 * COMPARE_ATTEMPTS);
      expect(String(stderr.mock.calls.at(-1)?.[0])).toMatch(/answering unchecked/);
    } finally {
      stderr.mockRestore();
    }
  });

  it('accepts a compiled answer equal to graphql-js before or after a concurrent write', async () => {
    let calls = 0;
    const schema = buildSchema('type Query { n: Int }');
    schema.getQueryType()!.getFields().n!.resolve = () => Math.floor(++calls / 2); // 0, 1, 1
    const executor = createExecutor(schema, 'compare');
    expect((await executor.run(parse('{ n }'), {}, {} as Context)).data).toEqual({ n: 1 });
  });
});
