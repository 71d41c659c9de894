import assert from 'node:assert';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { week20Seed } from '../../seeds/week-20.seed.js';
import type { Em } from '../../src/db/em.js';
import { guardStatements } from '../../src/db/statement-queue.js';
import { jinduSchema } from '../../src/graphql/schema.js';
import { queryCost } from '../../src/server/cost-model.js';
import { Deadline } from '../../src/graphql/deadline.js';
import { listSizes } from '../../src/server/list-sizes.js';
import { createInitiative } from '../../src/services/create-initiative.js';
import { createItems } from '../../src/services/create-items.js';
import { createWorkstream } from '../../src/services/create-workstream.js';
import { deleteWorkstream } from '../../src/services/delete-workstream.js';
import { loadSeed } from '../../src/services/load-seed.js';
import { runWrite } from '../../src/services/write-pipeline/run-write.js';
import { operatorContext } from '../../src/services/write-pipeline/write-context.js';
import { DIALECTS } from '../helpers/databases.js';
import { parse } from 'graphql';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.js';
import { createTestApp, requestContext, type TestApp } from '../helpers/test-app.js';

const sizes = {
  initiatives: 3,
  workstreams: 1_000,
  byKey: new Map([
    ['x', 1_000],
    ['small', 10],
  ]),
  // Counting deleted workstreams too: 'small' once had 500.
  ever: {
    workstreams: 1_200,
    byKey: new Map([
      ['x', 1_200],
      ['small', 500],
    ]),
  },
  now: Date.now(),
};
const costOf = async (query: string, variables: Record<string, unknown> = {}) =>
  queryCost(await jinduSchema(), parse(query), variables, undefined, sizes);

describe('the cost model charges lists without first by their size (R8)', () => {
  it('charges a tree walk once for the whole tree, not once per level or product of levels', async () => {
    const walk = await costOf(
      '{ initiative(key: "x") { workstreams { name children { name children { name } } } } }',
    );
    // At most 1,000 workstreams in the whole walk, each on one level: a node costs the dearest
    // level's selection. Last level: name = 1; middle: name + its children list = 2, or deeper
    // 1 + 1 × 1 = 2; top: name + list = 2, or deeper 1 + 1 × 2 = 3.
    expect(walk.nodes).toBe(1 + (1 + 1_000 * 3));
    expect(walk.field).toBe('Initiative.workstreams');
    // In points the unbounded list counts its pages of 100: 10.
    expect(walk.cost).toBe(1 + (1 + 10 * 3));
  });

  it('charges the lists below initiative(key:) by that initiative’s own size', async () => {
    const walk = (key: string) =>
      costOf(`{ initiative(key: "${key}") { workstreams { name children { name } } } }`);
    expect((await walk('small')).nodes).toBe(1 + (1 + 10 * 2));
    expect((await walk('x')).nodes).toBe(1 + (1 + 1_000 * 2));
    expect((await walk('unknown')).nodes).toBe(1 + 1); // answers null: nothing below runs
  });

  it('charges a tree read as of a time by every workstream it ever had, deleted ones too', async () => {
    // The past read costs what the live read would if every workstream ever had were live.
    const everLive = { ...sizes, workstreams: 1_200, byKey: sizes.ever.byKey };
    const cost = async (query: string, with_: typeof sizes) =>
      queryCost(await jinduSchema(), parse(query), {}, undefined, with_);
    const tree = '{ workstreams { name children { name } } }';
    const at = '(asOf: "2024-01-01T00:00:00Z")';
    const known = '(knownAt: "2024-01-01T00:00:00Z")';
    const small = (args: string) => `{ initiative(key: "small"${args}) ${tree} }`;
    const live = await cost(small(''), sizes);
    const past = await cost(small(', asOf: "2024-01-01T00:00:00Z"'), sizes);
    expect(past.nodes).toBeGreaterThan(live.nodes);
    expect(past).toEqual(await cost(small(''), everLive));
    expect(await cost(small(', knownAt: "2024-01-01T00:00:00Z"'), sizes)).toEqual(past);
    expect(await cost(`{ initiatives${at} ${tree} }`, sizes)).toEqual(
      await cost(`{ initiatives ${tree} }`, everLive),
    );
    expect(await cost(`{ initiatives${known} ${tree} }`, sizes)).toEqual(
      await cost(`{ initiatives ${tree} }`, everLive),
    );
    const node = (args: string) => `{ node(id: "x"${args}) { ... on Initiative ${tree} } }`;
    expect(await cost(node(', asOf: "2024-01-01T00:00:00Z"'), sizes)).toEqual(
      await cost(node(''), everLive),
    );
    expect((await cost(node(''), everLive)).nodes).toBeGreaterThan(
      (await cost(node(''), sizes)).nodes,
    );
  });

  it('charges children reached other than down the tree at full size', async () => {
    const fan = await costOf(
      '{ node(id: "x") { ... on Workstream { items(first: 10) { nodes { workstream { children { name } } } } } } }',
    );
    expect(fan.nodes).toBeGreaterThanOrEqual(10 * 1_000);
    expect(fan.field).toBe('Workstream.children');
  });

  it('charges a list it has no size for at the default, and a bad page size as a full page', async () => {
    const initiatives = await costOf('{ initiatives { name } }');
    expect(initiatives.nodes).toBe(1 + 3 * 1);
    const nullFirst = await costOf(
      'query($f: Int) { node(id: "x") { ... on Item { history(first: $f) { nodes { kind } } } } }',
      { f: null },
    );
    // node 1 + history (1 + 100 × nodes (1 + 1 × kind 1)): the page's list is paid by `first`.
    expect(nullFirst.nodes).toBe(1 + (1 + 100 * (1 + 1)));
    // A page size over 100 is refused by the field (BAD_USER_INPUT): charged as 100, not at
    // face value (2³¹ − 1 read as QUERY_TOO_COMPLEX, 150 charged 150).
    for (const f of [101, 150, 2_147_483_647, 2.5, 0, -1])
      expect(
        (
          await costOf(
            'query($f: Int) { node(id: "x") { ... on Item { history(first: $f) { nodes { kind } } } } }',
            { f },
          )
        ).nodes,
      ).toBe(nullFirst.nodes);
    const skipped = await costOf(
      'query($s: Boolean!) { initiatives @skip(if: $s) { workstreams { name } } }',
      { s: true },
    );
    expect(skipped).toEqual({ cost: 0, nodes: 0, field: null });
  });
});

describe('QUERY_TOO_COMPLEX names the cost, the limit and the field', () => {
  let app: HttpTestApp;
  beforeAll(async () => {
    app = await startHttpApp('sqlite', { maxNodes: 2_000 });
    await loadSeed({ em: app.em(), initiatives: week20Seed });
  });
  afterAll(() => app?.close());

  it('refuses an answer of more values than the node limit before running it', async () => {
    const q = `{ initiatives { workstreams { children { items(first: 100) { nodes { name status } } } } } }`;
    const res = await app.post(q);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      limit: 2_000,
      field: 'Workstream.items',
    });
    expect(res.body.errors[0].extensions.nodes).toBeGreaterThan(2_000);
    expect(res.body.errors[0].message).toContain('Workstream.items');
    // The whole-tree dashboard of the seed stays well inside.
    const dashboard = await app.post(
      '{ initiatives { workstreams { name progress { percent byStatus { status count } } children { name progress { percent } } } } }',
    );
    expect(dashboard.status).toBe(200);
    expect(dashboard.body.errors).toBeUndefined();
  });
});

describe('the deadline holds while resolving (R8)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp('sqlite', { executor: 'jit' });
    await loadSeed({ em: app.em(), initiatives: week20Seed });
  });
  afterAll(() => app?.close());

  const run = async (deadline: Deadline) => {
    const em = guardStatements(app.orm.em.fork() as Em, () => deadline.throwIfOver());
    const res = await app.apollo.executeOperation(
      {
        query:
          '{ initiative(key: "hive") { workstreams { children { items(first: 5) { nodes { history(first: 2) { nodes { kind } } } } } } } }',
      },
      { contextValue: requestContext(em, { deadline }) },
    );
    assert(res.body.kind === 'single');
    return { status: res.http.status, body: res.body.singleResult };
  };

  it('answers in full before the deadline', async () => {
    const ok = await run(new Deadline(Date.now() + 10_000, 10_000, new AbortController().signal));
    expect(ok.body.errors).toBeUndefined();
    expect(ok.status).toBeUndefined();
  });

  it('answers 503 TIMEOUT, without partial data, once the deadline has passed', async () => {
    const late = await run(new Deadline(Date.now() - 1, 10_000, new AbortController().signal));
    expect(late.status).toBe(503);
    expect(late.body).toEqual({
      errors: [{ message: expect.stringContaining('10 秒'), extensions: { code: 'TIMEOUT' } }],
    });
  });

  it('answers 503 TIMEOUT once the server is stopping', async () => {
    const stopping = new AbortController();
    stopping.abort();
    const cut = await run(new Deadline(Date.now() + 10_000, 10_000, stopping.signal));
    expect(cut.status).toBe(503);
    expect(cut.body.errors?.[0]?.message).toContain('正在停止');
  });
});

describe.each(DIALECTS)('a past tree is charged its past size (%s)', (dialect) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp(dialect);
  });
  afterAll(() => app?.close());

  it('charges as-of reads for the workstreams deleted since, and never less than it answers', async () => {
    const op = operatorContext(app.em(), 'sizes');
    const initiativeId = (await runWrite(op, createInitiative, { key: 'big', name: 'big' })).id;
    const top = (await runWrite(op, createWorkstream, { initiativeId, name: 'top' })).id;
    for (let i = 0; i < 12; i++) {
      const w = await runWrite(op, createWorkstream, {
        initiativeId,
        parentId: top,
        name: `c${i}`,
      });
      await runWrite(op, createItems, {
        workstreamId: w.id,
        items: [{ name: 'a' }, { name: 'b' }],
      });
    }
    await new Promise((r) => setTimeout(r, 5));
    const before = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    await runWrite(op, deleteWorkstream, { id: top });
    await new Promise((r) => setTimeout(r, 1_100)); // past the second the sizes are kept
    const sizes = await listSizes(app.em());
    expect(sizes.byKey.get('big')).toBe(0);
    expect(sizes.ever.byKey.get('big')).toBe(13);
    const q = `{ initiative(key: "big", asOf: "${before}") { workstreams { children { name items(first: 100) { nodes { name status } } } } } }`;
    const cost = queryCost(await jinduSchema(), parse(q), {}, undefined, sizes);
    const answer = JSON.stringify(await app.ok(q));
    expect(answer.match(/"name"/g)!.length).toBe(12 + 24);
    expect(answer.match(/"name"/g)!.length).toBeLessThanOrEqual(cost.nodes);
  });
});

describe('a forecast is charged by its trials, on every node it is asked of', () => {
  const tree = (args: string) =>
    `{ initiative(key: "x") { workstreams { id forecast${args} { status } children { id forecast${args} { status } } } } }`;

  it('charges a point per 10,000 trials per node, a refused trials value as the largest', async () => {
    const plain = await costOf(tree('').replaceAll(/forecast[^{]*\{ status \}/g, ''));
    const byDefault = await costOf(tree(''));
    const most = await costOf(tree('(trials: 100000)'));
    // 1,000 workstreams in the walk: 1,000 points at 10,000 trials, 10,000 at 100,000.
    expect(byDefault.cost - plain.cost).toBeGreaterThanOrEqual(1_000);
    expect(byDefault.cost - plain.cost).toBeLessThan(1_100);
    expect(most.cost - plain.cost).toBeGreaterThanOrEqual(10_000);
    expect(most.cost).toBeGreaterThan(10_000); // refused before it runs (QUERY_TOO_COMPLEX)
    // Over the maximum: charged as the maximum, so the field can answer BAD_USER_INPUT.
    expect(await costOf(tree('(trials: 100001)'))).toEqual(most);
    expect((await costOf(tree('(trials: 500)'))).cost).toBe(byDefault.cost);
    // Health runs the default forecast: charged as one.
    const health = await costOf(
      tree('').replaceAll(/forecast[^{]*\{ status \}/g, 'health { status }'),
    );
    expect(health.cost).toBe(byDefault.cost);
  });

  it('lets a small tree ask for the most trials, and charges more than that the same (the field refuses it)', async () => {
    const small = (trials: number) =>
      costOf(
        `{ initiative(key: "small") { forecast(trials: ${trials}) { status } workstreams { forecast(trials: ${trials}) { status } } } }`,
      );
    expect((await small(100_000)).cost).toBeLessThan(200);
    expect(await small(100_001)).toEqual(await small(100_000));
  });
});
