import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.js';
import { CREATE_INITIATIVE } from '../helpers/operations.js';

/** More initiatives than the server keeps trees for (64): one request reads them all. */
const INITIATIVES = 70;

describe.each(DIALECTS)('more initiatives than kept trees (%s)', (dialect) => {
  let app: HttpTestApp;
  beforeAll(async () => {
    app = await startHttpApp(dialect);
    for (let n = 0; n < INITIATIVES; n++) {
      const res = await app.post(CREATE_INITIATIVE, { input: { key: `p${n}`, name: `项目${n}` } });
      expect(res.body.data.createInitiative.userErrors).toEqual([]);
    }
  }, 60_000);
  afterAll(() => app?.close());

  it('answers every initiative’s figures, again and again', async () => {
    const query = '{ initiatives { key revision progress { total } } }';
    for (let round = 0; round < 3; round++) {
      const res = await app.post(query);
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.initiatives).toHaveLength(INITIATIVES);
      for (const i of res.body.data.initiatives) expect(i.progress.total).toBe(0);
    }
  });
});
