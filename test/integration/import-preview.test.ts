import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportSheet } from '../../src/services/export-sheet.js';
import { importSheet } from '../../src/services/import-sheet.js';
import { ALL_INITIATIVES } from '../../src/services/write-scope.js';
import { DIALECTS } from '../helpers/databases.js';
import * as RM from '../helpers/report-model-ops.js';
import {
  CREATE_INITIATIVE,
  CREATE_ITEMS,
  CREATE_WORKSTREAM,
  MOVE_ITEM,
} from '../helpers/operations.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/** An import's preview refuses, row by row, what its write would refuse. */
describe.each(DIALECTS)('an import preview is the write’s verdict (%s)', (dialect) => {
  let app: TestApp;
  const ok = async (query: string, input: Record<string, unknown>) => {
    const payload: any = Object.values(await app.ok(query, { input }))[0];
    expect(payload.userErrors).toEqual([]);
    return payload;
  };
  /** Imports a file's bytes (a CSV's text, or an export) into `key`. */
  const run = (key: string, file: string | Uint8Array, dryRun: boolean, fileName = 'f.csv') =>
    importSheet({
      em: app.em(),
      initiativeKey: key,
      fileName,
      by: null,
      bytes: typeof file === 'string' ? new TextEncoder().encode(file) : file,
      dryRun,
      skipErrors: false,
      prune: false,
      scope: ALL_INITIATIVES,
    });
  const errorsOf = (result: Awaited<ReturnType<typeof run>>) =>
    result.plan.rows.flatMap((r) => r.errors.map((e) => ({ row: e.row, column: e.column })));

  beforeAll(async () => {
    app = await createTestApp(dialect);
  });
  afterAll(() => app?.close());

  it.each([
    ['items first', '工作流,事项,状态,进度\n新领域,C3,处理中,10\n新领域/子A,C1,处理中,10\n', 2],
    ['children first', '工作流,事项,状态,进度\n新领域/子A,C1,处理中,10\n新领域,C3,处理中,10\n', 3],
  ])('refuses items in a workstream the file also gives children (%s)', async (_, csv, row) => {
    const key = `p${row}`;
    await ok(CREATE_INITIATIVE, { key, name: key });
    const preview = await run(key, csv, true);
    expect(errorsOf(preview)).toEqual([{ row, column: '工作流' }]);
    const real = await run(key, csv, false);
    expect(real.applied).toBe(false);
    expect(errorsOf(real)).toEqual([{ row, column: '工作流' }]);
  });

  it('refuses a status change of a staged item on its 状态 cell', async () => {
    const ini = (await ok(CREATE_INITIATIVE, { key: 'staged', name: 'S' })).initiative.id;
    const ws = (await ok(CREATE_WORKSTREAM, { initiativeId: ini, name: 'w' })).workstream.id;
    const [x] = (await ok(CREATE_ITEMS, { workstreamId: ws, items: [{ name: 'x' }] })).items;
    await ok(RM.DEFINE_STAGES, { initiativeId: ini, stages: [{ name: '设计' }, { name: '投产' }] });
    await ok(RM.SET_ITEM_STAGE, { itemId: x.id, stage: '设计' });
    const csv = `ID,工作流,事项,状态\n${x.id},w,x,完成\n`;
    const preview = await run('staged', csv, true);
    expect(errorsOf(preview)).toEqual([{ row: 2, column: '状态' }]);
    expect(preview.plan.rows[0]!.errors[0]!.message).toMatch(/setItemStage/);
    // The same row without a status change (a re-sent export) still goes through.
    const same = await run('staged', `ID,工作流,事项\n${x.id},w,x\n`, true);
    expect(same.plan.summary).toMatchObject({ unchanged: 1, error: 0 });
  });

  it('keeps items of same-named sibling workstreams where they are, and refuses new ones there', async () => {
    const ini = (await ok(CREATE_INITIATIVE, { key: 'twins', name: 'T' })).initiative.id;
    const first = (await ok(CREATE_WORKSTREAM, { initiativeId: ini, name: 'dup' })).workstream.id;
    const second = (await ok(CREATE_WORKSTREAM, { initiativeId: ini, name: 'dup' })).workstream.id;
    await ok(CREATE_ITEMS, { workstreamId: first, items: [{ name: 'x1' }] });
    await ok(CREATE_ITEMS, { workstreamId: second, items: [{ name: 'x2', status: 'DONE' }] });
    for (const format of ['csv', 'xlsx'] as const) {
      const { bytes } = await exportSheet({
        em: app.em(),
        initiativeKey: 'twins',
        format,
        canRead: () => true,
      });
      const again = await run('twins', bytes, false, `twins.${format}`);
      expect(again.plan.summary).toMatchObject({ unchanged: 2, update: 0, error: 0 });
    }
    const placed = await app.ok(
      `query($a: ID!, $b: ID!) { a: node(id: $a) { ... on Workstream { items { nodes { name } } } }
        b: node(id: $b) { ... on Workstream { items { nodes { name } } } } }`,
      { a: first, b: second },
    );
    expect(placed.a.items.nodes).toEqual([{ name: 'x1' }]);
    expect(placed.b.items.nodes).toEqual([{ name: 'x2' }]);
    const fresh = await run('twins', '工作流,事项\ndup,x3\n', true);
    expect(errorsOf(fresh)).toEqual([{ row: 2, column: '工作流' }]);
    // Nor under two of one name that hold no items: a new workstream below their shared path
    // went under the first of them.
    for (let n = 0; n < 2; n++) await ok(CREATE_WORKSTREAM, { initiativeId: ini, name: 'grp' });
    const below = await run('twins', '工作流,事项\ngrp/新子组,x4\n', false);
    expect(below.applied).toBe(false);
    expect(errorsOf(below)).toEqual([{ row: 2, column: '工作流' }]);
    expect(below.plan.rows[0]!.errors[0]!.message).toContain('无法区分');
  });

  it('moves a staged item only where the same stages govern, by GraphQL and by import alike', async () => {
    const ini = (await ok(CREATE_INITIATIVE, { key: 'flows', name: 'F' })).initiative.id;
    const ws = async (name: string) =>
      (await ok(CREATE_WORKSTREAM, { initiativeId: ini, name })).workstream.id as string;
    const [a, b, other] = [await ws('a'), await ws('b'), await ws('other')];
    const stages = [{ name: 's1' }, { name: 's2' }];
    await ok(RM.DEFINE_STAGES, { initiativeId: ini, workstreamId: a, stages });
    await ok(RM.DEFINE_STAGES, { initiativeId: ini, workstreamId: b, stages });
    const [x] = (await ok(CREATE_ITEMS, { workstreamId: a, items: [{ name: 'x' }] })).items;
    await ok(RM.SET_ITEM_STAGE, { itemId: x.id, stage: 's2' });
    // No workflow governs `other`: the item would keep a stage nothing defines.
    const refused = Object.values(
      await app.ok(MOVE_ITEM, { input: { itemId: x.id, workstreamId: other } }),
    )[0] as any;
    expect(refused.userErrors).toMatchObject([{ code: 'INVALID_INPUT', field: ['workstreamId'] }]);
    const preview = await run('flows', `ID,工作流,事项\n${x.id},other,x\n`, true);
    expect(errorsOf(preview)).toEqual([{ row: 2, column: '工作流' }]);
    // The same stages govern `b`: the move goes through, and the item can still change stage.
    expect((await run('flows', `ID,工作流,事项\n${x.id},b,x\n`, true)).plan.summary).toMatchObject({
      update: 1,
      error: 0,
    });
    await ok(MOVE_ITEM, { itemId: x.id, workstreamId: b });
    await ok(RM.SET_ITEM_STAGE, { itemId: x.id, stage: 's1' });
  });

  it('refuses to write an older export over a change made since, and says which row', async () => {
    const ini = (await ok(CREATE_INITIATIVE, { key: 'older', name: 'O' })).initiative.id;
    const ws = (await ok(CREATE_WORKSTREAM, { initiativeId: ini, name: 'w' })).workstream.id;
    const [x, y] = (
      await ok(CREATE_ITEMS, {
        workstreamId: ws,
        items: [
          { name: 'x', status: 'IN_PROGRESS', percent: 90 },
          { name: 'y', status: 'IN_PROGRESS', percent: 10 },
        ],
      })
    ).items;
    const monday = await exportSheet({
      em: app.em(),
      initiativeKey: 'older',
      format: 'csv',
      canRead: () => true,
    });
    // Someone finishes x after Monday's export; the PM then sends Monday's file back, having
    // changed only y.
    await ok(
      `mutation($input: SetItemStatusInput!) { setItemStatus(input: $input) {
      item { id } userErrors { code message field } } }`,
      { itemId: x.id, status: 'DONE' },
    );
    const text = new TextDecoder().decode(monday.bytes).replace('"10","1"', '"20","1"');
    const result = await run('older', text, false, 'monday.csv');
    expect(result.applied).toBe(false);
    expect(errorsOf(result)).toEqual([{ row: 2, column: '版本' }]);
    const now = await app.ok(
      `query($x: ID!, $y: ID!) { x: node(id: $x) { ... on Item { status percent } }
        y: node(id: $y) { ... on Item { percent } } }`,
      { x: x.id, y: y.id },
    );
    expect(now).toEqual({ x: { status: 'DONE', percent: 100 }, y: { percent: 10 } });
    // Without the 版本 column (a hand-made sheet) the row is applied as written.
    const plain = await run('older', `ID,工作流,事项,进度\n${y.id},w,y,30\n`, true);
    expect(plain.plan.summary).toMatchObject({ update: 1, error: 0 });
  });
});
