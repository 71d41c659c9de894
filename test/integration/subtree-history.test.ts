import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findChanges,
  SUBTREE_BY_WORKSTREAM,
  WALK_ROWS,
} from '../../src/db/queries/change-log.queries.js';
import { fromGlobalId } from '../../src/domain/global-id.js';
import { DIALECTS } from '../helpers/databases.js';
import {
  CREATE_INITIATIVE,
  CREATE_ITEMS,
  CREATE_WORKSTREAM,
  SET_ITEM_STATUS,
} from '../helpers/operations.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/** Leaves under the second top workstream. */
const WIDE = 100;

const HISTORY = `query($id: ID!, $first: Int!, $after: String) {
  node(id: $id) { ... on Workstream { history(first: $first, after: $after) {
    nodes { id } pageInfo { hasNextPage endCursor } } } } }`;

/*
 * A subtree's history walks its initiative's newest rows, and reads by workstream what the walk
 * does not reach (change-log.queries.ts). Each subtree's pages, followed to the end, must list
 * exactly its rows newest first, whichever way they were read: a quiet leaf whose rows are all
 * older than the walk goes, a large subtree the walk fills, a small one it skips, and neither
 * may take another initiative's rows, logged before and after.
 */
describe.each(DIALECTS)("a subtree's history, page by page (%s)", (dialect) => {
  let app: TestApp;
  const ws: Record<string, string> = {};
  const dbId = (globalId: string) => fromGlobalId(globalId)!.id;

  const write = async (query: string, input: Record<string, unknown>) => {
    const p = Object.values(await app.ok(query, { input }))[0] as any;
    expect(p.userErrors).toEqual([]);
    return p;
  };
  const addItems = async (workstreamId: string, count: number, status = 'NOT_STARTED') => {
    const ids: string[] = [];
    for (let from = 0; from < count; from += 100) {
      const items = Array.from({ length: Math.min(100, count - from) }, (_, i) => ({
        name: `条目${from + i}`,
        status,
      }));
      const p = await write(CREATE_ITEMS, { workstreamId, items });
      ids.push(...p.items.map((i: { id: string }) => i.id));
    }
    return ids;
  };
  const makeInitiative = async (key: string) =>
    (await write(CREATE_INITIATIVE, { key, name: key })).initiative.id as string;
  const makeWorkstream = async (initiativeId: string, name: string, parentId?: string) =>
    (await write(CREATE_WORKSTREAM, { initiativeId, name, parentId })).workstream.id as string;

  /** The oracle: every row logged in these workstreams, newest first. */
  const rowsOf = async (workstreams: readonly string[]) =>
    (
      await app
        .em()
        .execute(
          `select id from change_log where workstream_id in (${workstreams.map(() => '?').join(', ')}) order by id desc`,
          workstreams.map(dbId),
        )
    ).map((r) => Number(r.id));

  /** Every page of a workstream's history, followed to the end. */
  const pagesOf = async (id: string, first: number) => {
    const seen: number[] = [];
    let after: string | null = null;
    for (;;) {
      const history: any = (await app.ok(HISTORY, { id, first, after })).node.history;
      seen.push(...history.nodes.map((n: { id: string }) => Number(n.id)));
      if (!history.pageInfo.hasNextPage) return seen;
      after = history.pageInfo.endCursor;
    }
  };

  beforeAll(async () => {
    app = await createTestApp(dialect);
    // Another initiative's rows before this one's…
    const other = await makeInitiative('other');
    const otherWs = await makeWorkstream(other, '别处');
    await addItems(otherWs, 30);
    const initiative = await makeInitiative('walk');
    ws.top = await makeWorkstream(initiative, '顶');
    for (const name of ['quiet', 'small', 'busy', 'tail'])
      ws[name] = await makeWorkstream(initiative, name, ws.top);
    for (const name of ['quietA', 'quietB'])
      ws[name] = await makeWorkstream(initiative, name, ws.quiet);
    // A second top workstream of 100 leaves: the initiative has 108 workstreams, so a leaf is
    // under one in a hundred of them and reads by workstream without walking.
    ws.wide = await makeWorkstream(initiative, '宽');
    for (let i = 0; i < WIDE; i++)
      ws[`w${i}`] = await makeWorkstream(initiative, `叶${i}`, ws.wide);
    // The quiet leaves' rows come first, then more than a walk goes through in the busy leaf.
    const quiet = await addItems(ws.quietA!, 40, 'IN_PROGRESS');
    await write(SET_ITEM_STATUS, { itemId: quiet[0], status: 'DONE' });
    await addItems(ws.quietB!, 5);
    await addItems(ws.small!, 3);
    await addItems(ws.busy!, WALK_ROWS + 150);
    await addItems(ws.tail!, 5);
    // …and after it.
    await addItems(otherWs, 30);
  }, 180_000);
  afterAll(() => app?.close());

  it('lists every row of each subtree newest first, and no other initiative’s', async () => {
    const wide = ['wide', ...Array.from({ length: WIDE }, (_, i) => `w${i}`)];
    // Walks and fills: top. Walks, finds none, reads by workstream: quiet (3 of 108), small
    // with pages of 7. Reads by workstream alone: the leaves (small with pages of 100). Walks,
    // finds none, reads and sorts 101 workstreams' rows: wide.
    const cases: [string, string[]][] = [
      ['top', ['top', 'quiet', 'quietA', 'quietB', 'small', 'busy', 'tail']],
      ['quiet', ['quiet', 'quietA', 'quietB']],
      ['quietA', ['quietA']],
      ['small', ['small']],
      ['tail', ['tail']],
      ['wide', wide],
    ];
    for (const [subtree, members] of cases) {
      const expected = await rowsOf(members.map((m) => ws[m]!));
      expect(expected.length).toBeGreaterThan(0);
      for (const first of [7, 100])
        expect(await pagesOf(ws[subtree]!, first), `${subtree}, pages of ${first}`).toEqual(
          expected,
        );
    }
  }, 120_000);

  it('gives the same page walking the initiative and reading by workstream', async () => {
    const initiativeId = dbId(
      (await app.ok(`{ initiative(key: "walk") { id } }`)).initiative.id as string,
    );
    const wide = ['wide', ...Array.from({ length: WIDE }, (_, i) => `w${i}`)];
    // Three leaves (each one's newest, a few workstreams) and the wide branch (101 workstreams:
    // its rows sorted).
    expect(wide.length).toBeGreaterThan(SUBTREE_BY_WORKSTREAM);
    for (const names of [['quietA', 'small', 'tail'], wide]) {
      const members = names.map((m) => dbId(ws[m]!));
      const all = await rowsOf(names.map((m) => ws[m]!));
      // From the newest, and from a few rows along.
      for (const beforeId of [null, all[0]!, all[5]!, all[all.length - 3]!]) {
        const read = (initiativeWorkstreams: number) =>
          findChanges(app.em(), {
            initiativeId,
            workstreamIds: members,
            initiativeWorkstreams,
            beforeId,
            limit: 10,
          });
        const expected = all.filter((id) => beforeId === null || id < beforeId).slice(0, 10);
        // A share that walks, and one of a million workstreams that reads by workstream alone.
        expect((await read(members.length)).map((c) => c.id)).toEqual(expected);
        expect((await read(1_000_000)).map((c) => c.id)).toEqual(expected);
      }
    }
  });
});
