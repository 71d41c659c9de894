import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import {
  CREATE_INITIATIVE,
  CREATE_ITEMS,
  CREATE_WORKSTREAM,
  DELETE_ITEM,
  MOVE_ITEM,
  MOVE_WORKSTREAM,
  NODE_PROGRESS,
  SET_ITEM_STATUS,
  SET_ITEM_STATUSES,
  UPDATE_ITEM,
  UPDATE_WORKSTREAM,
} from '../helpers/operations.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

describe.each(DIALECTS)('expected failures are userErrors and change nothing (%s)', (dialect) => {
  let app: TestApp;
  let initiativeId: string;
  let top: string;
  let leaf: string;
  let items: { id: string; version: number }[];

  const snapshot = async () => {
    const [a, b, ...rest] = await Promise.all([
      app.ok(NODE_PROGRESS, { id: initiativeId }),
      app.ok(NODE_PROGRESS, { id: leaf }),
      ...items.map((i) => app.ok(NODE_PROGRESS, { id: i.id })),
    ]);
    return JSON.stringify([a, b, rest]);
  };
  const expectUserError = async (query: string, input: unknown, code: string, field?: string[]) => {
    const before = await snapshot();
    const res = await app.gql(query, { input });
    expect(res.errors).toBeUndefined();
    const payload = Object.values(res.data!)[0] as {
      userErrors: { code: string; message: string; field: string[] }[];
    };
    expect(payload.userErrors.map((e) => e.code)).toContain(code);
    if (field) expect(payload.userErrors.find((e) => e.code === code)!.field).toEqual(field);
    expect(payload.userErrors.every((e) => /[\u4e00-\u9fff]/.test(e.message))).toBe(true);
    expect(await snapshot()).toBe(before);
  };

  beforeAll(async () => {
    app = await createTestApp(dialect);
    const ini = await app.ok(CREATE_INITIATIVE, { input: { key: 'demo', name: '演示' } });
    initiativeId = ini.createInitiative.initiative.id;
    top = (await app.ok(CREATE_WORKSTREAM, { input: { initiativeId, name: '顶层' } }))
      .createWorkstream.workstream.id;
    leaf = (
      await app.ok(CREATE_WORKSTREAM, { input: { initiativeId, parentId: top, name: '叶子' } })
    ).createWorkstream.workstream.id;
    const created = await app.ok(CREATE_ITEMS, {
      input: {
        workstreamId: leaf,
        items: [{ name: 'a', status: 'IN_PROGRESS', percent: 40 }, { name: 'b' }],
      },
    });
    items = created.createItems.items;
  });
  afterAll(() => app?.close());

  it('rejects percent 101 and -1 with INVALID_PERCENT', async () => {
    await expectUserError(
      SET_ITEM_STATUS,
      { itemId: items[0]!.id, status: 'IN_PROGRESS', percent: 101 },
      'INVALID_PERCENT',
      ['percent'],
    );
    await expectUserError(
      SET_ITEM_STATUS,
      { itemId: items[0]!.id, status: 'IN_PROGRESS', percent: -1 },
      'INVALID_PERCENT',
      ['percent'],
    );
    await expectUserError(
      CREATE_ITEMS,
      { workstreamId: leaf, items: [{ name: 'x', status: 'IN_PROGRESS', percent: 101 }] },
      'INVALID_PERCENT',
      ['items', '0', 'percent'],
    );
    await expectUserError(UPDATE_WORKSTREAM, { id: top, manualPercent: 100.5 }, 'INVALID_PERCENT');
  });

  it('answers unknown and malformed ids with NOT_FOUND', async () => {
    const unknownItem = Buffer.from('Item:999999').toString('base64url');
    await expectUserError(SET_ITEM_STATUS, { itemId: unknownItem, status: 'DONE' }, 'NOT_FOUND', [
      'itemId',
    ]);
    await expectUserError(SET_ITEM_STATUS, { itemId: 'not-an-id', status: 'DONE' }, 'NOT_FOUND', [
      'itemId',
    ]);
    await expectUserError(SET_ITEM_STATUS, { itemId: top, status: 'DONE' }, 'NOT_FOUND', [
      'itemId',
    ]);
    await expectUserError(CREATE_WORKSTREAM, { initiativeId: 'x', name: 'n' }, 'NOT_FOUND', [
      'initiativeId',
    ]);
    await expectUserError(DELETE_ITEM, { id: unknownItem }, 'NOT_FOUND', ['id']);
    // The message names the input, not the server's internal number (999999 was never sent).
    const said = (
      await app.gql(SET_ITEM_STATUS, { input: { itemId: unknownItem, status: 'DONE' } })
    ).data!.setItemStatus.userErrors[0].message as string;
    expect(said).toBe('事项不存在（itemId）');
    expect((await app.ok(NODE_PROGRESS, { id: 'garbage' })).node).toBeNull();
  });

  it('refuses a move into the workstream itself or its subtree with CYCLE', async () => {
    await expectUserError(MOVE_WORKSTREAM, { id: top, parentId: leaf }, 'CYCLE', ['parentId']);
    await expectUserError(MOVE_WORKSTREAM, { id: top, parentId: top }, 'CYCLE', ['parentId']);
  });

  it('refuses 101 updates in one call with TOO_MANY', async () => {
    const updates = Array.from({ length: 101 }, () => ({ itemId: items[0]!.id, status: 'DONE' }));
    await expectUserError(SET_ITEM_STATUSES, { updates }, 'TOO_MANY', ['updates']);
    const many = Array.from({ length: 101 }, (_, i) => ({ name: `n${i}` }));
    await expectUserError(CREATE_ITEMS, { workstreamId: leaf, items: many }, 'TOO_MANY', ['items']);
  });

  it('refuses a stale expectedVersion with STALE_VERSION', async () => {
    const v = items[0]!.version;
    await expectUserError(
      SET_ITEM_STATUS,
      { itemId: items[0]!.id, status: 'DONE', expectedVersion: v + 1 },
      'STALE_VERSION',
      ['expectedVersion'],
    );
    const ok = await app.ok(SET_ITEM_STATUS, {
      input: { itemId: items[0]!.id, status: 'IN_PROGRESS', percent: 50, expectedVersion: v },
    });
    expect(ok.setItemStatus.item).toMatchObject({ percent: 50, version: v + 1 });
    items[0]!.version = v + 1;
    await expectUserError(
      SET_ITEM_STATUS,
      { itemId: items[0]!.id, status: 'DONE', expectedVersion: v },
      'STALE_VERSION',
    );
  });

  // A version no item can have read as "someone changed it" (STALE_VERSION, 期望 -1), sending
  // the client to refresh and retry what can never pass: it is bad input, on every write.
  it('refuses an expectedVersion below 1 as INVALID_INPUT on every conditional write', async () => {
    const id = items[1]!.id;
    for (const [query, input, field] of [
      [SET_ITEM_STATUS, { itemId: id, status: 'DONE', expectedVersion: -1 }, ['expectedVersion']],
      [
        SET_ITEM_STATUSES,
        { updates: [{ itemId: id, status: 'DONE', expectedVersion: 0 }] },
        ['updates', '0', 'expectedVersion'],
      ],
      [UPDATE_ITEM, { itemId: id, name: 'c', expectedVersion: -1 }, ['expectedVersion']],
      [MOVE_ITEM, { itemId: id, workstreamId: leaf, expectedVersion: 0 }, ['expectedVersion']],
      [DELETE_ITEM, { id, expectedVersion: -5 }, ['expectedVersion']],
    ] as const)
      await expectUserError(query, input, 'INVALID_INPUT', [...field]);
  });

  it('is all or nothing in a bulk update: one bad entry, no change', async () => {
    await expectUserError(
      SET_ITEM_STATUSES,
      {
        updates: [
          { itemId: items[0]!.id, status: 'DONE' },
          { itemId: items[1]!.id, status: 'IN_PROGRESS', percent: 300 },
        ],
      },
      'INVALID_PERCENT',
      ['updates', '1', 'percent'],
    );
  });

  it('refuses a duplicate initiative key with DUPLICATE_KEY', async () => {
    await expectUserError(CREATE_INITIATIVE, { key: 'demo', name: 'again' }, 'DUPLICATE_KEY', [
      'key',
    ]);
    await expectUserError(CREATE_INITIATIVE, { key: 'Bad Key!', name: 'x' }, 'INVALID_INPUT', [
      'key',
    ]);
  });

  it('keeps items on leaves only, and manual percent off workstreams with items', async () => {
    await expectUserError(
      CREATE_ITEMS,
      { workstreamId: top, items: [{ name: 'x' }] },
      'INVALID_INPUT',
      ['workstreamId'],
    );
    await expectUserError(
      CREATE_WORKSTREAM,
      { initiativeId, parentId: leaf, name: 'under a leaf with items' },
      'INVALID_INPUT',
      ['parentId'],
    );
    await expectUserError(UPDATE_WORKSTREAM, { id: leaf, manualPercent: 50 }, 'INVALID_INPUT', [
      'manualPercent',
    ]);
  });

  it('rejects page sizes outside 1–100 as a top-level BAD_USER_INPUT, not a 500', async () => {
    for (const first of [0, 101, -5]) {
      const res = await app.gql(
        `query($id: ID!, $first: Int!) { node(id: $id) { ... on Workstream { items(first: $first) { totalCount } } } }`,
        { id: leaf, first },
      );
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});
