import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { week20Seed } from '../../seeds/week-20.seed.js';
import { fromGlobalId } from '../../src/domain/global-id.js';
import { loadSeed } from '../../src/services/load-seed.js';
import { DIALECTS } from '../helpers/databases.js';
import { CREATE_WORKSTREAM } from '../helpers/operations.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { exportFile, importFile, table, xlsx } from '../helpers/sheet-files.js';

const FROM = '迁移/Hive迁移-风控报表';
const TO = '迁移/Hive迁移-存管报表';
const PARENT = '迁移';
const ITEM = `query($id: ID!) { node(id: $id) { ... on Item { name weight note version
  workstream { name } history(first: 10) { nodes { actor } } } } }`;
const FIGURES = `{ initiative(key: "hive") { progress { credit counted total }
  workstreams { name progress { credit counted total } children { name progress { credit counted total } } } } }`;

describe.each(DIALECTS)('an import edits existing items (%s)', (dialect) => {
  let app: TestApp;
  const exported = (format: 'xlsx' | 'csv' = 'xlsx') => exportFile(app.em(), 'hive', format);
  const run = (bytes: Uint8Array, dryRun = false, fileName = 'edits.xlsx') =>
    importFile(app.em(), 'hive', bytes, { dryRun, fileName });

  beforeAll(async () => {
    app = await createTestApp(dialect);
    await loadSeed({ em: app.em(), initiatives: week20Seed });
  });
  afterAll(() => app.close());

  it('renames, re-weighs, re-notes and moves by ID in one write; again and export→import change nothing', async () => {
    const rows = table(await exported());
    const [head, ...body] = rows;
    const col = (name: string) => head!.indexOf(name);
    const row = body.find((r) => r[col('工作流')] === FROM && r[col('状态')] === '完成')!;
    const id = row[col('ID')]!;
    const weight = Number(row[col('权重')]);
    const edited = [...row];
    edited[col('事项')] = `${row[col('事项')]}（改名）`;
    edited[col('工作流')] = TO;
    edited[col('权重')] = String(weight + 2);
    edited[col('备注')] = '导入改的备注';
    const bytes = xlsx([head!, ...body.map((r) => (r === row ? edited : r))]);
    const before = await app.ok(FIGURES);

    const dry = await run(bytes, true);
    expect(dry.plan.summary).toMatchObject({ update: 1, error: 0, create: 0, newWorkstreams: 0 });
    const planned = dry.plan.rows.find((r) => r.action === 'update')!;
    expect(planned.changes).toEqual([
      `名称 ${row[col('事项')]}→${edited[col('事项')]}`,
      `工作流 ${FROM}→${TO}`,
      `权重 ${weight}→${weight + 2}`,
      expect.stringMatching(/^备注 /),
    ]);
    expect(await app.ok(FIGURES)).toEqual(before);

    expect((await run(bytes)).applied).toBe(true);
    const item = (await app.ok(ITEM, { id })).node;
    expect(item).toMatchObject({
      name: edited[col('事项')],
      weight: weight + 2,
      note: '导入改的备注',
      workstream: { name: TO.split('/')[1] },
    });
    expect(item.history.nodes.slice(0, 4).map((n: { actor: string }) => n.actor)).toEqual(
      Array(4).fill('import:edits.xlsx'),
    );
    // A done item of weight w+2 left one leaf and entered the other: the figures say so.
    const after = await app.ok(FIGURES);
    const leaf = (f: any, path: string) =>
      f.initiative.workstreams
        .find((w: any) => w.name === PARENT)
        .children.find((c: any) => c.name === path.split('/')[1]).progress;
    expect(leaf(after, FROM).credit).toBeCloseTo(leaf(before, FROM).credit - weight, 6);
    expect(leaf(after, TO).credit).toBeCloseTo(leaf(before, TO).credit + weight + 2, 6);
    expect(after.initiative.progress.counted).toBeCloseTo(
      before.initiative.progress.counted + 2,
      6,
    );
    expect(after.initiative.progress.total).toBe(before.initiative.progress.total);

    const again = await run(bytes);
    expect(again.plan.summary).toMatchObject({ update: 0, unchanged: body.length, error: 0 });
    expect((await app.ok(ITEM, { id })).node.version).toBe(item.version);
    for (const format of ['xlsx', 'csv'] as const) {
      const round = await run(await exported(format), false, `hive.${format}`);
      expect(round.plan.summary).toMatchObject({ update: 0, unchanged: body.length });
    }
    expect(await app.ok(FIGURES)).toEqual(after);
  });

  it('refuses a move onto a workstream with children, naming the row and column', async () => {
    const [head, ...body] = table(await exported());
    const col = (name: string) => head!.indexOf(name);
    const edited = [...body[0]!];
    edited[col('工作流')] = PARENT;
    const before = await app.ok(FIGURES);
    const result = await run(xlsx([head!, edited]));
    expect(result.applied).toBe(false);
    expect(result.plan.rows[0]!.errors).toEqual([
      { row: 2, column: '工作流', message: expect.stringContaining('有下级') },
    ]);
    expect(await app.ok(FIGURES)).toEqual(before);
    expect(fromGlobalId(edited[col('ID')]!)).not.toBeNull();
  });

  it('creates only what lies below a name with a slash, and refuses too deep a path at its row', async () => {
    const hive = (await app.ok('{ initiative(key: "hive") { id } }')).initiative.id;
    const made = await app.ok(CREATE_WORKSTREAM, { input: { initiativeId: hive, name: 'X/Y' } });
    expect(made.createWorkstream.userErrors).toEqual([]);
    const deep = Array.from({ length: 31 }, (_, i) => `层${i + 1}`).join('/');
    // Under "X/Y" (one level, two parts), 29 more levels make 30: allowed; 30 more are too many.
    const under = (n: number) =>
      ['X/Y', ...Array.from({ length: n }, (_, i) => `级${i + 1}`)].join('/');
    const rows = [
      ['工作流', '事项', '状态'],
      ['X/Y/Z', '子项', '未启动'],
      [deep, '深项', '未启动'],
      [under(29), '最深项', '未启动'],
      [under(30), '过深项', '未启动'],
    ];
    const dry = await run(xlsx(rows), true);
    // Not a workstream "X" beside "X/Y": the preview is what the write will make.
    expect(dry.plan.newWorkstreams).toEqual([
      'X/Y/Z',
      ...Array.from({ length: 29 }, (_, i) => under(i + 1)),
    ]);
    const tooDeep = (row: number) => ({
      action: 'error',
      errors: [
        expect.objectContaining({ row, message: expect.stringContaining('不能超过 30 层') }),
      ],
    });
    expect(dry.plan.rows[1]).toMatchObject(tooDeep(3));
    expect(dry.plan.rows[2]).toMatchObject({ action: 'create', errors: [] });
    expect(dry.plan.rows[3]).toMatchObject(tooDeep(5));
  });

  it('words a status change in the sheet’s own labels, not enum names', async () => {
    const [head, ...body] = table(await exported());
    const col = (name: string) => head!.indexOf(name);
    const row = body.find((r) => r[col('状态')] === '处理中' && r[col('进度')] === '90')!;
    const edited = [...row];
    edited[col('状态')] = '完成';
    edited[col('进度')] = '100';
    const dry = await run(xlsx([head!, edited]), true);
    expect(dry.plan.rows[0]!.changes).toEqual(['状态 处理中→完成', '进度 90→100']);
  });
});
