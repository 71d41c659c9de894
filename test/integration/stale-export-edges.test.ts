import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyImportPlan } from '../../src/services/apply-import.js';
import { findInitiativeByKey } from '../../src/db/queries/initiative.queries.js';
import { ALL_INITIATIVES } from '../../src/services/write-scope.js';
import { DIALECTS } from '../helpers/databases.js';
import {
  CREATE_INITIATIVE,
  CREATE_ITEMS,
  CREATE_WORKSTREAM,
  UPDATE_WORKSTREAM,
} from '../helpers/operations.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { exportFile, importFile, table, xlsx } from '../helpers/sheet-files.js';

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
    const exported = (key: string) => exportFile(app.em(), key);
    const run = (key: string, bytes: Uint8Array, dryRun: boolean) =>
      importFile(app.em(), key, bytes, { dryRun, fileName: 'old.xlsx' });
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

    it('refuses a new path below a renamed workstream when its text now names a workstream elsewhere', async () => {
      const { ws, items } = await setup('below');
      const a = await ws('A');
      await items(await ws('k', a), 'k1');
      const c = await ws('C');
      await items(await ws('n', c), 'n1');
      const [head, ...body] = table(await exported('below'));
      const version = body[0]![8];
      // Since: A renamed P, a top-level workstream named "P/m" made, and C renamed P too.
      await mutate(UPDATE_WORKSTREAM, { id: a, name: 'P' });
      await ws('P/m');
      await mutate(UPDATE_WORKSTREAM, { id: c, name: 'P' });
      // The old file gets new items in new workstreams m, n and o below A.
      const file = xlsx([
        head!,
        ...body,
        ['', 'A/m', 'y', '未启动', '0', '1', '', '', version],
        ['', 'A/n', 'z', '未启动', '0', '1', '', '', version],
        ['', 'A/o', 'w', '未启动', '0', '1', '', '', version],
      ]);
      const { plan } = await run('below', file, true);
      // Read again by its text, P/m was the top-level "P/m" and P/n was C's n: both rows went
      // into workstreams that are not below A. A/o names nothing today: below one of two P's.
      expect(
        plan.rows.slice(-3).map((r) => [r.name, r.action, r.errors.map((e) => e.message)]),
      ).toEqual([
        [
          'y',
          'error',
          ['工作流“A/m”导出时在“P”之下，但“P/m”现在是另一个工作流，无法区分；请重新导出后再改'],
        ],
        [
          'z',
          'error',
          ['工作流“A/n”导出时在“P”之下，但“P/n”现在是另一个工作流，无法区分；请重新导出后再改'],
        ],
        ['w', 'error', [expect.stringMatching(/^有多个同名工作流“P”/)]],
      ]);
    });

    it('refuses a plan when two workstreams swapped names between the check and the write', async () => {
      const { ws, items } = await setup('swap');
      const a = await ws('A');
      const b = await ws('B');
      await items(a, 'a1');
      await items(b, 'b1');
      const [head, ...body] = table(await exported('swap'));
      const version = body[0]![8];
      await mutate(UPDATE_WORKSTREAM, { id: a, name: 'A2' });
      const file = xlsx([head!, ...body, ['', 'A', 'new', '未启动', '0', '1', '', '', version]]);
      const { plan } = await run('swap', file, true);
      expect(plan.rows.find((r) => r.name === 'new')!.path).toBe('A2');
      // After the check, before the write's lock: A2 → A3, B → A2. The plan's path A2 is still
      // known, so only the structure version tells that it now names B.
      await mutate(UPDATE_WORKSTREAM, { id: a, name: 'A3' });
      await mutate(UPDATE_WORKSTREAM, { id: b, name: 'A2' });
      const initiative = (await findInitiativeByKey(app.em(), 'swap'))!;
      const written = applyImportPlan({
        em: app.em(),
        initiativeId: initiative.id,
        plan,
        actor: 'import:old.xlsx',
        scope: ALL_INITIATIVES,
      });
      await expect(written).rejects.toMatchObject({ code: 'STALE_VERSION' });
      expect(
        await app.em().execute('select workstream_id from item where name = ?', ['new']),
      ).toEqual([]);
    });
  },
);
