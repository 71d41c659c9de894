import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { week20Seed, WEEK_20_EFFECTIVE_AT } from '../../seeds/week-20.seed.js';
import { loadSeed } from '../../src/services/load-seed.js';
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
import { GOLDEN_HEADER_START } from '../helpers/golden-report.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

describe.each(DIALECTS)('back-dating (%s)', (dialect) => {
  let app: TestApp;
  let since: number;
  let initiative: string;
  let top: string;
  let leaf: string;
  let items: string[];
  const logCount = async () =>
    Number((await app.em().execute('select count(*) as n from change_log'))[0]!.n);
  const ok = async (query: string, input: Record<string, unknown>) => {
    const payload: any = Object.values(await app.ok(query, { input }))[0];
    expect(payload.userErrors).toEqual([]);
    return payload;
  };
  /** The mutation must answer exactly these userErrors and write nothing. */
  const refused = async (query: string, input: Record<string, unknown>, fields: string[][]) => {
    const before = await logCount();
    const payload: any = Object.values(await app.ok(query, { input }))[0];
    expect(payload.userErrors.map((e: any) => [e.code, e.field])).toEqual(
      fields.map((f) => ['INVALID_INPUT', f]),
    );
    expect(await logCount()).toBe(before);
  };

  beforeAll(async () => {
    app = await createTestApp(dialect);
    since = Date.now() - 60 * MINUTE;
    initiative = (await ok(CREATE_INITIATIVE, { key: 'bd', name: '补录', effectiveAt: iso(since) }))
      .initiative.id;
    top = (
      await ok(CREATE_WORKSTREAM, { initiativeId: initiative, name: '顶', effectiveAt: iso(since) })
    ).workstream.id;
    leaf = (
      await ok(CREATE_WORKSTREAM, {
        initiativeId: initiative,
        parentId: top,
        name: '叶',
        effectiveAt: iso(since + 10 * MINUTE),
      })
    ).workstream.id;
    items = (
      await ok(CREATE_ITEMS, {
        workstreamId: leaf,
        items: ['a', 'b', 'c', 'd'].map((name) => ({ name })),
        effectiveAt: iso(since + 20 * MINUTE),
      })
    ).items.map((i: any) => i.id);
  });
  afterAll(() => app?.close());

  const future = () => iso(Date.now() + 5 * MINUTE);

  it('refuses a time in the future on every write that takes one', async () => {
    await refused(CREATE_INITIATIVE, { key: 'later', name: '未来', effectiveAt: future() }, [
      ['effectiveAt'],
    ]);
    await refused(
      CREATE_WORKSTREAM,
      { initiativeId: initiative, name: 'x', effectiveAt: future() },
      [['effectiveAt']],
    );
    await refused(UPDATE_WORKSTREAM, { id: top, name: 'y', effectiveAt: future() }, [
      ['effectiveAt'],
    ]);
    await refused(MOVE_WORKSTREAM, { id: leaf, parentId: null, effectiveAt: future() }, [
      ['effectiveAt'],
    ]);
    await refused(DELETE_WORKSTREAM, { id: leaf, effectiveAt: future() }, [['effectiveAt']]);
    await refused(
      CREATE_ITEMS,
      { workstreamId: leaf, items: [{ name: 'z' }], effectiveAt: future() },
      [['effectiveAt']],
    );
    await refused(SET_ITEM_STATUS, { itemId: items[0], status: 'DONE', effectiveAt: future() }, [
      ['effectiveAt'],
    ]);
    await refused(DELETE_ITEM, { id: items[0], effectiveAt: future() }, [['effectiveAt']]);
    await refused(
      SET_ITEM_STATUSES,
      { updates: [{ itemId: items[0], status: 'DONE' }], effectiveAt: future() },
      [['effectiveAt']],
    );
  });

  it('accepts a clock up to a minute ahead', async () => {
    await ok(SET_ITEM_STATUS, {
      itemId: items[0],
      status: 'IN_PROGRESS',
      percent: 10,
      effectiveAt: iso(Date.now() + 30_000),
    });
  });

  it('refuses a time before the object existed, naming the update', async () => {
    const beforeItems = iso(since + 15 * MINUTE);
    await refused(
      SET_ITEM_STATUSES,
      {
        updates: items.map((itemId, i) => ({
          itemId,
          status: 'DONE',
          ...(i === 3 ? { effectiveAt: beforeItems } : {}),
        })),
      },
      [['updates', '3', 'effectiveAt']],
    );
    // The call's own time, refused for every update: one error on the call's field.
    await refused(
      SET_ITEM_STATUSES,
      { updates: items.map((itemId) => ({ itemId, status: 'DONE' })), effectiveAt: beforeItems },
      [['effectiveAt']],
    );
    await refused(SET_ITEM_STATUS, { itemId: items[1], status: 'DONE', effectiveAt: beforeItems }, [
      ['effectiveAt'],
    ]);
    await refused(DELETE_ITEM, { id: items[1], effectiveAt: beforeItems }, [['effectiveAt']]);
    const beforeLeaf = iso(since + 5 * MINUTE);
    await refused(
      CREATE_ITEMS,
      { workstreamId: leaf, items: [{ name: 'z' }], effectiveAt: beforeLeaf },
      [['effectiveAt']],
    );
    await refused(UPDATE_WORKSTREAM, { id: leaf, phase: 'p', effectiveAt: beforeLeaf }, [
      ['effectiveAt'],
    ]);
    await refused(DELETE_WORKSTREAM, { id: leaf, effectiveAt: beforeLeaf }, [['effectiveAt']]);
    await refused(MOVE_WORKSTREAM, { id: leaf, parentId: null, effectiveAt: beforeLeaf }, [
      ['effectiveAt'],
    ]);
    await refused(
      CREATE_WORKSTREAM,
      { initiativeId: initiative, name: 'early', effectiveAt: iso(since - MINUTE) },
      [['effectiveAt']],
    );
    // Between the object's creation and now is fine.
    await ok(SET_ITEM_STATUS, {
      itemId: items[1],
      status: 'DONE',
      effectiveAt: iso(since + 25 * MINUTE),
    });
  });

  it('answers a malformed time with the scalar’s BAD_USER_INPUT', async () => {
    const before = await logCount();
    const res = await app.gql(SET_ITEM_STATUS, {
      input: { itemId: items[2], status: 'DONE', effectiveAt: '上周五' },
    });
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(await logCount()).toBe(before);
  });

  it('records the week-20 seed as effective 2023-05-13, its figures unchanged', async () => {
    await loadSeed({ em: app.em(), initiatives: week20Seed });
    const rows = await app
      .em()
      .execute(
        "select distinct c.effective_at, i.key from change_log c join initiative i on i.id = c.initiative_id where c.actor = 'seed' order by c.effective_at",
      );
    const times = (key: string) =>
      rows
        .filter((r) => (r.key === 'payment-channels') === (key === 'payment-channels'))
        .map((r) => new Date(r.effective_at as string | number).toISOString());
    expect([...new Set(times('others'))]).toEqual([new Date(WEEK_20_EFFECTIVE_AT).toISOString()]);
    // The staged channels keep the history their seed states: started 4/3, stages before the
    // report's week, 网联代收 started in it.
    expect(times('payment-channels')).toEqual([
      '2023-04-02T16:00:00.000Z',
      '2023-05-05T02:00:00.000Z',
      '2023-05-10T02:00:00.000Z',
    ]);
    expect(new Date(WEEK_20_EFFECTIVE_AT).toISOString()).toBe('2023-05-12T16:00:00.000Z');
    const lines = (await app.ok('query { initiative(key: "hive") { reportLines } }')).initiative
      .reportLines;
    expect(lines[0]).toContain(GOLDEN_HEADER_START);
  });
});
