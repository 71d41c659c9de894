import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import {
  CREATE_INITIATIVE,
  CREATE_ITEMS,
  CREATE_WORKSTREAM,
  MOVE_WORKSTREAM,
  UPDATE_WORKSTREAM,
} from '../helpers/operations.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const TREE = `query { initiative(key: "ws") { progress { percent credit counted }
  workstreams { name position depth weight manualPercent children { name position depth parent { name } } } } }`;

describe.each(DIALECTS)('workstream editing (%s)', (dialect) => {
  let app: TestApp;
  let initiativeId: string;
  const create = async (input: Record<string, unknown>) => {
    const res = await app.ok(CREATE_WORKSTREAM, { input: { initiativeId, ...input } });
    expect(res.createWorkstream.userErrors).toEqual([]);
    return res.createWorkstream.workstream.id as string;
  };
  beforeAll(async () => {
    app = await createTestApp(dialect);
    initiativeId = (await app.ok(CREATE_INITIATIVE, { input: { key: 'ws', name: '工作流' } }))
      .createInitiative.initiative.id;
  });
  afterAll(() => app?.close());

  it('orders siblings by position and inserts at a given one', async () => {
    const a = await create({ name: 'A' });
    await create({ name: 'C' });
    await create({ name: 'B', position: 1 });
    await create({ name: 'A1', parentId: a });
    const data = (await app.ok(TREE)).initiative;
    expect(data.workstreams.map((w: any) => [w.name, w.position, w.depth])).toEqual([
      ['A', 0, 0],
      ['B', 1, 0],
      ['C', 2, 0],
    ]);
    expect(data.workstreams[0].children).toEqual([
      { name: 'A1', position: 0, depth: 1, parent: { name: 'A' } },
    ]);
  });

  it('sets a manual percent and weight, and clears it with null', async () => {
    const m = await create({ name: 'manual' });
    const set = await app.ok(UPDATE_WORKSTREAM, {
      input: { id: m, manualPercent: 96.4, weight: 20 },
    });
    expect(set.updateWorkstream.workstream).toMatchObject({ weight: 20, manualPercent: 96.4 });
    expect((await app.ok(TREE)).initiative.progress).toEqual({
      percent: 96.4,
      credit: 19.28,
      counted: 20,
    });
    const renamed = await app.ok(UPDATE_WORKSTREAM, { input: { id: m, name: '改名' } });
    expect(renamed.updateWorkstream.workstream).toMatchObject({
      name: '改名',
      manualPercent: 96.4,
    });
    const cleared = await app.ok(UPDATE_WORKSTREAM, { input: { id: m, manualPercent: null } });
    expect(cleared.updateWorkstream.workstream.manualPercent).toBeNull();
    expect((await app.ok(TREE)).initiative.progress).toEqual({
      percent: null,
      credit: 0,
      counted: 0,
    });
  });

  it('moves a subtree, rewriting depths below it', async () => {
    const p = await create({ name: 'P' });
    const q = await create({ name: 'Q', parentId: p });
    const leaf = await create({ name: 'L', parentId: q });
    await app.ok(CREATE_ITEMS, {
      input: { workstreamId: leaf, items: [{ name: 'x', status: 'DONE' }] },
    });
    const target = await create({ name: 'T' });
    const moved = await app.ok(MOVE_WORKSTREAM, {
      input: { id: q, parentId: target, position: 0 },
    });
    expect(moved.moveWorkstream).toEqual({
      workstream: { id: q, parent: { id: target } },
      userErrors: [],
    });
    const res = await app.ok(
      `query($id: ID!) { node(id: $id) { ... on Workstream { depth parent { name } progress { total } } } }`,
      { id: leaf },
    );
    expect(res.node).toEqual({ depth: 2, parent: { name: 'Q' }, progress: { total: 1 } });
    const top = await app.ok(MOVE_WORKSTREAM, { input: { id: q } });
    expect(top.moveWorkstream.workstream.parent).toBeNull();
    const again = await app.ok(
      `query($id: ID!) { node(id: $id) { ... on Workstream { depth } } }`,
      { id: leaf },
    );
    expect(again.node.depth).toBe(1);
  });
});
