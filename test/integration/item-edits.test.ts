import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCounters } from '../../src/services/verify-counters.js';
import { verifyReplay } from '../../src/services/verify-replay.js';
import { DIALECTS } from '../helpers/databases.js';
import {
  CREATE_INITIATIVE,
  CREATE_ITEMS,
  CREATE_WORKSTREAM,
  DELETE_ITEM,
  MOVE_ITEM,
  NODE_PROGRESS,
  UPDATE_ITEM,
  UPDATE_WORKSTREAM,
} from '../helpers/operations.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const ms = (v: unknown) => new Date(v as string | number | Date).getTime();
const HOUR = 3_600_000;

interface Item {
  status: string;
  percent: number;
  weight: number;
}
/** Σ credit and Σ counted of items under the default policy, in item-equivalents. */
function figure(items: readonly Item[]) {
  let credit = 0;
  let counted = 0;
  for (const i of items) {
    counted += i.weight;
    if (i.status === 'DONE') credit += i.weight;
    else if (i.status === 'IN_PROGRESS') credit += (i.weight * i.percent) / 100;
  }
  return { credit, counted, total: items.length };
}

describe.each(DIALECTS)('updateItem and moveItem (%s)', (dialect) => {
  let app: TestApp;
  let mark = 0;
  let initiative: string;
  let top: string;
  let leafA: string;
  let leafB: string;
  let items: string[];
  let start: string;
  const spec: Item[] = [
    { status: 'IN_PROGRESS', percent: 40, weight: 2 },
    { status: 'DONE', percent: 100, weight: 1 },
    { status: 'NOT_STARTED', percent: 0, weight: 1 },
  ];

  const payload = async (query: string, input: Record<string, unknown>) =>
    Object.values(await app.ok(query, { input }))[0] as any;
  const write = async (query: string, input: Record<string, unknown>) => {
    const p = await payload(query, input);
    expect(p.userErrors).toEqual([]);
    return p;
  };
  const newRows = async () => {
    const rows = await app
      .em()
      .execute('select * from change_log where id > ? order by id', [mark]);
    if (rows.length > 0) mark = Number(rows.at(-1)!.id);
    return rows;
  };
  const progress = async (id: string) => (await app.ok(NODE_PROGRESS, { id })).node.progress;
  /** Counters equal a recount of the items, and a replay of the log alone gives the same. */
  const expectClean = async () => {
    expect((await verifyCounters(app.em())).differences).toEqual([]);
    expect((await verifyReplay(app.em())).differences).toEqual([]);
  };
  const progressAsOf = async (id: string, asOf: string) =>
    (
      await app.ok(
        `query($id: ID!, $at: DateTimeISO!) { node(id: $id, asOf: $at) { ... on Workstream { progress { percent credit counted total } } } }`,
        { id, at: asOf },
      )
    ).node.progress;

  /**
   * A top-level leaf of its own (outside 顶, whose figures other tests check) with one item, both in existence since the start: back-dating
   * needs an object whose latest change is older than the time written (see "Back-dating").
   */
  const freshItem = async (name: string) => {
    const leaf = (
      await write(CREATE_WORKSTREAM, {
        initiativeId: initiative,
        name,
        effectiveAt: start,
      })
    ).workstream.id as string;
    const [item] = (
      await write(CREATE_ITEMS, {
        workstreamId: leaf,
        effectiveAt: start,
        items: [{ name: `${name}事项`, status: 'IN_PROGRESS', percent: 30, note: '旧备注' }],
      })
    ).items;
    await newRows();
    return { leaf, item: item.id as string };
  };

  beforeAll(async () => {
    app = await createTestApp(dialect);
    start = new Date(Date.now() - 12 * HOUR).toISOString();
    initiative = (
      await write(CREATE_INITIATIVE, { key: 'edits', name: '编辑', effectiveAt: start })
    ).initiative.id;
    const ws = (input: Record<string, unknown>) =>
      write(CREATE_WORKSTREAM, { initiativeId: initiative, effectiveAt: start, ...input });
    top = (await ws({ name: '顶' })).workstream.id;
    leafA = (await ws({ name: '甲', parentId: top })).workstream.id;
    leafB = (await ws({ name: '乙', parentId: top })).workstream.id;
    items = (
      await write(CREATE_ITEMS, {
        workstreamId: leafA,
        effectiveAt: start,
        items: spec.map((s, i) => ({ name: `事项${i}`, ...s })),
      })
    ).items.map((i: { id: string }) => i.id);
    await newRows();
  });
  afterAll(() => app?.close());

  it('renames, re-weighs and annotates an item: one logged event each, figures follow', async () => {
    const before = await progress(leafA);
    expect(before).toMatchObject(figure(spec));
    const t0 = Date.now();
    const p = await write(UPDATE_ITEM, {
      itemId: items[0],
      name: '  新名字 ',
      weight: 5,
      note: '第一行\n第二行',
    });
    expect(p.item).toMatchObject({ name: '新名字', weight: 5, note: '第一行\n第二行', version: 2 });
    const rows = await newRows();
    expect(rows.map((r) => r.kind)).toEqual(['ItemRenamed', 'ItemWeightChanged', 'ItemNoteSet']);
    for (const r of rows) {
      expect(r.actor).toBe('test');
      expect(ms(r.recorded_at)).toBeGreaterThanOrEqual(t0 - 1);
      expect(ms(r.effective_at)).toBe(ms(r.recorded_at));
      expect(Number(r.version)).toBe(2);
    }
    expect(JSON.parse(String(rows[0]!.data))).toEqual({ from: '事项0', to: '新名字' });
    expect(rows[1]).toMatchObject({ from_status: 'IN_PROGRESS', to_status: 'IN_PROGRESS' });
    expect([Number(rows[1]!.weight), Number(rows[1]!.to_percent)]).toEqual([5, 40]);
    expect(JSON.parse(String(rows[1]!.data))).toEqual({ from: 2, to: 5 });
    expect(JSON.parse(String(rows[2]!.data))).toEqual({ from: null, to: '第一行\n第二行' });
    spec[0]!.weight = 5;
    expect(await progress(leafA)).toMatchObject(figure(spec));
    expect(await progress(initiative)).toMatchObject(figure(spec));
    await expectClean();
  });

  it('changes nothing, and logs nothing, when nothing changes', async () => {
    const p = await write(UPDATE_ITEM, { itemId: items[0], name: '新名字', weight: 5 });
    expect(p.item.version).toBe(2);
    expect(await newRows()).toEqual([]);
  });

  it('clears a note with null, back-dates, and refuses a future time', async () => {
    const back = new Date(Date.now() - HOUR).toISOString();
    const { item } = await freshItem('丙');
    await write(UPDATE_ITEM, { itemId: item, note: null, effectiveAt: back });
    const [row] = await newRows();
    expect(row).toMatchObject({ kind: 'ItemNoteSet' });
    expect(ms(row!.effective_at)).toBe(ms(back));
    const future = new Date(Date.now() + 10 * 60_000).toISOString();
    const p = await payload(UPDATE_ITEM, { itemId: items[0], weight: 3, effectiveAt: future });
    expect(p.userErrors).toMatchObject([{ code: 'INVALID_INPUT', field: ['effectiveAt'] }]);
    expect(await newRows()).toEqual([]);
  });

  it('answers userErrors with field paths and writes nothing', async () => {
    const cases: [Record<string, unknown>, { code: string; field: string[] }[]][] = [
      [{ itemId: items[1], weight: 0 }, [{ code: 'INVALID_INPUT', field: ['weight'] }]],
      [{ itemId: items[1], weight: 1001 }, [{ code: 'INVALID_INPUT', field: ['weight'] }]],
      [
        { itemId: items[1], name: ' ', weight: -1 },
        [
          { code: 'INVALID_INPUT', field: ['name'] },
          { code: 'INVALID_INPUT', field: ['weight'] },
        ],
      ],
      [{ itemId: items[1], name: 'a\nb' }, [{ code: 'INVALID_INPUT', field: ['name'] }]],
      [{ itemId: items[1], note: 'x\u202Ey' }, [{ code: 'INVALID_INPUT', field: ['note'] }]],
      [
        { itemId: items[1], weight: 2, expectedVersion: 7 },
        [{ code: 'STALE_VERSION', field: ['expectedVersion'] }],
      ],
      [{ itemId: 'SXRlbTo5OTk5OTk', name: 'x' }, [{ code: 'NOT_FOUND', field: ['itemId'] }]],
    ];
    for (const [input, errors] of cases) {
      const p = await payload(UPDATE_ITEM, input);
      expect(p.item, JSON.stringify(input)).toBeNull();
      expect(p.userErrors, JSON.stringify(input)).toMatchObject(errors);
    }
    expect(await newRows()).toEqual([]);
    const ok = await write(UPDATE_ITEM, { itemId: items[1], weight: 2, expectedVersion: 1 });
    expect(ok.item).toMatchObject({ weight: 2, version: 2 });
    spec[1]!.weight = 2;
    expect((await newRows()).map((r) => r.kind)).toEqual(['ItemWeightChanged']);
    await expectClean();
  });

  it('applies a retried updateItem once (idempotencyKey)', async () => {
    const input = { itemId: items[2], weight: 4, idempotencyKey: 'w-4' };
    const first = await write(UPDATE_ITEM, input);
    const again = await write(UPDATE_ITEM, input);
    expect(again.item).toEqual(first.item);
    expect((await newRows()).map((r) => r.kind)).toEqual(['ItemWeightChanged']);
    spec[2]!.weight = 4;
    const reused = await payload(UPDATE_ITEM, { ...input, weight: 6 });
    expect(reused.userErrors).toMatchObject([{ code: 'IDEMPOTENCY_KEY_REUSED' }]);
    expect(await newRows()).toEqual([]);
  });

  it('moves an item with its credit and logs where from, where to and its state', async () => {
    const p = await write(MOVE_ITEM, { itemId: items[0], workstreamId: leafB });
    expect(p.item.workstream).toEqual({ id: leafB });
    const [row, ...rest] = await newRows();
    expect(rest).toEqual([]);
    expect(row).toMatchObject({ kind: 'ItemMoved', actor: 'test' });
    expect(ms(row!.effective_at)).toBe(ms(row!.recorded_at));
    const wsIds = await app
      .em()
      .execute('select id, name from workstream where name in (?, ?) order by name', ['乙', '甲']);
    const idOf = (name: string) => Number(wsIds.find((w) => w.name === name)!.id);
    expect(Number(row!.workstream_id)).toBe(idOf('乙'));
    expect(JSON.parse(String(row!.data))).toEqual({
      from: idOf('甲'),
      to: idOf('乙'),
      fromWorkstreamId: idOf('甲'),
    });
    // As it stood a moment before the move, the item was still in 甲.
    const before = new Date(ms(row!.effective_at) - 1).toISOString();
    expect(await progressAsOf(leafA, before)).toMatchObject(figure(spec));
    expect(await progressAsOf(leafB, before)).toMatchObject({ total: 0 });
    expect([row!.to_status, Number(row!.to_percent), Number(row!.weight)]).toEqual([
      spec[0]!.status,
      spec[0]!.percent,
      spec[0]!.weight,
    ]);
    expect(await progress(leafA)).toMatchObject(figure(spec.slice(1)));
    expect(await progress(leafB)).toMatchObject(figure(spec.slice(0, 1)));
    expect(await progress(top)).toMatchObject(figure(spec));
    await expectClean();
    // Moving it where it is changes nothing.
    await write(MOVE_ITEM, { itemId: items[0], workstreamId: leafB });
    expect(await newRows()).toEqual([]);
  });

  it('refuses a target with children, a manual percent, another initiative or none', async () => {
    const other = (await write(CREATE_INITIATIVE, { key: 'edits-other', name: '别的' })).initiative
      .id;
    const otherLeaf = (await write(CREATE_WORKSTREAM, { initiativeId: other, name: '叶' }))
      .workstream.id;
    const manual = (await write(CREATE_WORKSTREAM, { initiativeId: initiative, name: '人工' }))
      .workstream.id;
    await write(UPDATE_WORKSTREAM, { id: manual, manualPercent: 30 });
    await newRows();
    const cases: [Record<string, unknown>, string, string][] = [
      [{ itemId: items[1], workstreamId: top }, 'INVALID_INPUT', 'workstreamId'],
      [{ itemId: items[1], workstreamId: manual }, 'INVALID_INPUT', 'workstreamId'],
      [{ itemId: items[1], workstreamId: otherLeaf }, 'INVALID_INPUT', 'workstreamId'],
      [{ itemId: items[1], workstreamId: 'V29ya3N0cmVhbTo5OTk5' }, 'NOT_FOUND', 'workstreamId'],
      [{ itemId: 'SXRlbTo5OTk5OTk', workstreamId: leafB }, 'NOT_FOUND', 'itemId'],
      [
        { itemId: items[1], workstreamId: leafB, expectedVersion: 1 },
        'STALE_VERSION',
        'expectedVersion',
      ],
      [
        { itemId: items[1], workstreamId: leafB, effectiveAt: '2000-01-01T00:00:00Z' },
        'INVALID_INPUT',
        'effectiveAt',
      ],
    ];
    for (const [input, code, field] of cases) {
      const p = await payload(MOVE_ITEM, input);
      expect(p.item, JSON.stringify(input)).toBeNull();
      expect(p.userErrors, JSON.stringify(input)).toMatchObject([{ code, field: [field] }]);
    }
    expect(await newRows()).toEqual([]);
    await write(DELETE_ITEM, { id: items[2] });
    await newRows();
    const gone = await payload(MOVE_ITEM, { itemId: items[2], workstreamId: leafB });
    expect(gone.userErrors).toMatchObject([{ code: 'NOT_FOUND', field: ['itemId'] }]);
    await expectClean();
  });

  it('applies a retried moveItem once and back-dates it', async () => {
    const back = new Date(Date.now() - HOUR).toISOString();
    const from = await freshItem('丁');
    const to = await freshItem('戊');
    const input = {
      itemId: from.item,
      workstreamId: to.leaf,
      effectiveAt: back,
      idempotencyKey: 'mv',
    };
    const first = await write(MOVE_ITEM, input);
    expect(await write(MOVE_ITEM, input)).toEqual(first);
    const rows = await newRows();
    expect(rows.map((r) => r.kind)).toEqual(['ItemMoved']);
    expect(ms(rows[0]!.effective_at)).toBe(ms(back));
    expect(await progress(from.leaf)).toMatchObject({ total: 0 });
    expect(await progress(to.leaf)).toMatchObject({ total: 2 });
    // Before the back-dated move the item was where it started.
    const earlier = new Date(ms(back) - 1).toISOString();
    expect(await progressAsOf(from.leaf, earlier)).toMatchObject({ total: 1 });
    expect(await progressAsOf(to.leaf, earlier)).toMatchObject({ total: 1 });
    // Back-dating before the item's latest change is refused.
    const p = await payload(MOVE_ITEM, {
      itemId: from.item,
      workstreamId: from.leaf,
      effectiveAt: new Date(ms(back) - HOUR).toISOString(),
    });
    expect(p.userErrors).toMatchObject([{ code: 'INVALID_INPUT', field: ['effectiveAt'] }]);
    await expectClean();
  });
});
