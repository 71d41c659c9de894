import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSheet } from '../../src/services/import-sheet.js';
import { ALL_INITIATIVES } from '../../src/services/write-scope.js';
import { DIALECTS } from '../helpers/databases.js';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.js';
import { CREATE_INITIATIVE, CREATE_WORKSTREAM } from '../helpers/operations.js';

/** The change log says who imported a file: the token over HTTP, the operator on the CLI. */
describe.each(DIALECTS)('the actor of an import (%s)', (dialect) => {
  let app: HttpTestApp;
  let editor: string;
  const actorsOf = async (name: string) =>
    (
      await app
        .em()
        .execute(
          `select distinct c.actor from change_log c join item i on i.id = c.item_id where i.name = ?`,
          [name],
        )
    ).map((r) => String(r.actor));

  beforeAll(async () => {
    app = await startHttpApp(dialect);
    const ini = (await app.post(CREATE_INITIATIVE, { input: { key: 'kay', name: 'K' } })).body.data
      .createInitiative.initiative.id;
    await app.post(CREATE_WORKSTREAM, { input: { initiativeId: ini, name: '叶' } });
    editor = await app.token('alice-editor', 'editor', 'kay');
  });
  afterAll(() => app?.close());

  it('is `<token name> (import:<file>)` over HTTP', async () => {
    const res = await fetch(`${app.url}/api/import?initiative=kay&file=a.csv`, {
      method: 'POST',
      body: '工作流,事项,状态\n叶,上传的,完成\n',
      headers: { authorization: `Bearer ${editor}` },
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ applied: true, actor: 'alice-editor (import:a.csv)' });
    expect(await actorsOf('上传的')).toEqual(['alice-editor (import:a.csv)']);
  });

  it('answers a viewer of the initiative 403 (it may read it), a stranger to it 404', async () => {
    const viewer = await app.token('vera-viewer', 'viewer', 'kay');
    const other = (await app.post(CREATE_INITIATIVE, { input: { key: 'elsewhere', name: 'E' } }))
      .body.data.createInitiative.initiative.id;
    expect(other).toBeTruthy();
    const stranger = await app.token('sam-editor', 'editor', 'elsewhere');
    const upload = (token: string) =>
      fetch(`${app.url}/api/import?initiative=kay&file=v.csv&dryRun=1`, {
        method: 'POST',
        body: '工作流,事项,状态\n叶,只读的,完成\n',
        headers: { authorization: `Bearer ${token}` },
      });
    const refused = await upload(viewer);
    expect(refused.status).toBe(403);
    expect((await refused.json()).errors[0]).toMatchObject({
      extensions: { code: 'FORBIDDEN' },
      message: expect.stringContaining('只读令牌'),
    });
    expect((await upload(stranger)).status).toBe(404);
    // The stranger's file is not read: a broken one is the same 404, not a complaint about it.
    const broken = await fetch(`${app.url}/api/import?initiative=kay&file=v.csv&dryRun=1`, {
      method: 'POST',
      body: '不是表头\n',
      headers: { authorization: `Bearer ${stranger}` },
    });
    expect(broken.status).toBe(404);
    // An upload without its file name cannot be read by its extension: said as such.
    const nameless = await fetch(`${app.url}/api/import?initiative=kay&dryRun=1`, {
      method: 'POST',
      body: '工作流,事项,状态\n叶,无名的,完成\n',
      headers: { authorization: `Bearer ${editor}` },
    });
    expect(nameless.status).toBe(400);
    expect((await nameless.json()).errors[0].message).toContain('缺少参数 file');
  });

  it('is `import:<file>` from the command line (its user is the operator)', async () => {
    const result = await importSheet({
      em: app.em(),
      initiativeKey: 'kay',
      fileName: '/tmp/dir/b.csv',
      by: null,
      bytes: new TextEncoder().encode('工作流,事项\n叶,命令行的\n'),
      dryRun: false,
      skipErrors: false,
      prune: false,
      scope: ALL_INITIATIVES,
    });
    expect(result.actor).toBe('import:b.csv');
    expect(await actorsOf('命令行的')).toEqual(['import:b.csv']);
  });

  it('keeps a file name to one line of visible text in the actor', async () => {
    const file = encodeURIComponent('x\n\u202efdp.exe\u001b[31m.csv');
    const res = await fetch(`${app.url}/api/import?initiative=kay&file=${file}`, {
      method: 'POST',
      body: '工作流,事项,状态\n叶,怪名字的,完成\n',
      headers: { authorization: `Bearer ${editor}` },
    });
    expect(res.status).toBe(200);
    expect(await actorsOf('怪名字的')).toEqual([
      'alice-editor (import:x\ufffd\ufffdfdp.exe\ufffd[31m.csv)',
    ]);
  });

  /** A preview must never turn into a write: parameters are read strictly. */
  it.each([
    ['dryRun=true', 200],
    ['dryRun=yes', 200],
    ['dryRun=maybe', 400],
    ['dry_run=1', 400],
    ['dryRun=1&dryRun=0', 400],
    ['prune=2', 400],
  ])('an import with %s writes nothing (status %i)', async (params, status) => {
    const name = `预览${params}`;
    const res = await fetch(`${app.url}/api/import?initiative=kay&file=p.csv&${params}`, {
      method: 'POST',
      body: `工作流,事项,状态\n叶,${name},完成\n`,
      headers: { authorization: `Bearer ${editor}` },
    });
    expect(res.status).toBe(status);
    const body = await res.json();
    if (status === 200) expect(body.applied).toBe(false);
    else expect(body.errors[0].extensions.code).toBe('INVALID_INPUT');
    expect(await actorsOf(name)).toEqual([]);
  });

  it.each([
    ['/api/export?initiative=kay&format=pdf'],
    ['/api/export?format=csv'],
    ['/api/export?initiative=kay&asOf=2023-05-13'],
  ])('refuses %s with 400', async (path) => {
    const res = await fetch(`${app.url}${path}`, {
      headers: { authorization: `Bearer ${editor}` },
    });
    expect(res.status).toBe(400);
  });
});
