import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverOptions } from '../../src/config.js';
import { openOrm } from '../../src/db/orm.js';
import { type Em } from '../../src/db/em.js';
import { createApp, type App } from '../../src/server/app.js';
import { createInitiative } from '../../src/services/create-initiative.js';
import { createItems } from '../../src/services/create-items.js';
import { createWorkstream } from '../../src/services/create-workstream.js';
import { createToken } from '../../src/services/tokens.js';
import { runWrite } from '../../src/services/write-pipeline/run-write.js';
import { operatorContext } from '../../src/services/write-pipeline/write-context.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/databases.js';
import { silentLog } from '../helpers/test-app.js';

const P = 'id name phase progress { percent total credit byStatus { status label count } }';
const DASHBOARD = `query Dashboard($key: String!) { initiative(key: $key) { key name progress { total }
  workstreams { ${P} children { ${P} children { ${P} } } } } }`;
/** A dashboard whose stale answers are patched (answer-patch.ts): the initiative's workstreams only. */
const PATCHED = `query Patched($key: String!) { initiative(key: $key) {
  workstreams { ${P} children { ${P} children { ${P} } } } } }`;
const gid = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64url');
const STATUSES = ['DONE', 'IN_PROGRESS', 'PAUSED', 'NOT_STARTED'];

/**
 * Kept answers (src/server/answer-cache.ts) against fresh ones, under writes from other
 * requests. One writer changes the tree step by step (statuses, names, new items, each one
 * transaction) and, between steps, reads a fresh answer (a query text never sent before, so
 * never kept): the answer of every state the initiative went through. Readers meanwhile ask the
 * same dashboard again and again; each answer they get must equal the fresh answer of a state
 * the initiative was in while that request was under way: no later than the last step begun
 * before it returned, no earlier than the last step acknowledged before it was sent.
 */
describe.each(DIALECTS)('kept answers under concurrent writes (%s)', (dialect) => {
  let db: TestDatabase;
  let app: App;
  let url: string;
  let orm: Awaited<ReturnType<typeof openOrm>>;
  let token: string;
  let viewer: string;
  const items: number[] = [];
  const workstreams: number[] = [];
  const leaves: number[] = [];
  /** Items of a second initiative, `other`, written to while `kept` is read. */
  const otherItems: number[] = [];

  beforeAll(async () => {
    db = await createTestDatabase(dialect, true);
    orm = await openOrm({ databaseUrl: db.url, poolSize: 20 });
    await orm.schema.refresh();
    app = await createApp(orm, silentLog, serverOptions({ executor: 'jit' }));
    url = await app.listen(0, '127.0.0.1');
    const em = () => orm.em.fork() as Em;
    token = (await createToken({ em: em(), name: 'editor', role: 'editor' })).token;
    const ctx = operatorContext(em(), 't');
    const initiative = await runWrite(ctx, createInitiative, { key: 'kept', name: '缓存' });
    for (let a = 0; a < 4; a++) {
      const top = await runWrite(ctx, createWorkstream, {
        initiativeId: initiative.id,
        name: `顶${a}`,
      });
      workstreams.push(top.id);
      for (let b = 0; b < 4; b++) {
        const mid = await runWrite(ctx, createWorkstream, {
          initiativeId: initiative.id,
          parentId: top.id,
          name: `中${b}`,
        });
        workstreams.push(mid.id);
        for (let c = 0; c < 3; c++) {
          const leaf = await runWrite(ctx, createWorkstream, {
            initiativeId: initiative.id,
            parentId: mid.id,
            name: `叶${c}`,
          });
          workstreams.push(leaf.id);
          leaves.push(leaf.id);
          const made = await runWrite(ctx, createItems, {
            workstreamId: leaf.id,
            items: [
              { name: 'x', status: 'IN_PROGRESS', percent: c * 10 },
              { name: 'y', status: 'NOT_STARTED' },
            ],
          });
          items.push(...made.map((i) => i.id));
        }
      }
    }
    const other = await runWrite(ctx, createInitiative, { key: 'other', name: '另一个' });
    for (let a = 0; a < 4; a++) {
      const top = await runWrite(ctx, createWorkstream, { initiativeId: other.id, name: `另${a}` });
      for (let b = 0; b < 3; b++) {
        const leaf = await runWrite(ctx, createWorkstream, {
          initiativeId: other.id,
          parentId: top.id,
          name: `另${a}${b}`,
        });
        const made = await runWrite(ctx, createItems, {
          workstreamId: leaf.id,
          items: Array.from({ length: 5 }, (_, n) => ({
            name: `o${n}`,
            status: 'NOT_STARTED' as const,
          })),
        });
        otherItems.push(...made.map((i) => i.id));
      }
    }
    viewer = (
      await createToken({ em: em(), name: 'viewer', role: 'viewer', initiativeKey: 'kept' })
    ).token;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await orm?.close();
    await db?.drop();
  });

  const post = async (query: string, variables: object, secret: string) => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
      body: JSON.stringify({ query, variables }),
    });
    expect(res.status).toBe(200);
    return res.text();
  };

  /** Step `n`'s write: one transaction each, spread over the tree. */
  const write = (n: number) => {
    const item = items[(n * 7) % items.length]!;
    const node = workstreams[(n * 5) % workstreams.length]!;
    switch (n % 3) {
      case 0:
        return post(
          'mutation($i: SetItemStatusInput!) { setItemStatus(input: $i) { userErrors { code } } }',
          {
            i: {
              itemId: gid('Item', item),
              status: STATUSES[n % 4],
              percent: n % 4 === 1 ? 50 : undefined,
            },
          },
          token,
        );
      case 1:
        return post(
          'mutation($i: UpdateWorkstreamInput!) { updateWorkstream(input: $i) { userErrors { code } } }',
          { i: { id: gid('Workstream', node), name: `改名${n}`, phase: n % 2 ? '测试中' : null } },
          token,
        );
      default:
        return post(
          'mutation($i: CreateItemsInput!) { createItems(input: $i) { userErrors { code } } }',
          {
            i: {
              workstreamId: gid('Workstream', leaves[(n * 5) % leaves.length]!),
              items: [{ name: `新${n}`, status: 'DONE' }],
            },
          },
          token,
        );
    }
  };

  /** A status change of one of `other`'s items (a percent given: one no earlier write set). */
  const writeOther = (n: number, percent?: number) =>
    post(
      'mutation($i: SetItemStatusInput!) { setItemStatus(input: $i) { userErrors { code } } }',
      {
        i: {
          itemId: gid('Item', otherItems[(n * 11) % otherItems.length]!),
          status: percent === undefined ? STATUSES[n % 4] : 'IN_PROGRESS',
          percent: percent ?? (n % 4 === 1 ? 30 : undefined),
        },
      },
      token,
    );

  it.each([
    ['made again', DASHBOARD],
    ['patched', PATCHED],
  ])(
    'serves only answers equal to a fresh answer of a state during the request (%s)',
    async (how, query) => {
      const variables = { key: 'kept' };
      let fresh = 0;
      const freshAnswer = (secret: string) =>
        post(`${query}\n# fresh ${fresh++}`, variables, secret);
      const patchedBefore = app.answers!.patched;
      const states: { editor: string; viewer: string }[] = [];
      let begun = 0; // steps begun
      let acknowledged = 0; // steps acknowledged
      states.push({ editor: await freshAnswer(token), viewer: await freshAnswer(viewer) });
      const STEPS = 40;
      let writing = true;
      const writer = (async () => {
        for (let n = 1; n <= STEPS; n++) {
          // Writes to another initiative between the steps: `kept` stays in the state it was in.
          if (n % 2) expect(await writeOther(n)).not.toMatch(/"code"/);
          begun = n;
          const answer = await write(n);
          expect(answer).not.toMatch(/"code"/); // no user error
          acknowledged = n;
          states.push({ editor: await freshAnswer(token), viewer: await freshAnswer(viewer) });
          // Some steps leave time for reads of the same state to be kept and served.
          if (n % 4 === 0) await new Promise((r) => setTimeout(r, 30));
        }
        writing = false;
      })();
      const checked = { editor: 0, viewer: 0 };
      const reader = async (who: 'editor' | 'viewer') => {
        const secret = who === 'editor' ? token : viewer;
        while (writing) {
          const earliest = acknowledged;
          const answer = await post(query, variables, secret);
          const latest = begun;
          // The state read may be one whose fresh answer the writer has not read yet: wait for it.
          while (states.length <= latest && writing) await new Promise((r) => setTimeout(r, 2));
          const candidates = states.slice(earliest, latest + 1).map((s) => s[who]);
          expect(candidates).toContain(answer);
          checked[who]++;
        }
      };
      await Promise.all([writer, reader('editor'), reader('editor'), reader('viewer')]);
      expect(checked.editor + checked.viewer).toBeGreaterThan(STEPS);
      // With no writes, the same answers come from the cache, and equal fresh ones.
      const hitsBefore = app.answers!.hits;
      for (let i = 0; i < 5; i++) {
        expect(await post(query, variables, token)).toBe(states.at(-1)!.editor);
        expect(await post(query, variables, viewer)).toBe(states.at(-1)!.viewer);
      }
      expect(app.answers!.hits - hitsBefore).toBeGreaterThanOrEqual(8);
      // The viewer is scoped to this initiative and sees it as the editor does.
      expect(states.at(-1)!.viewer).toBe(states.at(-1)!.editor);
      if (how === 'patched') expect(app.answers!.patched).toBeGreaterThan(patchedBefore);
      else expect(app.answers!.patched).toBe(patchedBefore);
    },
    120_000,
  );

  it('patches a stale answer to equal the fresh one after each item write', async () => {
    let fresh = 0;
    const freshAnswer = () => post(`${PATCHED}\n# patch ${fresh++}`, { key: 'kept' }, token);
    const ask = async () => {
      const before = app.answers!.patched;
      const answer = await post(PATCHED, { key: 'kept' }, token);
      return { answer, patched: app.answers!.patched - before === 1 };
    };
    await ask();
    let patched = 0;
    for (let n = 0; n < 12; n++) {
      // Statuses (one figure path moves) and new items (a workstream with none gets its first).
      const answer =
        n % 3 === 2
          ? await post(
              'mutation($i: CreateItemsInput!) { createItems(input: $i) { userErrors { code } } }',
              {
                i: {
                  workstreamId: gid('Workstream', leaves[(n * 7) % leaves.length]!),
                  items: [{ name: `补${n}`, status: 'IN_PROGRESS', percent: 10 + n }],
                },
              },
              token,
            )
          : await post(
              'mutation($i: SetItemStatusInput!) { setItemStatus(input: $i) { userErrors { code } } }',
              {
                i: {
                  itemId: gid('Item', items[(n * 13) % items.length]!),
                  status: STATUSES[(n + 1) % 4],
                  percent: (n + 1) % 4 === 1 ? 20 + n : undefined,
                },
              },
              token,
            );
      expect(answer).not.toMatch(/"code"/);
      const now = await freshAnswer();
      const asked = await ask();
      expect(asked.answer).toBe(now);
      if (asked.patched) patched++;
    }
    // A write that changed nothing (a status set again) leaves the answer kept as it was.
    expect(patched).toBeGreaterThanOrEqual(8);
    // A renamed workstream is not a moved figure: that answer is made again.
    expect(await write(5002)).not.toMatch(/"code"/);
    const renamed = await freshAnswer();
    expect(await ask()).toEqual({ answer: renamed, patched: false });
  });

  it("keeps an initiative's answer through writes to another one, never through its own", async () => {
    let fresh = 0;
    const freshAnswer = (key: string) =>
      post(`${DASHBOARD}\n# per initiative ${fresh++}`, { key }, token);
    const ask = async (key: string) => {
      const before = app.answers!.hits;
      const answer = await post(DASHBOARD, { key }, token);
      return { answer, kept: app.answers!.hits - before === 1 };
    };
    await ask('kept');
    await ask('other');
    const kept0 = await freshAnswer('kept');
    expect(await ask('kept')).toEqual({ answer: kept0, kept: true });
    for (let n = 0; n < 5; n++) {
      // A write to `other`: `kept`'s answer is served as kept, and is still the fresh one.
      const other0 = await ask('other');
      expect(await writeOther(n, 41 + n)).not.toMatch(/"code"/);
      expect(await ask('kept')).toEqual({ answer: kept0, kept: true });
      const other1 = await freshAnswer('other');
      expect(other1).not.toBe(other0.answer);
      // `other`'s own kept answer is stale: made afresh, equal to the fresh one.
      expect(await ask('other')).toEqual({ answer: other1, kept: false });
      expect(await ask('other')).toEqual({ answer: other1, kept: true });
    }
    // A write to `kept` itself: never its stale answer.
    for (let n = 0; n < 3; n++) {
      expect(await write(3000 + n)).not.toMatch(/"code"/);
      const now = await freshAnswer('kept');
      expect(await ask('kept')).toEqual({ answer: now, kept: false });
      expect(await ask('kept')).toEqual({ answer: now, kept: true });
    }
  });

  // On PostgreSQL only the pipeline's writes move what kept answers are stamped with (the
  // initiative's revision); on SQLite any statement that writes, and any other connection's.
  // So this is SQLite's alone (PostgreSQL's revision is tested with the pipeline's writes).
  if (dialect === 'sqlite')
    it('makes answers afresh after a write outside the pipeline, or by another connection', async () => {
      let fresh = 0;
      const freshAnswer = () => post(`${DASHBOARD}\n# outside ${fresh++}`, { key: 'kept' }, token);
      const ask = async () => {
        const before = app.answers!.hits;
        const answer = await post(DASHBOARD, { key: 'kept' }, token);
        return { answer, kept: app.answers!.hits - before === 1 };
      };
      const rename = `update workstream set name = ? where id = ${workstreams[0]}`;
      await ask();
      expect((await ask()).kept).toBe(true);
      // A statement of this process outside the write pipeline (no initiative named).
      await (orm.em.fork() as Em).execute(rename, ['进程内改名']);
      const inside = await freshAnswer();
      expect(inside).toContain('进程内改名');
      expect(await ask()).toEqual({ answer: inside, kept: false });
      expect(await ask()).toEqual({ answer: inside, kept: true });
      // A commit by another connection to the file (the CLI, another process).
      const otherConnection = new Database(db.url.replace(/^sqlite:/, ''));
      otherConnection.prepare(rename).run('别的连接改名');
      otherConnection.close();
      const outside = await freshAnswer();
      expect(outside).toContain('别的连接改名');
      expect(await ask()).toEqual({ answer: outside, kept: false });
      expect(await ask()).toEqual({ answer: outside, kept: true });
    });

  it('makes one answer for identical requests that arrive together', async () => {
    await write(1000); // the kept answer is stale now
    const fresh = await post(`${DASHBOARD}\n# after 1000`, { key: 'kept' }, token);
    const hitsBefore = app.answers!.hits;
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => post(DASHBOARD, { key: 'kept' }, token)),
    );
    for (const answer of answers) expect(answer).toBe(fresh);
    // One of them made it; the others waited for it (or came after it was kept).
    expect(app.answers!.hits - hitsBefore).toBe(5);
  });

  it('keeps its answer while the server idles (background work writes no kept data)', async () => {
    const first = await post(DASHBOARD, { key: 'kept' }, token);
    await new Promise((r) => setTimeout(r, 2_500)); // the webhook worker runs every second
    const hitsBefore = app.answers!.hits;
    expect(await post(DASHBOARD, { key: 'kept' }, token)).toBe(first);
    expect(app.answers!.hits - hitsBefore).toBe(1);
  });

  it('keeps an answer naming a key no initiative has only until one has it', async () => {
    // Two initiatives in one answer, the second not created yet: the answer is kept under the
    // first one's stamp and "none" for the second.
    const BOTH = `query Both { a: initiative(key: "kept") { workstreams { ${P} children { ${P} } } }
      b: initiative(key: "later") { name workstreams { ${P} } } }`;
    const ask = async () => {
      const before = app.answers!.hits;
      const answer = await post(BOTH, {}, token);
      return { answer, kept: app.answers!.hits - before === 1 };
    };
    const none = await ask();
    expect(none.answer).toContain('"b":null');
    expect(await ask()).toEqual({ answer: none.answer, kept: true });
    const ctx = operatorContext(orm.em.fork() as Em, 't');
    const later = await runWrite(ctx, createInitiative, { key: 'later', name: '后来的' });
    const made = await ask();
    expect(made).toEqual({ answer: expect.stringContaining('"name":"后来的"'), kept: false });
    expect(await ask()).toEqual({ answer: made.answer, kept: true });
    // A write to it: made afresh, then kept.
    await runWrite(ctx, createWorkstream, { initiativeId: later.id, name: '再一个' });
    const grown = await ask();
    expect(grown).toEqual({ answer: expect.stringContaining('再一个'), kept: false });
    expect(await ask()).toEqual({ answer: grown.answer, kept: true });
    // Its revision row gone, as for an initiative no pipeline write has reached (revision 0 on
    // PostgreSQL; on SQLite a statement outside the pipeline): made afresh, then kept.
    await (orm.em.fork() as Em).execute('delete from initiative_revision where initiative_id = ?', [
      later.id,
    ]);
    expect(await ask()).toEqual({ answer: grown.answer, kept: false });
    expect(await ask()).toEqual({ answer: grown.answer, kept: true });
  });

  it('keeps no answer of a query that reads the clock or the history', async () => {
    const hitsBefore = app.answers!.hits;
    const asOf = `query($key: String!, $at: DateTimeISO!) { initiative(key: $key, asOf: $at) { name } }`;
    const health = 'query($key: String!) { initiative(key: $key) { name health { status } } }';
    for (let i = 0; i < 3; i++) {
      await post(asOf, { key: 'kept', at: new Date().toISOString() }, token);
      await post(health, { key: 'kept' }, token);
    }
    expect(app.answers!.hits).toBe(hitsBefore);
  });
});
