import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.js';
import {
  CREATE_INITIATIVE,
  CREATE_ITEMS,
  CREATE_WORKSTREAM,
  MOVE_WORKSTREAM,
  UPDATE_WORKSTREAM,
} from '../helpers/operations.js';

// The dashboard's round trip over a real server: download, someone renames and moves the
// workstreams, upload the downloaded file (planned on the sheet thread).
describe.each(DIALECTS)('an old download uploaded over HTTP (%s)', (dialect) => {
  let app: HttpTestApp;
  let editor: string;
  const ids: Record<string, string> = {};
  const mutate = async (query: string, input: Record<string, unknown>) => {
    const answer: any = Object.values((await app.post(query, { input })).body.data)[0];
    expect(answer.userErrors).toEqual([]);
    return answer;
  };
  const upload = async (bytes: ArrayBuffer, file: string, dryRun: boolean) => {
    const res = await fetch(
      `${app.url}/api/import?initiative=trip&file=${file}${dryRun ? '&dryRun=1' : ''}`,
      { method: 'POST', body: bytes, headers: { authorization: `Bearer ${editor}` } },
    );
    expect(res.status).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    app = await startHttpApp(dialect);
    const initiativeId = (await mutate(CREATE_INITIATIVE, { key: 'trip', name: '往返' })).initiative
      .id;
    for (const [name, parent] of [['组'], ['下线'], ['甲', '组']] as const)
      ids[name] = (
        await mutate(CREATE_WORKSTREAM, { initiativeId, name, parentId: parent && ids[parent] })
      ).workstream.id;
    await mutate(CREATE_ITEMS, {
      workstreamId: ids['甲'],
      items: [{ name: '一' }, { name: '二' }],
    });
    editor = await app.token('pm-editor', 'editor', 'trip');
  });
  afterAll(() => app?.close());

  it('reads back unchanged after a rename and a move, in both formats', async () => {
    const download = async (format: string) => {
      const res = await fetch(`${app.url}/api/export?initiative=trip&format=${format}`, {
        headers: { authorization: `Bearer ${editor}` },
      });
      expect(res.status).toBe(200);
      return res.arrayBuffer();
    };
    const old = { xlsx: await download('xlsx'), csv: await download('csv') };
    await mutate(UPDATE_WORKSTREAM, { id: ids['甲'], name: '甲（改名）' });
    await mutate(MOVE_WORKSTREAM, { id: ids['甲'], parentId: ids['下线'] });
    for (const format of ['xlsx', 'csv'] as const) {
      const body = await upload(old[format], `old.${format}`, format === 'xlsx');
      expect(body).toMatchObject({
        applied: format === 'csv',
        refused: null,
        summary: { create: 0, update: 0, unchanged: 2, error: 0, newWorkstreams: 0 },
        newWorkstreams: [],
      });
      expect(body.rows.map((r: { path: string }) => r.path)).toEqual([
        '下线/甲（改名）',
        '下线/甲（改名）',
      ]);
    }
    const tree = await app.post(
      '{ initiative(key: "trip") { workstreams { name children { name } } } }',
    );
    expect(tree.body.data.initiative.workstreams).toEqual([
      { name: '组', children: [] },
      { name: '下线', children: [{ name: '甲（改名）' }] },
    ]);
  });
});
