import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportSheet } from '../../src/services/export-sheet.js';
import { DIALECTS } from '../helpers/databases.js';
import {
  CREATE_INITIATIVE,
  CREATE_ITEMS,
  CREATE_WORKSTREAM,
  DELETE_WORKSTREAM,
  MOVE_WORKSTREAM,
  SET_ITEM_STATUS,
  UPDATE_WORKSTREAM,
} from '../helpers/operations.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { exportFile, importFile, table, xlsx } from '../helpers/sheet-files.js';

const TREE = `{ initiative(key: "stale") { workstreams { name children { id name
  items(first: 50) { nodes { id name status } } } } } }`;

// A file exported before a workstream was renamed or moved names it by its old path. Each row
// carries the structure version it was exported at, and the import reads its path then.
describe.each(DIALECTS)('an export read back after its workstreams moved (%s)', (dialect) => {
  let app: TestApp;
  const ws: Record<string, string> = {};
  let initiative = '';
  const exported = (format: 'xlsx' | 'csv') => exportFile(app.em(), 'stale', format);
  const run = (bytes: Uint8Array, dryRun: boolean, fileName = 'old.xlsx') =>
    importFile(app.em(), 'stale', bytes, { dryRun, fileName });
  const mutate = async (query: string, input: Record<string, unknown>) => {
    const answer = Object.values(await app.ok(query, { input }))[0] as Record<string, any>;
    expect(answer.userErrors).toEqual([]);
    return answer;
  };
  const leaves = async () =>
    Object.fromEntries(
      (await app.ok(TREE)).initiative.workstreams.flatMap((top: any) =>
        top.children.map((c: any) => [`${top.name}/${c.name}`, c.items.nodes]),
      ),
    );

  beforeAll(async () => {
    app = await createTestApp(dialect);
    const made = await mutate(CREATE_INITIATIVE, { key: 'stale', name: '旧文件' });
    const initiativeId = (initiative = made.initiative.id);
    const add = async (name: string, parentId?: string) =>
      (ws[name] = (
        await mutate(CREATE_WORKSTREAM, { initiativeId, name, parentId })
      ).workstream.id);
    await add('迁移');
    await add('下线');
    for (const leaf of ['甲', '乙', '丙']) {
      const id = await add(leaf, ws['迁移']);
      await mutate(CREATE_ITEMS, {
        workstreamId: id,
        items: [{ name: `${leaf}1` }, { name: `${leaf}2`, status: 'DONE' }],
      });
    }
  });
  afterAll(() => app.close());

  it('writes the structure version on every row of a live export, and it moves with the structure', async () => {
    const [head, ...body] = table(await exported('xlsx'));
    expect(head).toEqual([
      'ID',
      '工作流',
      '事项',
      '状态',
      '进度',
      '权重',
      '备注',
      '版本',
      '结构版本',
    ]);
    const versions = new Set(body.map((r) => r[8]));
    expect(versions.size).toBe(1);
    const before = Number([...versions][0]);
    expect(before).toBeGreaterThan(0);
    // An item's write and a workstream's weight leave it; a new workstream moves it on.
    const item = (await leaves())['迁移/甲'][0].id;
    await mutate(SET_ITEM_STATUS, { itemId: item, status: 'IN_PROGRESS', percent: 10 });
    await mutate(UPDATE_WORKSTREAM, { id: ws['下线'], weight: 2 });
    expect(Number(table(await exported('csv'))[1]![8])).toBe(before);
    await mutate(CREATE_WORKSTREAM, { initiativeId: initiative, name: '空组' });
    expect(Number(table(await exported('csv'))[1]![8])).toBeGreaterThan(before);
  });

  it('reads an old file unchanged after a rename and a move, and applies its edits where the workstreams stand now', async () => {
    const old = { xlsx: await exported('xlsx'), csv: await exported('csv') };
    const [head, ...body] = table(old.xlsx);
    await mutate(UPDATE_WORKSTREAM, { id: ws['甲'], name: '甲（改名）' });
    await mutate(MOVE_WORKSTREAM, { id: ws['乙'], parentId: ws['下线'] });
    await mutate(UPDATE_WORKSTREAM, { id: ws['迁移'], name: '迁移（改名）' });

    for (const format of ['xlsx', 'csv'] as const) {
      const again = await run(old[format], true, `old.${format}`);
      expect(again.plan.summary).toMatchObject({
        create: 0,
        update: 0,
        error: 0,
        unchanged: body.length,
        newWorkstreams: 0,
      });
    }

    // Edit the old file: a status, a new item under a renamed path, a new workstream below the
    // renamed parent, and a move by ID to a path that was renamed too.
    const col = (name: string) => head!.indexOf(name);
    const version = body[0]![col('结构版本')];
    const row = (path: string, name: string) =>
      body.find((r) => r[col('工作流')] === path && r[col('事项')] === name)!;
    const done = [...row('迁移/甲', '甲1')];
    done[col('状态')] = '完成';
    done[col('进度')] = '100';
    const moved = [...row('迁移/丙', '丙1')];
    moved[col('工作流')] = '迁移/乙';
    const fresh = ['', '迁移/甲', '甲3', '未启动', '0', '1', '', '', version];
    const below = ['', '迁移/丁', '丁1', '未启动', '0', '1', '', '', version];
    const edited = xlsx([
      head!,
      ...body.map((r) => (r[col('事项')] === '甲1' ? done : r[col('事项')] === '丙1' ? moved : r)),
      fresh,
      below,
    ]);
    const plan = await run(edited, true);
    expect(plan.plan.summary).toMatchObject({ create: 2, update: 2, error: 0, newWorkstreams: 1 });
    expect(plan.plan.newWorkstreams).toEqual(['迁移（改名）/丁']);
    expect(plan.plan.rows.find((r) => r.name === '丙1')!.changes).toEqual([
      '工作流 迁移（改名）/丙→下线/乙',
    ]);
    expect((await run(edited, false)).applied).toBe(true);
    const now = await leaves();
    expect(Object.keys(now).sort()).toEqual(
      ['下线/乙', '迁移（改名）/丁', '迁移（改名）/丙', '迁移（改名）/甲（改名）'].sort(),
    );
    expect(now['迁移（改名）/甲（改名）'].map((i: any) => [i.name, i.status])).toEqual([
      ['甲1', 'DONE'],
      ['甲2', 'DONE'],
      ['甲3', 'NOT_STARTED'],
    ]);
    expect(now['下线/乙'].map((i: any) => i.name)).toEqual(['乙1', '乙2', '丙1']);
    expect(now['迁移（改名）/丁'].map((i: any) => i.name)).toEqual(['丁1']);

    // The same file with its structure versions cut off is a sheet made by hand: its paths are
    // read against today's tree, as before (the renamed 甲 is asked for anew).
    const handMade = table(old.xlsx).map((r) => r.slice(0, col('结构版本')));
    const asWritten = await run(xlsx(handMade), true);
    expect(asWritten.plan.newWorkstreams).toContain('迁移');
  });

  it('refuses a row whose workstream was deleted since, and a version this initiative never had', async () => {
    const [head, ...body] = table(await exported('xlsx'));
    const col = (name: string) => head!.indexOf(name);
    const path = '迁移（改名）/丁';
    await mutate(DELETE_WORKSTREAM, { id: (await leafId(path))! });
    const version = body[0]![col('结构版本')];
    const rows = [
      head!,
      ['', path, '丁2', '未启动', '0', '1', '', '', version],
      ['', '下线/乙', '乙3', '未启动', '0', '1', '', '', '99999999'],
      ['', '下线/乙', '乙4', '未启动', '0', '1', '', '', '-1'],
    ];
    const result = await run(xlsx(rows), true);
    expect(result.plan.rows.map((r) => r.errors.map((e) => [e.column, e.message]))).toEqual([
      [['工作流', `工作流“${path}”在导出后已被删除；请重新导出后再改`]],
      [['结构版本', expect.stringMatching(/^结构版本 99999999 比本项目现在的（\d+）还新/)]],
      [['结构版本', '结构版本不能是负数，收到“-1”']],
    ]);
  });

  it('leaves the structure version empty in an as-of export, whose paths are of a moment', async () => {
    const at = { asOf: Date.now(), knownAt: Date.now() };
    const bytes = (
      await exportSheet({
        em: app.em(),
        initiativeKey: 'stale',
        format: 'csv',
        at,
        canRead: () => true,
      })
    ).bytes;
    const [head, ...body] = table(bytes);
    expect(head!.at(-1)).toBe('结构版本');
    expect(body.length).toBeGreaterThan(0);
    expect(body.every((r) => r.at(-1) === '')).toBe(true);
    expect((await run(bytes, true, 'at.csv')).plan.summary).toMatchObject({
      unchanged: body.length,
      error: 0,
    });
  });

  async function leafId(path: string): Promise<string | undefined> {
    const [top, leaf] = path.split('/');
    const tree = (await app.ok(TREE)).initiative.workstreams;
    return tree.find((t: any) => t.name === top)?.children.find((c: any) => c.name === leaf)?.id;
  }
});
