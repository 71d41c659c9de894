import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.js';
import { send } from '../helpers/raw-http.js';

/** A dashboard file under its current version is kept a year; otherwise it is asked about again. */
describe('the dashboard’s files by version', () => {
  let app: HttpTestApp;
  let page: string;
  beforeAll(async () => {
    app = await startHttpApp('sqlite');
    page = (await send(app.url, '/')).body.toString();
  });
  afterAll(async () => {
    await app?.close();
  });

  const cacheControl = async (path: string) => (await send(app.url, path)).headers['cache-control'];

  it('keeps a file a year under the version the page names, and the page itself never', async () => {
    const app_ = /src="(\/app\.js\?v=[\w-]+)"/.exec(page)?.[1];
    const vendor = /"preact": "(\/vendor\/preact\.mjs\?v=[\w-]+)"/.exec(page)?.[1];
    expect(app_).toBeDefined();
    expect(vendor).toBeDefined();
    for (const path of [app_!, vendor!])
      expect(await cacheControl(path)).toBe('public, max-age=31536000, immutable');
    // The same bytes as the plain URL's.
    expect((await send(app.url, app_!)).body.equals((await send(app.url, '/app.js')).body)).toBe(
      true,
    );
    expect(await cacheControl('/')).toBe('no-cache');
    expect(await cacheControl('/?v=anything')).toBe('no-cache');
  });

  it('asks again about a file under no version or another one (a page older than the file)', async () => {
    expect(await cacheControl('/app.js')).toBe('no-cache');
    expect(await cacheControl('/app.js?v=older')).toBe('no-cache');
    expect(await cacheControl('/vendor/preact.mjs')).toBe('public, max-age=86400');
    expect(await cacheControl('/vendor/preact.mjs?v=older')).toBe('public, max-age=86400');
  });
});
