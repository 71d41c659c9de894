import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportSheet } from '../../src/services/export-sheet.js';
import { importSheet } from '../../src/services/import-sheet.js';
import { ALL_INITIATIVES } from '../../src/services/write-scope.js';
import { DIALECTS } from '../helpers/databases.js';
import {
  CREATE_INITIATIVE,
  CREATE_ITEMS,
  CREATE_WORKSTREAM,
  UPDATE_WORKSTREAM,
} from '../helpers/operations.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const WHERE = `query($id: ID!) { node(id: $id) { ... on Item { name workstream { id name } } } }`;

// The edges of reading an old file's paths at its 结构版本 (stale-export-paths.test.ts: the
// common case).
describe.each(DIALECTS)(
  'an old export read at its structure version: edge cases (%s)',
  (dialect) => {
    let app: TestApp;
    beforeAll(async () => {
      app = await createTestApp(dialect);
    });
    afterAll(() => app.close());

    const mutate = async (query: string, input: Record<string, unknown>) => {
      const answer = Object.values(await app.ok(query, { input }))[0] as Record<string, any>;
      expect(answer.userErrors).toEqual([]);
      return answer;
    };
    const exported = async (key: string) =>
      (await exportSheet({ em: app.em(), initiativeKey: key, format: 'xlsx', canRead: () => true }))
        .bytes;
    const run = (key: string, bytes: Uint8Array, dryRun: boolean) =>
      importSheet({
        em: app.em(),
        initiativeKey: key,
        fileName: 'old.xlsx',
        bytes,
        dryRun,
        skipErrors: false,
        prune: false,
        by: null,
        scope: ALL_INITIATIVES,
      });
    async function setup(key: string) {
      const initiativeId = (await mutate(CREATE_INITIATIVE, { key, name: key })).initiative.id;
      const ws = async (name: string, parentId?: string) =>
        (await mutate(CREATE_WORKSTREAM, { initiativeId, name, parentId })).workstream.id as string;
      const items = async (workstreamId: string, ...names: string[]) =>
        (await mutate(CREATE_ITEMS, { workstreamId, items: names.map((name) => ({ name })) }))
          .items as { id: string }[];
      return { initiativeId, ws, items };
    }
    const whereIs = async (id: string) => (await app.ok(WHERE, { id })).node.workstream.id;

    it('reads a path siblings of one name shared then as the row item’s own: an unedited file moves nothing after one was renamed', async () => {
      const { ws, items } = await setup('twins');
      const t = await ws('T');
      const a1 = await ws('A', t);
      const a2 = await ws('A', t);
      await items(a1, 'x1');
      const [x2] = await items(a2, 'x2');
      const old = await exported('twins');
      await mutate(UPDATE_WORKSTREAM, { id: a2, name: 'B' });
      const plan = await run('twins', old, true);
      // Today T/A names a1 alone: read as written, the row moved x2 from T/B into it.
      expect(plan.plan.rows.filter((r) => r.action !== 'unchanged').map((r) => r.changes)).toEqual(
        [],
      );
      await run('twins', old, false);
      expect(await whereIs(x2!.id)).toBe(a2);
    });
  },
);
