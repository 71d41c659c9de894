import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import {
  CREATE_INITIATIVE,
  CREATE_ITEMS,
  CREATE_WORKSTREAM,
  DELETE_ITEM,
  DELETE_WORKSTREAM,
  MOVE_ITEM,
  SET_ITEM_STATUS,
} from '../helpers/operations.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const WS_ITEMS = `query($id: ID!, $search: String, $first: Int = 50, $after: String,
  $status: [ItemStatus!], $deep: Boolean = false) {
  node(id: $id) { ... on Workstream { items(search: $search, first: $first, after: $after,
    status: $status, includeDescendants: $deep) {
      totalCount nodes { name } pageInfo { hasNextPage endCursor } } } } }`;
const INI_ITEMS = `query($key: String!, $search: String, $first: Int = 50, $after: String,
  $status: [ItemStatus!]) {
  initiative(key: $key) { items(search: $search, first: $first, after: $after, status: $status) {
    totalCount nodes { name } pageInfo { hasNextPage endCursor } } } }`;

/** Names that test case folding, Chinese and the three LIKE wildcards typed literally. */
const LEAF_NAMES = [
  'Report_A',
  'report%B',
  'REPORT c',
  'path\\to',
  'reportXa',
  '报表迁移一',
  '报表迁移二',
  '数据同步',
  '100%完成',
];
const DEEP_NAMES = ['深层 report', '深层报表'];
const OTHER_NAMES = ['report in other', '报表 other', 'Report_A'];

describe.each(DIALECTS)('items(search) on Workstream and Initiative (%s)', (dialect) => {
  let app: TestApp;
  let top: string;
  let leaf: string;
  let deep: string;

  const write = async (query: string, input: Record<string, unknown>) => {
    const p = Object.values(await app.ok(query, { input }))[0] as any;
    expect(p.userErrors).toEqual([]);
    return p;
  };
  const names = (connection: { nodes: { name: string }[] }) => connection.nodes.map((n) => n.name);
  const inLeaf = async (search: string | null, extra: Record<string, unknown> = {}) =>
    (await app.ok(WS_ITEMS, { id: leaf, search, ...extra })).node.items;
  const inInitiative = async (search: string | null, extra: Record<string, unknown> = {}) =>
    (await app.ok(INI_ITEMS, { key: 'search', search, ...extra })).initiative.items;
  /** The oracle: which names contain the text, ASCII letters in either case. */
  const expected = (list: readonly string[], search: string) =>
    list.filter((n) => n.toLowerCase().includes(search.toLowerCase()));

  beforeAll(async () => {
    app = await createTestApp(dialect);
    const make = async (key: string, items: Record<string, readonly string[]>) => {
      const id = (await write(CREATE_INITIATIVE, { key, name: key })).initiative.id;
      const t = (await write(CREATE_WORKSTREAM, { initiativeId: id, name: '顶' })).workstream.id;
      const ids: Record<string, string> = { top: t };
      for (const [ws, list] of Object.entries(items)) {
        ids[ws] = (
          await write(CREATE_WORKSTREAM, { initiativeId: id, parentId: t, name: ws })
        ).workstream.id;
        await write(CREATE_ITEMS, {
          workstreamId: ids[ws],
          items: list.map((name, i) => ({ name, status: i % 2 ? 'DONE' : 'IN_PROGRESS' })),
        });
      }
      return ids;
    };
    const ids = await make('search', { leaf: LEAF_NAMES, deep: DEEP_NAMES, gone: ['report gone'] });
    top = ids.top!;
    leaf = ids.leaf!;
    deep = ids.deep!;
    await write(DELETE_WORKSTREAM, { id: ids.gone });
    await make('other', { leaf: OTHER_NAMES });
  });
  afterAll(() => app?.close());

  it('matches a substring, ASCII letters in either case, Chinese as typed', async () => {
    for (const search of ['report', 'REPORT', 'rEpOrT c', '报表', '迁移二', 'to', '']) {
      const page = await inLeaf(search);
      expect(names(page), search).toEqual(expected(LEAF_NAMES, search));
      expect(page.totalCount, search).toBe(expected(LEAF_NAMES, search).length);
    }
    expect(names(await inLeaf('nothing like it'))).toEqual([]);
  });

  it('takes %, _ and \\ literally', async () => {
    expect(names(await inLeaf('_'))).toEqual(['Report_A']);
    expect(names(await inLeaf('%'))).toEqual(['report%B', '100%完成']);
    expect(names(await inLeaf('%B'))).toEqual(['report%B']);
    expect(names(await inLeaf('\\'))).toEqual(['path\\to']);
    expect(names(await inLeaf('t_A'))).toEqual(['Report_A']);
    expect((await inLeaf('%')).totalCount).toBe(2);
  });

  it('searches a subtree with includeDescendants, and the whole initiative', async () => {
    const all = [...LEAF_NAMES, ...DEEP_NAMES];
    for (const search of ['report', '报表', '深层']) {
      const deep = (await app.ok(WS_ITEMS, { id: top, search, deep: true })).node.items;
      expect(names(deep).sort(), search).toEqual(expected(all, search).sort());
      const shallow = (await app.ok(WS_ITEMS, { id: top, search })).node.items;
      expect(names(shallow), search).toEqual([]); // the top holds no items itself
      const everywhere = await inInitiative(search);
      expect(names(everywhere).sort(), search).toEqual(expected(all, search).sort());
      expect(everywhere.totalCount, search).toBe(expected(all, search).length);
    }
  });

  it('never shows another initiative’s items, nor those of a deleted workstream', async () => {
    const page = await inInitiative('report');
    expect(names(page)).not.toContain('report in other');
    expect(names(page)).not.toContain('report gone');
    expect(names(await inInitiative('other'))).toEqual([]);
    const other = (await app.ok(INI_ITEMS, { key: 'other', search: 'Report_A' })).initiative.items;
    expect(names(other)).toEqual(['Report_A']);
  });

  it('pages through the matches and combines with the status filter', async () => {
    const want = expected([...LEAF_NAMES, ...DEEP_NAMES], 'report');
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = await inInitiative('report', { first: 2, after });
      expect(page.totalCount).toBe(want.length);
      expect(page.nodes.length).toBeLessThanOrEqual(2);
      seen.push(...names(page));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen.sort()).toEqual([...want].sort());
    const done = await inLeaf('report', { status: ['DONE'] });
    const doneNames = LEAF_NAMES.filter((_, i) => i % 2 === 1);
    expect(names(done)).toEqual(expected(doneNames, 'report'));
    expect(done.totalCount).toBe(expected(doneNames, 'report').length);
  });

  it('refuses a search longer than a name can be, with BAD_USER_INPUT', async () => {
    const res = await app.gql(WS_ITEMS, { id: leaf, search: 'x'.repeat(201) });
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  // Without a search, a page's totalCount comes from the tree's counters (live, or as of its
  // time); with one (an empty search matches every name), from counting or replaying the rows.
  // Both must count the items listed.
  it('counts the same items from the counters as from the rows, after writes and as of before them', async () => {
    const AT = (query: string) =>
      query
        .replace('$status: [ItemStatus!]', '$status: [ItemStatus!], $at: DateTimeISO')
        .replace('initiative(key: $key)', 'initiative(key: $key, asOf: $at)')
        .replace('node(id: $id)', 'node(id: $id, asOf: $at)');
    const listed = async (query: string, vars: Record<string, unknown>) => {
      const connection = (c: any) => c.initiative?.items ?? c.node.items;
      // Twenty is more than any of these lists (a larger page costs the rate limit more).
      const tally = connection(await app.ok(query, { ...vars, first: 20 }));
      const rows = connection(await app.ok(query, { ...vars, first: 20, search: '' }));
      expect(tally.pageInfo.hasNextPage).toBe(false);
      expect(names(rows)).toEqual(names(tally));
      return [tally.totalCount, rows.totalCount, tally.nodes.length];
    };
    const check = async (at: string | null) => {
      const statuses = [null, ['DONE'], ['DONE', 'DONE'], ['IN_PROGRESS', 'DONE'], ['PAUSED'], []];
      // As of a time, fewer filters: each page replays its items, and the limit counts it.
      for (const status of at === null ? statuses : statuses.slice(2, 5)) {
        for (const [query, vars] of [
          [INI_ITEMS, { key: 'search', status }],
          [WS_ITEMS, { id: top, status, deep: true }],
          [WS_ITEMS, { id: top, status }],
          [WS_ITEMS, { id: leaf, status }],
          [WS_ITEMS, { id: deep, status }],
        ] as const) {
          const [fromTally, fromRows, n] = await listed(AT(query), { ...vars, at });
          expect([fromTally, fromRows], JSON.stringify(vars)).toEqual([n, n]);
        }
      }
    };
    await check(null);
    const before = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    const items = (await app.ok(WS_ITEMS, { id: leaf, first: 100 })).node.items;
    const ids = (
      await app.ok(
        `query($id: ID!) { node(id: $id) { ... on Workstream { items(first: 100) { nodes { id } } } } }`,
        { id: leaf },
      )
    ).node.items.nodes.map((n: { id: string }) => n.id);
    expect(ids).toHaveLength(items.nodes.length);
    await write(SET_ITEM_STATUS, { itemId: ids[0], status: 'PAUSED', percent: 40 });
    await write(DELETE_ITEM, { id: ids[1] });
    await write(MOVE_ITEM, { itemId: ids[2], workstreamId: deep });
    await check(null);
    await check(before);
    await new Promise((r) => setTimeout(r, 5));
    await check(new Date().toISOString());
  });
});
