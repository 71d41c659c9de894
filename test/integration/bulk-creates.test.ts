import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_TREE_DEPTH } from '../../src/domain/tree-rules.js';
import { createInitiative } from '../../src/services/create-initiative.js';
import { createItems, createItemsIn } from '../../src/services/create-items.js';
import { createWorkstream } from '../../src/services/create-workstream.js';
import { createWorkstreams, type NewWorkstream } from '../../src/services/create-workstreams.js';
import { updateWorkstream } from '../../src/services/update-workstream.js';
import type { UseCase } from '../../src/services/write-pipeline/use-case.js';
import { runWrite } from '../../src/services/write-pipeline/run-write.js';
import { operatorContext } from '../../src/services/write-pipeline/write-context.js';
import { DIALECTS } from '../helpers/databases.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * An import's new workstreams and items are written a hundred at a step by the bulk forms of
 * createWorkstream and createItems. They keep the single writes' rules and give the tree the
 * single writes give: the same parents, places among siblings, paths, depths, logged events.
 */
describe.each(DIALECTS)('bulk creates (%s)', (dialect) => {
  let app: TestApp;
  const write = <P, R>(useCase: UseCase<P, R>, props: P) =>
    runWrite(operatorContext(app.em(), 'test'), useCase, props);
  const initiative = async (key: string) =>
    (await write(createInitiative, { key, name: key })).id as number;
  /** Every live workstream of an initiative, by name: its parent's name, place, depth, path. */
  const tree = async (initiativeId: number) => {
    const rows = await app
      .em()
      .execute(
        'select id, parent_id, name, position, depth, path from workstream where initiative_id = ? and deleted_at is null order by id',
        [initiativeId],
      );
    const nameOf = new Map(rows.map((r) => [Number(r.id), String(r.name)]));
    return Object.fromEntries(
      rows.map((r) => {
        const parent = r.parent_id === null ? null : Number(r.parent_id);
        const parentPath = parent === null ? '/' : rows.find((p) => Number(p.id) === parent)!.path;
        expect(r.path).toBe(`${parentPath}${r.id}/`);
        return [
          r.name,
          {
            parent: parent === null ? null : nameOf.get(parent),
            position: Number(r.position),
            depth: Number(r.depth),
          },
        ];
      }),
    );
  };
  const logged = async (initiativeId: number) =>
    (
      await app
        .em()
        .execute(
          "select kind, workstream_id from change_log where initiative_id = ? and kind = 'WorkstreamCreated' order by id",
          [initiativeId],
        )
    ).map((r) => Number(r.workstream_id));
  type Refused = { code?: string; field?: readonly string[] };
  /** The refusal's code and field; a list check's, when it found one thing wrong. */
  const refusal = async (work: Promise<unknown>) =>
    work.then(
      () => null,
      (e: Refused & { errors?: readonly Refused[] }) => {
        const one = e.errors?.length === 1 ? e.errors[0]! : e;
        return { code: one.code, field: one.field };
      },
    );
  const count = async (table: string, initiativeId: number) =>
    Number(
      (
        await app
          .em()
          .execute(`select count(*) as n from ${table} where initiative_id = ?`, [initiativeId])
      )[0]!.n,
    );

  beforeAll(async () => {
    app = await createTestApp(dialect);
  });
  afterAll(() => app?.close());

  it('gives the tree one createWorkstream at a time gives, parents logged before children', async () => {
    const one = await initiative('one');
    const bulk = await initiative('bulk');
    // Two existing workstreams under P in each, so new ones go after them.
    const setUp = async (id: number) => {
      const p = await write(createWorkstream, { initiativeId: id, name: 'P' });
      await write(createWorkstream, { initiativeId: id, parentId: p.id, name: 'x' });
      await write(createWorkstream, { initiativeId: id, parentId: p.id, name: 'y' });
      return p.id;
    };
    const pOne = await setUp(one);
    const pBulk = await setUp(bulk);

    const a = await write(createWorkstream, { initiativeId: one, name: 'A' });
    const b = await write(createWorkstream, { initiativeId: one, parentId: a.id, name: 'B' });
    await write(createWorkstream, { initiativeId: one, parentId: pOne, name: 'C' });
    await write(createWorkstream, { initiativeId: one, parentId: b.id, name: 'D' });
    await write(createWorkstream, { initiativeId: one, name: 'E' });
    await write(createWorkstream, { initiativeId: one, parentId: a.id, name: 'F' });

    const made = await write(createWorkstreams, {
      initiativeId: bulk,
      workstreams: [
        { name: 'A' },
        { name: 'B', parentIndex: 0 },
        { name: 'C', parentId: pBulk },
        { name: 'D', parentIndex: 1 },
        { name: 'E' },
        { name: 'F', parentIndex: 0 },
      ],
    });

    expect(made.map((w) => w.name)).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
    expect(await tree(bulk)).toEqual(await tree(one));
    expect(await tree(bulk)).toMatchObject({
      A: { parent: null, position: 1, depth: 0 },
      C: { parent: 'P', position: 2, depth: 1 },
      D: { parent: 'B', position: 0, depth: 2 },
      E: { parent: null, position: 2, depth: 0 },
      F: { parent: 'A', position: 1, depth: 1 },
    });
    // Logged in the list's order: a parent's creation before its children's.
    const order = await logged(bulk);
    expect(order.slice(-6)).toEqual(made.map((w) => w.id));
  });

  it('refuses what createWorkstream refuses, naming the entry, and writes none of the list', async () => {
    const id = await initiative('refused');
    const other = await initiative('other');
    const leaf = await write(createWorkstream, { initiativeId: id, name: 'leaf' });
    await write(createItems, { workstreamId: leaf.id, items: [{ name: 'i' }] });
    const elsewhere = await write(createWorkstream, { initiativeId: other, name: 'there' });
    let deep = await write(createWorkstream, { initiativeId: id, name: 'd0' });
    for (let d = 1; d < MAX_TREE_DEPTH - 1; d++)
      deep = await write(createWorkstream, { initiativeId: id, parentId: deep.id, name: `d${d}` });
    const before = await count('workstream', id);

    const list = (bad: NewWorkstream): NewWorkstream[] => [
      { name: 'fine' },
      { name: 'fine too', parentIndex: 0 },
      bad,
    ];
    const refused = (bad: NewWorkstream) =>
      refusal(write(createWorkstreams, { initiativeId: id, workstreams: list(bad) }));
    expect(await refused({ name: 'n', parentId: leaf.id })).toEqual({
      code: 'INVALID_INPUT',
      field: ['workstreams', '2', 'parentId'],
    });
    expect(await refused({ name: 'n', parentId: elsewhere.id })).toEqual({
      code: 'NOT_FOUND',
      field: ['workstreams', '2', 'parentId'],
    });
    expect(await refused({ name: 'n', parentIndex: 2 })).toEqual({
      code: 'INVALID_INPUT',
      field: ['workstreams', '2', 'parentIndex'],
    });
    expect(await refused({ name: ' ' })).toMatchObject({ code: 'INVALID_INPUT' });
    // One level below the deepest allowed is fine as a single create would be; two are not.
    expect(await refused({ name: 'n', parentId: deep.id })).toBeNull();
    const deeper = await refusal(
      write(createWorkstreams, {
        initiativeId: id,
        workstreams: [
          { name: 'x', parentId: deep.id },
          { name: 'y', parentIndex: 0 },
        ],
      }),
    );
    expect(deeper).toEqual({ code: 'INVALID_INPUT', field: ['workstreams', '1', 'parentId'] });
    expect(
      await refusal(write(createWorkstream, { initiativeId: id, parentId: deep.id, name: 'z' })),
    ).toBeNull();
    // The accepted list above added 3, the single create 1; the refused ones nothing.
    expect(await count('workstream', id)).toBe(before + 4);
  });

  it('createItemsIn puts each group into its workstream in order, with createItems’ rules', async () => {
    const id = await initiative('items');
    const other = await initiative('items-other');
    const ws = (name: string) => write(createWorkstream, { initiativeId: id, name });
    const a = await ws('a');
    const b = await ws('b');
    const parent = await ws('parent');
    const manual = await ws('manual');
    await write(createWorkstream, { initiativeId: id, parentId: parent.id, name: 'child' });
    await write(updateWorkstream, { id: manual.id, manualPercent: 50 });
    const there = await write(createWorkstream, { initiativeId: other, name: 'there' });

    const made = await write(createItemsIn, {
      groups: [
        { workstreamId: a.id, items: [{ name: 'a1' }, { name: 'a2', status: 'DONE' }] },
        { workstreamId: b.id, items: [{ name: 'b1', status: 'IN_PROGRESS', percent: 40 }] },
        { workstreamId: a.id, items: [{ name: 'a3', weight: 3 }] },
      ],
    });
    expect(made.map((i) => [i.name, i.workstreamId, i.status, i.percent, i.weight])).toEqual([
      ['a1', a.id, 'NOT_STARTED', 0, 1],
      ['a2', a.id, 'DONE', 100, 1],
      ['b1', b.id, 'IN_PROGRESS', 40, 1],
      ['a3', a.id, 'NOT_STARTED', 0, 3],
    ]);
    expect([...made.map((i) => i.id)].sort((x, y) => x - y)).toEqual(made.map((i) => i.id));
    const counters = await app
      .em()
      .execute(
        'select workstream_id, sum(items) as n from workstream_tally where initiative_id = ? group by workstream_id order by workstream_id',
        [id],
      );
    expect(counters.map((r) => [Number(r.workstream_id), Number(r.n)])).toEqual([
      [a.id, 3],
      [b.id, 1],
    ]);

    const before = await count('item', id);
    const refused = (groups: { workstreamId: number; items: { name: string }[] }[]) =>
      refusal(write(createItemsIn, { groups }));
    const fine = { workstreamId: a.id, items: [{ name: 'fine' }] };
    expect(await refused([fine, { workstreamId: parent.id, items: [{ name: 'n' }] }])).toEqual({
      code: 'INVALID_INPUT',
      field: ['groups', '1', 'workstreamId'],
    });
    expect(await refused([fine, { workstreamId: manual.id, items: [{ name: 'n' }] }])).toEqual({
      code: 'INVALID_INPUT',
      field: ['groups', '1', 'workstreamId'],
    });
    expect(await refused([fine, { workstreamId: 987_654, items: [{ name: 'n' }] }])).toEqual({
      code: 'NOT_FOUND',
      field: ['groups', '1', 'workstreamId'],
    });
    expect(await refused([fine, { workstreamId: there.id, items: [{ name: 'n' }] }])).toEqual({
      code: 'INVALID_INPUT',
      field: ['groups'],
    });
    // An item's field is named within its group, as the caller wrote it.
    expect(
      await refused([fine, { workstreamId: b.id, items: [{ name: 'ok' }, { name: ' ' }] }]),
    ).toEqual({ code: 'INVALID_INPUT', field: ['groups', '1', 'items', '1', 'name'] });
    const many = Array.from({ length: 100 }, (_, i) => ({ name: `m${i}` }));
    expect(await refused([fine, { workstreamId: b.id, items: many }])).toEqual({
      code: 'TOO_MANY',
      field: ['groups'],
    });
    expect(await count('item', id)).toBe(before);
  });
});
