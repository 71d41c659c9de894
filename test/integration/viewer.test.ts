import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.js';
import { CREATE_INITIATIVE } from '../helpers/operations.js';

const VIEWER = `{ viewer { name role initiativeKey mine: canEdit(initiativeKey: "mine")
  theirs: canEdit(initiativeKey: "theirs") none: canEdit(initiativeKey: "nowhere") } }`;

/** `viewer`: what a page asks to offer a caller only what it may do. */
describe.each(DIALECTS)('the viewer query (%s)', (dialect) => {
  let app: HttpTestApp;
  beforeAll(async () => {
    app = await startHttpApp(dialect);
    for (const key of ['mine', 'theirs'])
      await app.post(CREATE_INITIATIVE, { input: { key, name: key } });
  });
  afterAll(() => app?.close());

  const viewer = async (token: string | null) => (await app.post(VIEWER, {}, token)).body;

  it('names the token, its role and scope, and where it may edit', async () => {
    expect((await viewer(app.adminToken)).data.viewer).toEqual({
      name: 'test-admin',
      role: 'admin',
      initiativeKey: null,
      mine: true,
      theirs: true,
      none: false,
    });
    const scoped = await app.token('scoped-editor', 'editor', 'mine');
    expect((await viewer(scoped)).data.viewer).toEqual({
      name: 'scoped-editor',
      role: 'editor',
      initiativeKey: 'mine',
      mine: true,
      theirs: false,
      none: false,
    });
    const reader = await app.token('reader', 'viewer');
    expect((await viewer(reader)).data.viewer).toMatchObject({
      role: 'viewer',
      mine: false,
      theirs: false,
    });
  });

  it('a token that is not one is a 401, never a viewer', async () => {
    const res = await app.post(VIEWER, {}, 'jindu_notarealtoken123');
    expect(res.status).toBe(401);
    expect(res.body.data).toBeUndefined();
  });
});
