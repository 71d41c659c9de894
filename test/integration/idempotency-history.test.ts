import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCounters } from '../../src/services/verify-counters.js';
import { DIALECTS } from '../helpers/databases.js';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.js';
import {
  CREATE_INITIATIVE,
  CREATE_ITEMS,
  CREATE_WORKSTREAM,
  DELETE_ITEM,
  DELETE_WORKSTREAM,
} from '../helpers/operations.js';

const SET = `mutation($input: SetItemStatusInput!) { setItemStatus(input: $input) {
  item { id status percent version updatedAt } userErrors { code field } } }`;
const BULK = `mutation($input: SetItemStatusesInput!) { setItemStatuses(input: $input) {
  items { id version } userErrors { code field } } }`;
const ITEM = `query($id: ID!) { node(id: $id) { ... on Item { version status percent
  history(first: 10) { nodes { kind fromStatus toStatus toPercent version actor note } } } } }`;

describe.each(DIALECTS)('idempotency keys, history and restores (%s)', (dialect) => {
  let app: HttpTestApp;
  let editor: string;
  let ws: string;
  let items: { id: string; version: number }[];
  const progress = async () =>
    (await app.post('{ initiative(key: "idem") { progress { credit counted total } } }')).body.data
      .initiative.progress;

  beforeAll(async () => {
    app = await startHttpApp(dialect);
    editor = await app.token('pm-alice', 'editor');
    const ini = (await app.post(CREATE_INITIATIVE, { input: { key: 'idem', name: '幂等' } })).body
      .data.createInitiative.initiative.id;
    ws = (await app.post(CREATE_WORKSTREAM, { input: { initiativeId: ini, name: 'ws' } })).body.data
      .createWorkstream.workstream.id;
    const created = await app.post(
      CREATE_ITEMS,
      { input: { workstreamId: ws, items: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] } },
      editor,
    );
    items = created.body.data.createItems.items;
  });
  afterAll(() => app?.close());

  it('applies a retried setItemStatus once and returns the first answer', async () => {
    const input = {
      itemId: items[0]!.id,
      status: 'IN_PROGRESS',
      percent: 40,
      idempotencyKey: 'k-1',
    };
    const first = await app.post(SET, { input }, editor);
    const again = await app.post(SET, { input }, editor);
    expect(first.body.data.setItemStatus.userErrors).toEqual([]);
    expect(again.body.data).toEqual(first.body.data);
    const item = (await app.post(ITEM, { id: items[0]!.id })).body.data.node;
    expect(item.version).toBe(2);
    expect(item.history.nodes.filter((h: any) => h.kind === 'STATUS')).toHaveLength(1);
  });

  it('refuses the same key with another payload, and keys are per token', async () => {
    const reused = await app.post(
      SET,
      { input: { itemId: items[0]!.id, status: 'DONE', idempotencyKey: 'k-1' } },
      editor,
    );
    expect(reused.body.data.setItemStatus).toEqual({
      item: null,
      userErrors: [{ code: 'IDEMPOTENCY_KEY_REUSED', field: ['idempotencyKey'] }],
    });
    const otherToken = await app.post(SET, {
      input: { itemId: items[0]!.id, status: 'DONE', idempotencyKey: 'k-1' },
    });
    expect(otherToken.body.data.setItemStatus.item).toMatchObject({ status: 'DONE', version: 3 });
  });

  it('makes bulk updates and item creation idempotent too, even when the first try ran concurrently', async () => {
    const input = {
      updates: items.slice(1).map((i) => ({ itemId: i.id, status: 'PAUSED', percent: 30 })),
      idempotencyKey: 'bulk-1',
    };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => app.post(BULK, { input }, editor)),
    );
    for (const a of answers) expect(a.body.data).toEqual(answers[0]!.body.data);
    expect(answers[0]!.body.data.setItemStatuses.items.map((i: any) => i.version)).toEqual([2, 2]);
    const make = { workstreamId: ws, items: [{ name: 'd' }], idempotencyKey: 'create-d' };
    const [c1, c2] = await Promise.all([
      app.post(CREATE_ITEMS, { input: make }, editor),
      app.post(CREATE_ITEMS, { input: make }, editor),
    ]);
    expect(c2!.body.data).toEqual(c1!.body.data);
    expect((await progress()).total).toBe(4);
    expect((await verifyCounters(app.em())).differences).toEqual([]);
  });

  it('keeps every change, delete and restore in the history with the token name', async () => {
    const target = items[1]!.id;
    const deleted = await app.post(DELETE_ITEM, { input: { id: target } }, editor);
    expect(deleted.body.data.deleteItem.userErrors).toEqual([]);
    expect((await progress()).total).toBe(3);
    expect((await app.post(ITEM, { id: target })).body.data.node).toBeNull();

    const RESTORE = `mutation($input: RestoreItemInput!) { restoreItem(input: $input) { item { id version } userErrors { code } } }`;
    const byEditor = await app.post(RESTORE, { input: { id: target } }, editor);
    expect(byEditor.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const restored = await app.post(RESTORE, { input: { id: target } });
    expect(restored.body.data.restoreItem.userErrors).toEqual([]);
    expect((await progress()).total).toBe(4);

    const history = (await app.post(ITEM, { id: target })).body.data.node.history.nodes;
    expect(history.map((h: any) => [h.kind, h.actor])).toEqual([
      ['RESTORE', 'test-admin'],
      ['DELETE', 'pm-alice'],
      ['STATUS', 'pm-alice'],
      ['CREATE', 'pm-alice'],
    ]);
    expect(history[2]).toMatchObject({
      fromStatus: 'NOT_STARTED',
      toStatus: 'PAUSED',
      toPercent: 30,
      version: 2,
    });
  });

  it('restores a deleted workstream with its subtree, and logs both', async () => {
    const before = await progress();
    expect(
      (await app.post(DELETE_WORKSTREAM, { input: { id: ws } }, editor)).body.data.deleteWorkstream
        .userErrors,
    ).toEqual([]);
    expect((await progress()).total).toBe(0);
    const RESTORE = `mutation($input: RestoreWorkstreamInput!) { restoreWorkstream(input: $input) {
      workstream { id history(first: 2) { nodes { kind actor } } } userErrors { code } } }`;
    const res = await app.post(RESTORE, { input: { id: ws } });
    expect(res.body.data.restoreWorkstream.userErrors).toEqual([]);
    expect(res.body.data.restoreWorkstream.workstream.history.nodes).toEqual([
      { kind: 'WORKSTREAM_RESTORE', actor: 'test-admin' },
      { kind: 'WORKSTREAM_DELETE', actor: 'pm-alice' },
    ]);
    expect(await progress()).toEqual(before);
    const again = await app.post(RESTORE, { input: { id: ws } });
    expect(again.body.data.restoreWorkstream.userErrors).toEqual([{ code: 'INVALID_INPUT' }]);
  });

  it('pages history newest first with cursors', async () => {
    const PAGE = `query($id: ID!, $after: String) { node(id: $id) { ... on Workstream {
      history(first: 2, after: $after) { pageInfo { hasNextPage endCursor } nodes { kind } } } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 20; page++) {
      const h: any = (await app.post(PAGE, { id: ws, after })).body.data.node.history;
      seen.push(...h.nodes.map((n: any) => n.kind));
      if (!h.pageInfo.hasNextPage) break;
      after = h.pageInfo.endCursor;
    }
    expect(seen[0]).toBe('WORKSTREAM_RESTORE');
    // The log is complete: the workstream's own creation is its oldest entry.
    expect(seen.at(-1)).toBe('WORKSTREAM_CREATED');
    expect(seen.filter((k) => k === 'CREATE')).toHaveLength(4);
  });
});
