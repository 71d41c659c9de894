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
});
