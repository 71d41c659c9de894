import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GroupCommit, useGroupCommit } from '../../src/db/group-commit.js';
import type { Em } from '../../src/db/em.js';
import type { KeptStatementsConnection } from '../../src/db/sqlite-driver.js';
import { fromGlobalId } from '../../src/domain/global-id.js';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.js';
import { makeTree } from '../helpers/live-client.js';
import { SET_ITEM_STATUS } from '../helpers/operations.js';

/** Syncs of the WAL that the test finishes by hand (the real one is fdatasync). */
const held: ((err: Error | null) => void)[] = [];
const finishAll = () => {
  for (const done of held.splice(0)) done(null);
};

const answered = async (p: Promise<unknown>, ms: number): Promise<boolean> => {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setTimeout(r, ms));
  return done;
};

describe('group commit (sqlite file, real HTTP server)', () => {
  let app: HttpTestApp;
  let items: string[];
  let file: string;
  let syncsSoFar: () => number;
  let commitsSoFar: () => number;
  let groupCommits: () => number;

  beforeAll(async () => {
    // Without the webhook worker: with no endpoint it still moves its outbox position every
    // ten seconds, in a transaction of its own, and a commit the test did not make (one run in
    // about eight on a busy machine) upset its counts or left a write waiting on a sync the
    // test never finishes.
    app = await startHttpApp('sqlite', {
      webhooks: { allowPrivate: false, retryBaseMs: 10_000, worker: false },
    });
    items = (await makeTree((q, v) => app.post(q, v), 'grp', 1, 3)).items[0]!;
    file = app.db.url.slice('sqlite:'.length);
    const connection = app.orm.em.getConnection() as unknown as KeptStatementsConnection;
    const group = new GroupCommit(`${file}-wal`, () => connection.commits, {
      sync: (_fd, done) => void held.push(done),
    });
    useGroupCommit(app.orm.em as Em, group);
    syncsSoFar = () => group.syncs;
    commitsSoFar = () => connection.commits;
    groupCommits = () => group.committed;
  });
  afterAll(async () => {
    finishAll();
    await app?.close();
  });

  it('answers a write only after a sync that began after its commit, and reads wait too', async () => {
    const [itemId] = items;
    const write = app.post(SET_ITEM_STATUS, {
      input: { itemId, status: 'IN_PROGRESS', percent: 42 },
    });
    // Committed (another connection to the file sees it) but not yet synced: no answer.
    const other = new Database(file, { readonly: true });
    const id = fromGlobalId(itemId!)!.id;
    let row: { percent: number } | undefined;
    for (let i = 0; i < 100 && row?.percent !== 42; i++) {
      await new Promise((r) => setTimeout(r, 20));
      row = other.prepare('select percent from item where id = ?').get(Number(id)) as typeof row;
    }
    other.close();
    expect(row?.percent).toBe(42);
    expect(held).toHaveLength(1);
    expect(await answered(write, 200)).toBe(false);

    // A read that could show the unsynced write waits for the same sync.
    const read = app.post(`query($id: ID!) { node(id: $id) { ... on Item { percent } } }`, {
      id: itemId,
    });
    expect(await answered(read, 200)).toBe(false);
    // So does a spreadsheet export, which could hold it too.
    const exported = fetch(`${app.url}/api/export?initiative=grp&format=csv`, {
      headers: { authorization: `Bearer ${app.adminToken}` },
    }).then(async (res) => ({ status: res.status, text: await res.text() }));
    expect(await answered(exported, 200)).toBe(false);

    finishAll();
    const [w, r, e] = await Promise.all([write, read, exported]);
    expect(w.body.data.setItemStatus).toMatchObject({ userErrors: [] });
    expect(r.body.data.node.percent).toBe(42);
    expect(e.status).toBe(200);
    expect(e.text).toMatch(/\b42\b/);
    // Nothing left to sync: the next read does not wait.
    expect((await app.post('{ initiatives { key } }')).status).toBe(200);
    expect(held).toHaveLength(0);
  });

  it('shares one sync among the writes committed while a sync runs', async () => {
    const before = commitsSoFar();
    const first = app.post(SET_ITEM_STATUS, {
      input: { itemId: items[0], status: 'IN_PROGRESS', percent: 50 },
    });
    for (let i = 0; i < 100 && held.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(held).toHaveLength(1);
    const more = items.map((itemId, n) =>
      app.post(SET_ITEM_STATUS, { input: { itemId, status: 'IN_PROGRESS', percent: 60 + n } }),
    );
    // They commit one after another while the first sync is held; none is answered yet.
    for (let i = 0; i < 500 && commitsSoFar() < before + 1 + items.length; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(commitsSoFar()).toBe(before + 1 + items.length);
    expect(held).toHaveLength(1);
    held.shift()!(null);
    for (let i = 0; i < 100 && held.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(held).toHaveLength(1); // one more sync, for all three
    // The first write's own commit is on disk, but its answer goes out with the others: the
    // server cannot tell which commits an answer reflects, so it waits for all before it.
    for (const p of [first, ...more]) expect(await answered(p, 0)).toBe(false);
    held.shift()!(null);
    for (const res of await Promise.all([first, ...more]))
      expect(res.body.data.setItemStatus.userErrors).toEqual([]);
    expect(held).toHaveLength(0);

    // GET /metrics counts the commits and the syncs they shared.
    const text = await (
      await fetch(`${app.url}/metrics?format=prometheus`, {
        headers: { authorization: `Bearer ${app.adminToken}` },
      })
    ).text();
    const value = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1]);
    expect(value('jindu_sqlite_wal_syncs_total')).toBe(syncsSoFar());
    expect(value('jindu_sqlite_commits_total')).toBe(groupCommits());
    expect(groupCommits()).toBeGreaterThan(0);
    expect(syncsSoFar()).toBeLessThan(groupCommits());
  });

  it('answers 503 once a sync failed, and never reports the write as done', async () => {
    const write = app.post(SET_ITEM_STATUS, {
      input: { itemId: items[1], status: 'DONE' },
    });
    for (let i = 0; i < 100 && held.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    held.shift()!(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    const res = await write;
    expect(res.status).toBe(503);
    expect(res.body.data?.setItemStatus ?? null).toBeNull();
    // Nothing committed from now on can be acknowledged: every answer says so until a restart.
    const read = await app.post('{ initiatives { key } }');
    expect(read.status).toBe(503);
    expect(read.body.errors[0].extensions.code).toBe('DATABASE_UNAVAILABLE');
    expect((await fetch(`${app.url}/readyz`)).status).toBe(503);
    expect(held).toHaveLength(0); // and no second sync was tried
  });
});
