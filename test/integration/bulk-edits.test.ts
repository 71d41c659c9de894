import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInitiative } from '../../src/services/create-initiative.js';
import { createItems } from '../../src/services/create-items.js';
import { createWorkstream } from '../../src/services/create-workstream.js';
import { deleteItem, deleteItems } from '../../src/services/delete-item.js';
import { moveItem, moveItems } from '../../src/services/move-item.js';
import { defineStages, setItemStage } from '../../src/services/set-item-stage.js';
import { updateItem, updateItems } from '../../src/services/update-item.js';
import { updateWorkstream } from '../../src/services/update-workstream.js';
import type { UseCase } from '../../src/services/write-pipeline/use-case.js';
import { runWrite } from '../../src/services/write-pipeline/run-write.js';
import { operatorContext } from '../../src/services/write-pipeline/write-context.js';
import { DIALECTS } from '../helpers/databases.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * An import's renames, moves and prunes are written a hundred at a step by the bulk forms of
 * updateItem, moveItem and deleteItem. They keep the single writes' rules, refuse what those
 * refuse (naming the entry, writing nothing) and leave the items, the log and the figures as the
 * single writes leave them.
 */
describe.each(DIALECTS)('bulk item edits (%s)', (dialect) => {
  let app: TestApp;
  const write = <P, R>(useCase: UseCase<P, R>, props: P) =>
    runWrite(operatorContext(app.em(), 'test'), useCase, props);
  type Refused = { code?: string; field?: readonly string[] };
  /** The refusal's code and field (the first of several, as an answer's first userError). */
  const refusal = async (work: Promise<unknown>) =>
    work.then(
      () => null,
      (e: Refused & { errors?: Refused[] }) => {
        const first = e.errors?.[0] ?? e;
        return { code: first.code, field: first.field };
      },
    );
  const rows = (sql: string, params: unknown[]) => app.em().execute(sql, params);

  /**
   * An initiative with leaves A and B (B's items staged under the initiative's workflow), a
   * parent P with child C, M with a manual percent, and items a1–a3 in A, b1 in B.
   */
  const build = async (key: string) => {
    const { id } = await write(createInitiative, { key, name: key });
    const ws = async (name: string, parentId?: number) =>
      (await write(createWorkstream, { initiativeId: id, name, parentId })).id as number;
    const [a, b, p] = [await ws('A'), await ws('B'), await ws('P')];
    const c = await ws('C', p);
    const m = await ws('M');
    await write(updateWorkstream, { id: m, manualPercent: 40 });
    const items = await write(createItems, {
      workstreamId: a,
      items: [
        { name: 'a1', weight: 2 },
        { name: 'a2', status: 'IN_PROGRESS', percent: 30 },
        { name: 'a3', status: 'DONE' },
      ],
    });
    const [b1] = await write(createItems, { workstreamId: b, items: [{ name: 'b1' }] });
    await write(defineStages, {
      initiativeId: id,
      workstreamId: b,
      stages: [{ name: '设计', percent: 10 }, { name: '上线' }],
    });
    await write(setItemStage, { itemId: b1!.id, stage: '设计' });
    const [a1, a2, a3] = items.map((i) => i.id);
    return { id, a, b, p, c, m, a1: a1!, a2: a2!, a3: a3!, b1: b1!.id };
  };
  type Built = Awaited<ReturnType<typeof build>>;

  /** Items (by name: workstream, weight, note, version, deleted), log rows and counters. */
  const state = async (t: Built) => {
    const items = await rows(
      `select i.name, w.name as ws, i.weight, i.note, i.version, i.deleted_at
         from item i join workstream w on w.id = i.workstream_id
        where i.initiative_id = ? order by i.id`,
      [t.id],
    );
    const log = await rows(
      `select l.kind, i.name from change_log l join item i on i.id = l.item_id
        where l.initiative_id = ? order by l.id`,
      [t.id],
    );
    const tallies = await rows(
      `select w.name, t.status, t.items, t.weight, t.percent_weight
         from workstream_tally t join workstream w on w.id = t.workstream_id
        where t.initiative_id = ? and t.items <> 0 order by w.name, t.status`,
      [t.id],
    );
    return {
      items: items.map((r) => ({
        name: r.name,
        ws: r.ws,
        weight: Number(r.weight),
        note: r.note,
        version: Number(r.version),
        deleted: r.deleted_at !== null,
      })),
      log: log.map((r) => `${String(r.kind)} ${String(r.name)}`),
      tallies: tallies.map((r) => [
        r.name,
        r.status,
        Number(r.items),
        Number(r.weight),
        Number(r.percent_weight),
      ]),
    };
  };

  beforeAll(async () => {
    app = await createTestApp(dialect);
  });
  afterAll(() => app?.close());

  it('leave items, log and figures as the single writes leave them', async () => {
    const one = await build('one');
    const bulk = await build('bulk');
    expect(await state(bulk)).toEqual(await state(one));

    await write(updateItem, { itemId: one.a1, name: 'a1改', weight: 5 });
    await write(updateItem, { itemId: one.a2, note: '备注' });
    await write(updateItem, { itemId: one.a3, name: 'a3' }); // changes nothing: no new version
    await write(moveItem, { itemId: one.a1, workstreamId: one.c });
    await write(moveItem, { itemId: one.a2, workstreamId: one.a }); // where it is: nothing
    await write(moveItem, { itemId: one.b1, workstreamId: one.b });
    await write(deleteItem, { itemId: one.a3 });

    const updated = await write(updateItems, {
      updates: [
        { itemId: bulk.a1, name: 'a1改', weight: 5 },
        { itemId: bulk.a2, note: '备注' },
        { itemId: bulk.a3, name: 'a3' },
      ],
    });
    expect(updated.map((i) => [i.name, i.version])).toEqual([
      ['a1改', 2],
      ['a2', 2],
      ['a3', 1],
    ]);
    const moved = await write(moveItems, {
      moves: [
        { itemId: bulk.a1, workstreamId: bulk.c, expectedVersion: 2 },
        { itemId: bulk.a2, workstreamId: bulk.a },
        { itemId: bulk.b1, workstreamId: bulk.b },
      ],
    });
    expect(moved.map((i) => [i.workstreamId, i.version])).toEqual([
      [bulk.c, 3],
      [bulk.a, 2],
      [bulk.b, 2],
    ]);
    expect(
      await write(deleteItems, { deletes: [{ itemId: bulk.a3, expectedVersion: 1 }] }),
    ).toEqual([bulk.a3]);

    const after = await state(bulk);
    expect(after).toEqual(await state(one));
    expect(after.items).toMatchObject([
      { name: 'a1改', ws: 'C', weight: 5, version: 3, deleted: false },
      { name: 'a2', ws: 'A', note: '备注', version: 2, deleted: false },
      { name: 'a3', ws: 'A', version: 2, deleted: true },
      { name: 'b1', ws: 'B', version: 2, deleted: false },
    ]);
    expect(after.log.slice(-5)).toEqual([
      'ItemRenamed a1改',
      'ItemWeightChanged a1改',
      'ItemNoteSet a2',
      'ItemMoved a1改',
      'ItemDeleted a3',
    ]);
  });

  it('refuse what the single writes refuse, naming the entry and writing nothing', async () => {
    const t = await build('refused');
    const other = await build('other');
    await write(deleteItem, { itemId: other.a3 });
    const before = await state(t);
    const cases: [() => Promise<unknown>, { code: string; field: string[] }][] = [
      [
        () =>
          write(updateItems, {
            updates: [
              { itemId: t.a1, name: 'x' },
              { itemId: t.a2, name: 'y', expectedVersion: 9 },
            ],
          }),
        { code: 'STALE_VERSION', field: ['updates', '1', 'expectedVersion'] },
      ],
      [
        () =>
          write(updateItems, {
            updates: [
              { itemId: t.a1, name: 'x' },
              { itemId: t.a2, weight: 0 },
            ],
          }),
        { code: 'INVALID_INPUT', field: ['updates', '1', 'weight'] },
      ],
      [
        () =>
          write(updateItems, {
            updates: [
              { itemId: t.a1, name: 'x' },
              { itemId: t.a1, name: 'y' },
            ],
          }),
        { code: 'INVALID_INPUT', field: ['updates', '1', 'itemId'] },
      ],
      [
        () =>
          write(moveItems, {
            moves: [
              { itemId: t.a1, workstreamId: t.c },
              { itemId: t.a2, workstreamId: t.p },
            ],
          }),
        { code: 'INVALID_INPUT', field: ['moves', '1', 'workstreamId'] },
      ],
      [
        () =>
          write(moveItems, {
            moves: [
              { itemId: t.a1, workstreamId: t.c },
              { itemId: t.a2, workstreamId: t.m },
            ],
          }),
        { code: 'INVALID_INPUT', field: ['moves', '1', 'workstreamId'] },
      ],
      [
        // b1 is staged under B's workflow; A has none.
        () =>
          write(moveItems, {
            moves: [
              { itemId: t.a1, workstreamId: t.c },
              { itemId: t.b1, workstreamId: t.a },
            ],
          }),
        { code: 'INVALID_INPUT', field: ['moves', '1', 'workstreamId'] },
      ],
      [
        () =>
          write(moveItems, {
            moves: [
              { itemId: t.a1, workstreamId: t.c },
              { itemId: t.a2, workstreamId: other.a },
            ],
          }),
        { code: 'INVALID_INPUT', field: ['moves', '1', 'workstreamId'] },
      ],
      [
        () =>
          write(moveItems, {
            moves: [
              { itemId: t.a1, workstreamId: t.c },
              { itemId: other.a1, workstreamId: other.c },
            ],
          }),
        { code: 'INVALID_INPUT', field: ['moves'] },
      ],
      [
        // A deleted item of another initiative is not found, not a second initiative.
        () =>
          write(moveItems, {
            moves: [
              { itemId: t.a1, workstreamId: t.c },
              { itemId: other.a3, workstreamId: other.c },
            ],
          }),
        { code: 'NOT_FOUND', field: ['moves', '1', 'itemId'] },
      ],
      [
        () =>
          write(deleteItems, {
            deletes: [{ itemId: t.a1 }, { itemId: 999_999 }],
          }),
        { code: 'NOT_FOUND', field: ['deletes', '1', 'itemId'] },
      ],
      [
        () =>
          write(deleteItems, { deletes: [{ itemId: t.a1 }, { itemId: t.a2, expectedVersion: 7 }] }),
        { code: 'STALE_VERSION', field: ['deletes', '1', 'expectedVersion'] },
      ],
    ];
    for (const [work, expected] of cases) expect(await refusal(work())).toEqual(expected);
    expect(await state(t)).toEqual(before);
  });

  it('the single writes name their fields as before', async () => {
    const t = await build('single');
    expect(await refusal(write(moveItem, { itemId: t.a1, workstreamId: t.p }))).toEqual({
      code: 'INVALID_INPUT',
      field: ['workstreamId'],
    });
    expect(
      await refusal(write(updateItem, { itemId: t.a1, expectedVersion: 4, name: 'z' })),
    ).toEqual({ code: 'STALE_VERSION', field: ['expectedVersion'] });
    expect(await refusal(write(deleteItem, { itemId: 999_999 }))).toEqual({
      code: 'NOT_FOUND',
      field: ['id'],
    });
  });
});
