import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_TREE_DEPTH } from '../../src/domain/tree-rules.js';
import { DIALECTS } from '../helpers/databases.js';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.js';
import {
  CREATE_INITIATIVE,
  CREATE_ITEMS,
  CREATE_WORKSTREAM,
  DELETE_ITEM,
  DELETE_WORKSTREAM,
  MOVE_WORKSTREAM,
} from '../helpers/operations.js';

/** One regression per finding of a review of the hardening change. */
describe.each(DIALECTS)('structural changes stay consistent (%s)', (dialect) => {
  let app: HttpTestApp;
  let ini: string;
  const one = async (query: string, input: unknown) => {
    const res = await app.post(query, { input });
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toContain('INTERNAL_SERVER_ERROR');
    return Object.values(res.body.data)[0] as any;
  };
  const ws = async (name: string, parentId?: string) =>
    (await one(CREATE_WORKSTREAM, { initiativeId: ini, name, parentId })).workstream.id as string;
  const orphans = async () => {
    const [row] = await app.em().execute(
      `select count(*) as n from workstream c join workstream p on p.id = c.parent_id
        where c.deleted_at is null and p.deleted_at is not null`,
    );
    return Number(row!.n);
  };

  beforeAll(async () => {
    app = await startHttpApp(dialect);
    ini = (await one(CREATE_INITIATIVE, { key: 'review', name: '复核' })).initiative.id;
  });
  afterAll(() => app?.close());

  it('never lets two crossing moves both succeed (no cycle)', async () => {
    for (let round = 0; round < 8; round++) {
      const a = await ws(`a${round}`);
      const b = await ws(`b${round}`);
      const [ab, ba] = await Promise.all([
        one(MOVE_WORKSTREAM, { id: a, parentId: b }),
        one(MOVE_WORKSTREAM, { id: b, parentId: a }),
      ]);
      const codes = [ab.userErrors, ba.userErrors].map((e: { code: string }[]) =>
        e.map((x) => x.code).join(),
      );
      expect(codes.sort()).toEqual(['', 'CYCLE']);
    }
  });

  it('never leaves a live child under a deleted parent, nor items beside children', async () => {
    for (let round = 0; round < 8; round++) {
      const p = await ws(`p${round}`);
      await Promise.all([
        one(DELETE_WORKSTREAM, { id: p }),
        one(CREATE_WORKSTREAM, { initiativeId: ini, name: 'child', parentId: p }),
      ]);
      const leaf = await ws(`leaf${round}`);
      const [items, child] = await Promise.all([
        one(CREATE_ITEMS, { workstreamId: leaf, items: [{ name: 'x' }] }),
        one(CREATE_WORKSTREAM, { initiativeId: ini, name: 'c', parentId: leaf }),
      ]);
      expect(items.userErrors.length + child.userErrors.length).toBe(1);
    }
    expect(await orphans()).toBe(0);
  });

  it('keeps the leaf rules when restoring', async () => {
    const p = await ws('restore-p');
    const c = await ws('restore-c', p);
    await one(DELETE_WORKSTREAM, { id: c });
    await one(CREATE_ITEMS, { workstreamId: p, items: [{ name: 'now p has items' }] });
    const RW =
      'mutation($input: RestoreWorkstreamInput!) { restoreWorkstream(input: $input) { userErrors { code } } }';
    expect((await one(RW, { id: c })).userErrors).toEqual([{ code: 'INVALID_INPUT' }]);

    const q = await ws('restore-q');
    const [item] = (await one(CREATE_ITEMS, { workstreamId: q, items: [{ name: 'only' }] })).items;
    await one(DELETE_ITEM, { id: item.id });
    await ws('now q has a child', q);
    const RI =
      'mutation($input: RestoreItemInput!) { restoreItem(input: $input) { userErrors { code } } }';
    expect((await one(RI, { id: item.id })).userErrors).toEqual([{ code: 'INVALID_INPUT' }]);
  });

  it('answers a replay whose workstream is gone with NOT_FOUND, not a 500', async () => {
    const w = await ws('replayed');
    const [item] = (await one(CREATE_ITEMS, { workstreamId: w, items: [{ name: 'x' }] })).items;
    const SET = `mutation($input: SetItemStatusInput!) { setItemStatus(input: $input) { item { id workstream { id } } userErrors { code } } }`;
    const input = { itemId: item.id, status: 'DONE', idempotencyKey: 'replay-1' };
    expect((await app.post(SET, { input })).body.data.setItemStatus.item.workstream.id).toBe(w);
    await one(DELETE_WORKSTREAM, { id: w });
    const replay = await app.post(SET, { input });
    expect(replay.status).toBe(200);
    expect(replay.body.data.setItemStatus.item).toBeNull();
    expect(replay.body.errors.map((e: any) => e.extensions.code)).toEqual(['NOT_FOUND']);
  });

  it('refuses NUL written as an escape inside the query', async () => {
    const res = await app.post('{ initiative(key: "a\\u0000b") { name } }');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    // …and in the JSON of a GET request's variables (found by the fuzzer).
    const search = new URLSearchParams({
      query: 'query($k: String!) { initiative(key: $k) { name } }',
      variables: '{"k":"a\\u0000b"}',
    });
    const get = await fetch(`${app.url}/graphql?${search}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(get.status).toBe(400);
    expect((await get.json()).errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('keeps positions within the siblings, however large the one asked for', async () => {
    const parent = await ws('positions');
    await one(CREATE_WORKSTREAM, {
      initiativeId: ini,
      parentId: parent,
      name: 'far',
      position: 2_147_483_647,
    });
    await one(CREATE_WORKSTREAM, { initiativeId: ini, parentId: parent, name: 'next' });
    await one(CREATE_WORKSTREAM, {
      initiativeId: ini,
      parentId: parent,
      name: 'first',
      position: 0,
    });
    const res = await app.post(
      `query($id: ID!) { node(id: $id) { ... on Workstream { children { name position } } } }`,
      { id: parent },
    );
    expect(res.body.data.node.children).toEqual([
      { name: 'first', position: 0 },
      { name: 'far', position: 1 },
      { name: 'next', position: 2 },
    ]);
  });

  it(`stops a tree at ${MAX_TREE_DEPTH} levels`, async () => {
    let parent = await ws('depth-0');
    for (let depth = 1; depth < MAX_TREE_DEPTH; depth++)
      parent = await ws(`depth-${depth}`, parent);
    const deeper = await one(CREATE_WORKSTREAM, {
      initiativeId: ini,
      name: 'too deep',
      parentId: parent,
    });
    expect(deeper.userErrors.map((e: { code: string }) => e.code)).toEqual(['INVALID_INPUT']);
  });
});
