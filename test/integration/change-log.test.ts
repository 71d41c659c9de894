import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import {
  CREATE_INITIATIVE,
  CREATE_ITEMS,
  CREATE_WORKSTREAM,
  DELETE_ITEM,
  DELETE_WORKSTREAM,
  MOVE_WORKSTREAM,
  SET_ITEM_STATUS,
  SET_ITEM_STATUSES,
  UPDATE_WORKSTREAM,
} from '../helpers/operations.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { verifyCounters } from '../../src/services/verify-counters.js';
import { decodeLiveEvent } from '../../src/db/outbox-payload.js';

const RESTORE_ITEM = `mutation($input: RestoreItemInput!) {
  restoreItem(input: $input) { item { id } userErrors { code message field } } }`;
const RESTORE_WORKSTREAM = `mutation($input: RestoreWorkstreamInput!) {
  restoreWorkstream(input: $input) { workstream { id } userErrors { code message field } } }`;

const ms = (v: unknown) => new Date(v as string | number | Date).getTime();
const HOUR = 3_600_000;

describe.each(DIALECTS)('every mutation logs its change events (%s)', (dialect) => {
  let app: TestApp;
  let mark = 0;
  /** Runs a mutation that must succeed; returns its payload. */
  const write = async (query: string, input: Record<string, unknown>) => {
    const data = await app.ok(query, { input });
    const payload: any = Object.values(data)[0];
    expect(payload.userErrors).toEqual([]);
    return payload;
  };
  /** The log rows written since the last call. */
  const newRows = async () => {
    const rows = await app
      .em()
      .execute('select * from change_log where id > ? order by id', [mark]);
    if (rows.length > 0) mark = Number(rows.at(-1)!.id);
    return rows;
  };
  const start = () => new Date(Date.now() - 12 * HOUR).toISOString();
  let initiative: string;
  let top: string;
  let leaf: string;

  beforeAll(async () => {
    app = await createTestApp(dialect);
  });
  afterAll(() => app?.close());

  it('logs each kind with both times (default: effective when recorded), and weights', async () => {
    const cases: [string, () => Promise<unknown>, string[]][] = [
      [
        'createInitiative',
        async () =>
          (initiative = (
            await write(CREATE_INITIATIVE, { key: 'log', name: '日志', effectiveAt: start() })
          ).initiative.id),
        ['InitiativeCreated'],
      ],
      [
        'createWorkstream',
        async () =>
          (top = (
            await write(CREATE_WORKSTREAM, {
              initiativeId: initiative,
              name: '顶',
              effectiveAt: start(),
            })
          ).workstream.id),
        ['WorkstreamCreated'],
      ],
      [
        'createWorkstream (child)',
        async () =>
          (leaf = (
            await write(CREATE_WORKSTREAM, {
              initiativeId: initiative,
              parentId: top,
              name: '叶',
              effectiveAt: start(),
            })
          ).workstream.id),
        ['WorkstreamCreated'],
      ],
      [
        'updateWorkstream',
        () =>
          write(UPDATE_WORKSTREAM, {
            id: top,
            name: '顶层',
            phase: '测试',
            weight: 2,
            targetDate: '2026-12-31',
            reportDetail: 'BY_NAME',
          }),
        [
          'WorkstreamRenamed',
          'WorkstreamPhaseSet',
          'WorkstreamReweighted',
          'WorkstreamTargetDateSet',
          'WorkstreamReportDetailSet',
        ],
      ],
      [
        'createItems',
        () =>
          write(CREATE_ITEMS, {
            workstreamId: leaf,
            items: [
              { name: 'a', status: 'IN_PROGRESS', percent: 30, weight: 3 },
              { name: 'b' },
              { name: 'c' },
            ],
            effectiveAt: start(),
          }),
        ['ItemCreated', 'ItemCreated', 'ItemCreated'],
      ],
    ];
    for (const [name, run, kinds] of cases) {
      const t0 = Date.now();
      await run();
      const rows = await newRows();
      expect(
        rows.map((r) => r.kind),
        name,
      ).toEqual(kinds);
      for (const r of rows) {
        expect(ms(r.recorded_at), name).toBeGreaterThanOrEqual(t0 - 1);
        expect(ms(r.recorded_at), name).toBeLessThanOrEqual(Date.now());
        if (name.startsWith('create'))
          expect(ms(r.effective_at), name).toBeLessThan(ms(r.recorded_at) - HOUR);
        else expect(ms(r.effective_at), name).toBe(ms(r.recorded_at));
        expect(r.actor).toBe('test');
      }
    }
    const created = await app
      .em()
      .execute(
        "select weight, to_status, to_percent from change_log where kind = 'ItemCreated' order by id",
      );
    expect(created.map((r) => [Number(r.weight), r.to_status, Number(r.to_percent)])).toEqual([
      [3, 'IN_PROGRESS', 30],
      [1, 'NOT_STARTED', 0],
      [1, 'NOT_STARTED', 0],
    ]);
  });

  it('names in each live event exactly the change-log rows its write added', async () => {
    const key = (await write(CREATE_INITIATIVE, { key: 'ids', name: '编号' })).initiative.id;
    const ws = (await write(CREATE_WORKSTREAM, { initiativeId: key, name: '工作' })).workstream.id;
    const created = await write(CREATE_ITEMS, {
      workstreamId: ws,
      items: Array.from({ length: 30 }, (_, i) => ({ name: `事项${i}` })),
    });
    const lastEvent = async () =>
      decodeLiveEvent(
        String(
          (await app.em().execute('select payload from outbox order by seq desc limit 1'))[0]!
            .payload,
        ),
      );
    for (const ids of [
      created.items.map((i: { id: string }) => i.id),
      created.items.slice(3, 20).map((i: { id: string }) => i.id),
      [created.items[7].id],
    ]) {
      await newRows();
      await write(SET_ITEM_STATUSES, {
        updates: ids.map((itemId: string) => ({ itemId, status: 'IN_PROGRESS', percent: 40 })),
      });
      const rows = await newRows();
      expect(rows).toHaveLength(ids.length);
      expect((await lastEvent()).changeIds).toEqual(rows.map((r) => Number(r.id)));
    }
  });

  it('logs item and structure changes, back-dated where asked', async () => {
    const items = (
      await app.ok(
        `query($id: ID!) { node(id: $id) { ... on Workstream { items { nodes { id } } } } }`,
        {
          id: leaf,
        },
      )
    ).node.items.nodes.map((n: any) => n.id);
    const back = new Date(Date.now() - HOUR).toISOString();
    const manual = (
      await write(CREATE_WORKSTREAM, {
        initiativeId: initiative,
        name: '人工',
        effectiveAt: start(),
      })
    ).workstream.id;
    await newRows();
    const cases: [string, () => Promise<unknown>, string[], string | null][] = [
      [
        'setItemStatus',
        () => write(SET_ITEM_STATUS, { itemId: items[0], status: 'DONE', effectiveAt: back }),
        ['ItemStatusChanged'],
        back,
      ],
      [
        'setItemStatuses',
        () =>
          write(SET_ITEM_STATUSES, {
            effectiveAt: back,
            updates: [
              { itemId: items[1], status: 'PAUSED', percent: 10 },
              { itemId: items[2], status: 'IN_PROGRESS', percent: 20, effectiveAt: start() },
            ],
          }),
        ['ItemStatusChanged', 'ItemStatusChanged'],
        null,
      ],
      [
        'deleteItem',
        () => write(DELETE_ITEM, { id: items[1], effectiveAt: back }),
        ['ItemDeleted'],
        back,
      ],
      ['restoreItem', () => write(RESTORE_ITEM, { id: items[1] }), ['ItemRestored'], null],
      [
        'updateWorkstream (manual)',
        () => write(UPDATE_WORKSTREAM, { id: manual, manualPercent: 40, effectiveAt: back }),
        ['WorkstreamManualPercentSet'],
        back,
      ],
      [
        'moveWorkstream',
        () => write(MOVE_WORKSTREAM, { id: manual, parentId: top, effectiveAt: back }),
        ['WorkstreamMoved'],
        back,
      ],
      [
        'deleteWorkstream',
        // Not back-dated: `top` was renamed now, and nothing may take effect before its latest.
        () => write(DELETE_WORKSTREAM, { id: top }),
        ['WorkstreamDeleted'],
        null,
      ],
      [
        'restoreWorkstream',
        () => write(RESTORE_WORKSTREAM, { id: top }),
        ['WorkstreamRestored'],
        null,
      ],
    ];
    for (const [name, run, kinds, effective] of cases) {
      await run();
      const rows = await newRows();
      expect(
        rows.map((r) => r.kind),
        name,
      ).toEqual(kinds);
      if (effective) expect(ms(rows[0]!.effective_at), name).toBe(ms(effective));
      else if (name !== 'setItemStatuses')
        expect(ms(rows[0]!.effective_at), name).toBe(ms(rows[0]!.recorded_at));
      if (name === 'setItemStatuses') {
        expect(ms(rows[0]!.effective_at)).toBe(ms(back)); // the call's time
        expect(ms(rows[1]!.effective_at)).toBeLessThan(ms(back)); // the update's own
        expect(
          rows.map((r) => [r.from_status, r.to_status, Number(r.to_percent), Number(r.weight)]),
        ).toEqual([
          ['NOT_STARTED', 'PAUSED', 10, 1],
          ['NOT_STARTED', 'IN_PROGRESS', 20, 1],
        ]);
      }
      if (name === 'moveWorkstream')
        expect(JSON.parse(String(rows[0]!.data))).toMatchObject({
          from: { parentId: null },
          to: { parentId: expect.any(Number) },
        });
      if (name === 'deleteWorkstream')
        expect(JSON.parse(String(rows[0]!.data)).subtree).toHaveLength(3); // top, leaf, manual
    }
    expect((await verifyCounters(app.em())).differences).toEqual([]);
  });
});
