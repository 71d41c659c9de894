import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.js';
import {
  collect,
  liveClient,
  makeTree,
  revisionNow,
  settle,
  type LiveTree,
} from '../helpers/live-client.js';
import {
  NODE_PROGRESS,
  SET_ITEM_STATUS,
  SET_ITEM_STATUSES,
  UPDATE_INITIATIVE,
  UPDATE_WORKSTREAM,
} from '../helpers/operations.js';
import { until } from '../helpers/webhook-receiver.js';

// Subscriptions resume after the revision read before them (`after`): see revisionNow.
const FIGURES = `subscription($key: String!, $nodeIds: [ID!], $min: Float, $after: Int) {
  figureChanged(initiativeKey: $key, nodeIds: $nodeIds, minChange: $min, afterRevision: $after) {
    node { id } before { percent credit counted total } after { percent credit counted total }
    cause { changeIds actor } seq revision initiativeKey } }`;
const ITEMS = `subscription($key: String!, $after: Int) {
  itemChanged(initiativeKey: $key, afterRevision: $after) {
  itemId workstreamId type status percent version seq revision cause { actor } } }`;
const CHANGES = `subscription($key: String!, $after: Int) {
  initiativeChanged(initiativeKey: $key, afterRevision: $after) {
  types seq revision initiativeKey cause { changeIds actor } } }`;

describe.each(DIALECTS)('subscriptions over graphql-ws (%s)', (dialect) => {
  let app: HttpTestApp;
  let tree: LiveTree;
  let other: LiveTree;
  const post = (q: string, v?: Record<string, unknown>) => app.post(q, v);
  const setStatus = (itemId: string, status: string, percent?: number) =>
    post(SET_ITEM_STATUS, { input: { itemId, status, percent } });
  const progress = async (id: string) =>
    (await post(NODE_PROGRESS, { id })).body.data.node.progress;
  const now = (key: string) => revisionNow(app.em(), key);

  beforeAll(async () => {
    app = await startHttpApp(dialect);
    tree = await makeTree(post, 'live-a');
    other = await makeTree(post, 'live-b', 1, 3);
  });
  afterAll(() => app?.close());

  it('sends every affected node’s figure, before and after, in the order writes commit', async () => {
    const client = liveClient(app.url, app.adminToken);
    const sub = collect(client, FIGURES, { key: 'live-a', after: await now('live-a') });
    expect(
      (await setStatus(tree.items[0]![0]!, 'DONE')).body.data.setItemStatus.userErrors,
    ).toEqual([]);
    expect(
      (await setStatus(tree.items[0]![1]!, 'IN_PROGRESS', 50)).body.data.setItemStatus.userErrors,
    ).toEqual([]);
    // Each write moves the leaf, the top workstream and the initiative: 3 figures per write.
    const events = await sub.waitFor(6);
    expect(events.map((e) => e.figureChanged.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    const ids = events.map((e) => e.figureChanged.node.id);
    expect(new Set(ids.slice(0, 3))).toEqual(
      new Set([tree.initiativeId, tree.root, tree.leaves[0]]),
    );
    // The second write's "before" is the first's "after", node by node.
    for (const id of [tree.initiativeId, tree.root, tree.leaves[0]!]) {
      const [first, second] = events.filter((e) => e.figureChanged.node.id === id);
      expect(second.figureChanged.before).toEqual(first.figureChanged.after);
      expect(second.figureChanged.revision).toBe(first.figureChanged.revision + 1);
      // And the last "after" is what a query reads now.
      expect(second.figureChanged.after).toEqual(await progress(id));
    }
    const leaf = events.find((e) => e.figureChanged.node.id === tree.leaves[0])!.figureChanged;
    expect(leaf.before).toEqual({ percent: 0, credit: 0, counted: 10, total: 10 });
    expect(leaf.after).toEqual({ percent: 10, credit: 1, counted: 10, total: 10 });
    expect(leaf.cause.actor).toBe('test-admin');
    expect(leaf.cause.changeIds).toHaveLength(1);
    expect(leaf.initiativeKey).toBe('live-a');
    sub.stop();
    await client.dispose();
  });

  it('emits nothing for a write that rolls back, and filters by node and minChange', async () => {
    const client = liveClient(app.url, app.adminToken);
    const after = await now('live-a');
    const leaf1 = collect(client, FIGURES, { key: 'live-a', nodeIds: [tree.leaves[1]], after });
    const big = collect(client, FIGURES, { key: 'live-a', nodeIds: [tree.root], min: 4, after });
    const items = collect(client, ITEMS, { key: 'live-a', after });
    // All or nothing: one bad percent refuses the whole batch.
    const refused = await post(SET_ITEM_STATUSES, {
      input: {
        updates: [
          { itemId: tree.items[1]![0], status: 'DONE' },
          { itemId: tree.items[1]![1], status: 'IN_PROGRESS', percent: 101 },
        ],
      },
    });
    expect(
      refused.body.data?.setItemStatuses?.userErrors?.length ?? refused.body.errors?.length,
    ).toBeGreaterThan(0);
    await setStatus(tree.items[1]![2]!, 'IN_PROGRESS', 10); // root moves by 0.5 points
    await setStatus(tree.items[1]![3]!, 'DONE'); // root moves by 5 points
    const [a, b] = await leaf1.waitFor(2);
    expect(a.figureChanged.node.id).toBe(tree.leaves[1]);
    expect(a.figureChanged.before).toEqual({ percent: 0, credit: 0, counted: 10, total: 10 });
    expect(b.figureChanged.before).toEqual(a.figureChanged.after);
    // minChange counts from what this subscriber was last sent: the 0.5 points add to the 5.
    const [moved] = await big.waitFor(1);
    expect(moved.figureChanged.after.percent - moved.figureChanged.before.percent).toBeCloseTo(5.5);
    const changed = await items.waitFor(2);
    expect(
      changed.map((e) => [e.itemChanged.itemId, e.itemChanged.status, e.itemChanged.seq]),
    ).toEqual([
      [tree.items[1]![2], 'IN_PROGRESS', 1],
      [tree.items[1]![3], 'DONE', 2],
    ]);
    await settle(200);
    expect(leaf1.events).toHaveLength(2);
    expect(big.events).toHaveLength(1);
    await client.dispose();
  });

  it('tells of every write once, also one that moves no figure and no item (a target date, a name)', async () => {
    const client = liveClient(app.url, app.adminToken);
    const after = await now('live-b');
    const changes = collect(client, CHANGES, { key: 'live-b', after });
    const figures = collect(client, FIGURES, { key: 'live-b', after });
    const items = collect(client, ITEMS, { key: 'live-b', after });
    const edit = async (query: string, input: Record<string, unknown>) =>
      expect(Object.values((await post(query, { input })).body.data)[0]).toMatchObject({
        userErrors: [],
      });
    await edit(UPDATE_INITIATIVE, { initiativeId: other.initiativeId, targetDate: '2026-12-31' });
    await edit(UPDATE_WORKSTREAM, { id: other.leaves[0], name: '改名' });
    await setStatus(other.items[0]![2]!, 'IN_PROGRESS', 30);
    const events = (await changes.waitFor(3)).map((e) => e.initiativeChanged);
    expect(events.map((e) => [e.seq, e.revision - after, e.types])).toEqual([
      [1, 1, ['InitiativeTargetDateSet']],
      [2, 2, ['WorkstreamRenamed']],
      [3, 3, ['ItemStatusChanged']],
    ]);
    expect(events[0]).toMatchObject({ initiativeKey: 'live-b', cause: { actor: 'test-admin' } });
    expect(events.every((e) => e.cause.changeIds.length === 1)).toBe(true);
    // The first two carried nothing the other subscriptions send: they got the third alone.
    const [item] = await items.waitFor(1);
    const [figure] = await figures.waitFor(1);
    expect(item.itemChanged.revision).toBe(after + 3);
    expect(figure.figureChanged.revision).toBe(after + 3);
    // Resumed after the first: the two since, from the outbox.
    const resumed = collect(client, CHANGES, { key: 'live-b', after: after + 1 });
    expect((await resumed.waitFor(2)).map((e) => e.initiativeChanged.types)).toEqual([
      ['WorkstreamRenamed'],
      ['ItemStatusChanged'],
    ]);
    await settle(200);
    expect(changes.events).toHaveLength(3);
    expect(items.events).toHaveLength(1);
    await client.dispose();
  });

  it('names each node’s live Progress id, so a normalized cache takes the event without a refetch', async () => {
    const client = liveClient(app.url, app.adminToken);
    const sub = collect(
      client,
      `subscription($key: String!, $nodeIds: [ID!], $after: Int) {
        figureChanged(initiativeKey: $key, nodeIds: $nodeIds, afterRevision: $after) {
          node { id progressId } after { percent } cause { changeIds } } }`,
      { key: 'live-b', nodeIds: [other.leaves[0]], after: await now('live-b') },
    );
    await setStatus(other.items[0]![0]!, 'DONE');
    const [event] = await sub.waitFor(1);
    const read = (
      await post(
        `query($id: ID!) { node(id: $id) { ... on Workstream { progress { id percent } } } }`,
        {
          id: other.leaves[0],
        },
      )
    ).body.data.node.progress;
    expect(event.figureChanged.node).toEqual({ id: other.leaves[0], progressId: read.id });
    expect(event.figureChanged.after.percent).toBe(read.percent);
    // cause.changeIds name the change-log entries by their id.
    const logged = (
      await post(
        `query($id: ID!) { node(id: $id) { ... on Item { history(first: 1) { nodes { id event } } } } }`,
        {
          id: other.items[0]![0],
        },
      )
    ).body.data.node.history.nodes[0];
    expect(logged.event).toBe('ItemStatusChanged');
    expect(event.figureChanged.cause.changeIds).toContain(logged.id);
    await client.dispose();
  });

  it('resumes after a dropped socket with afterRevision: what was missed, then live, no gap and no repeat', async () => {
    const ITEMS_AFTER = `subscription($key: String!, $after: Int) { itemChanged(initiativeKey: $key, afterRevision: $after) {
      itemId status revision seq } }`;
    const first = liveClient(app.url, app.adminToken);
    const seen = collect(first, ITEMS_AFTER, { key: 'live-b', after: await now('live-b') });
    await setStatus(other.items[0]![1]!, 'DONE');
    const [last] = await seen.waitFor(1);
    const r = last.itemChanged.revision as number;
    await first.dispose(); // the socket drops; two writes commit meanwhile
    await setStatus(other.items[0]![2]!, 'DONE');
    await setStatus(other.items[0]![1]!, 'IN_PROGRESS', 40);

    const again = liveClient(app.url, app.adminToken);
    const resumed = collect(again, ITEMS_AFTER, { key: 'live-b', after: r });
    const missed = await resumed.waitFor(2);
    expect(
      missed.map((e) => [e.itemChanged.revision, e.itemChanged.itemId, e.itemChanged.seq]),
    ).toEqual([
      [r + 1, other.items[0]![2], 1],
      [r + 2, other.items[0]![1], 2],
    ]);
    await setStatus(other.items[0]![2]!, 'IN_PROGRESS', 10); // live, after the backlog
    const all = await resumed.waitFor(3);
    expect(all.map((e) => e.itemChanged.revision)).toEqual([r + 1, r + 2, r + 3]);
    await settle(200);
    expect(resumed.events).toHaveLength(3);

    // Beyond the current revision: the client's mistake. Pruned rows: refetch instead.
    const ahead = collect(again, ITEMS_AFTER, { key: 'live-b', after: r + 100 });
    await ahead.ended;
    expect(ahead.errors).toMatchObject([
      { extensions: { code: 'BAD_USER_INPUT', argument: 'afterRevision' } },
    ]);
    const [{ id }] = await app.em().execute(`select id from initiative where key = 'live-b'`);
    await app
      .em()
      .execute('delete from outbox where initiative_id = ? and revision = ?', [id, r + 1]);
    const gone = collect(again, ITEMS_AFTER, { key: 'live-b', after: r });
    await gone.ended;
    expect(gone.errors).toMatchObject([{ extensions: { code: 'RESUME_UNAVAILABLE' } }]);
    await again.dispose();
  });

  it('a graphql-ws client that keeps afterRevision in its payload resumes by itself after a reconnect', async () => {
    const client = createClient({
      url: `${app.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${app.adminToken}` },
      retryAttempts: 5,
      shouldRetry: () => true,
      // Long enough that the two writes below commit while no socket is open.
      retryWait: () => new Promise((r) => setTimeout(r, 500)),
    });
    // graphql-ws sends this object again when it resubscribes, serialized at that moment.
    const payload = {
      query: `subscription($key: String!, $after: Int) { itemChanged(initiativeKey: $key, afterRevision: $after) { revision } }`,
      variables: { key: 'live-b', after: await now('live-b') },
    };
    const revisions: number[] = [];
    const dispose = client.subscribe<any>(payload, {
      next: (v) => {
        revisions.push(v.data.itemChanged.revision);
        payload.variables.after = v.data.itemChanged.revision;
      },
      error: () => {},
      complete: () => {},
    });
    await setStatus(other.items[0]![0]!, 'IN_PROGRESS', 5);
    await until(() => revisions.length === 1);
    client.terminate(); // the socket is gone; writes commit before it is back
    await setStatus(other.items[0]![0]!, 'IN_PROGRESS', 6);
    await setStatus(other.items[0]![0]!, 'IN_PROGRESS', 7);
    await until(() => revisions.length === 3);
    await setStatus(other.items[0]![0]!, 'IN_PROGRESS', 8);
    await until(() => revisions.length === 4);
    expect(revisions).toEqual([0, 1, 2, 3].map((k) => revisions[0]! + k));
    dispose();
    await client.dispose();
  });

  it('checks the token at connection_init and the scope at subscribe and on every event', async () => {
    const bad = liveClient(app.url, 'jdu_not-a-token');
    const refused = collect(bad, FIGURES, { key: 'live-a' });
    await refused.ended;
    expect(String((refused.errors[0] as { code?: number }).code)).toBe('4403');
    await bad.dispose();

    const scopedToken = await app.token('only-b', 'viewer', 'live-b');
    const scoped = liveClient(app.url, scopedToken);
    const foreign = collect(scoped, FIGURES, { key: 'live-a' });
    await foreign.ended;
    expect(foreign.errors).toMatchObject([{ extensions: { code: 'NOT_FOUND' } }]);
    const own = collect(scoped, ITEMS, { key: 'live-b', after: await now('live-b') });
    await setStatus(tree.items[0]![5]!, 'DONE');
    await setStatus(other.items[0]![0]!, 'DONE');
    const [event] = await own.waitFor(1);
    expect(event.itemChanged.itemId).toBe(other.items[0]![0]);
    await settle(200);
    expect(own.events).toHaveLength(1);
    await scoped.dispose();
  });

  it('serves an anonymous socket (loopback) to the server’s own pages only; a token from any page', async () => {
    const foreign = liveClient(app.url, null, 'http://pages.example');
    const refused = collect(foreign, ITEMS, { key: 'live-a' });
    await refused.ended;
    expect(String((refused.errors[0] as { code?: number }).code)).toBe('4403');
    await foreign.dispose();
    const clients = [
      liveClient(app.url, null, app.url), // the dashboard, anonymous
      liveClient(app.url, null), // not a browser: no Origin
      liveClient(app.url, app.adminToken, 'http://pages.example'),
    ];
    const after = await now('live-a');
    const subs = clients.map((c) => collect(c, ITEMS, { key: 'live-a', after }));
    await setStatus(tree.items[0]![6]!, 'DONE');
    for (const sub of subs)
      expect((await sub.waitFor(1))[0].itemChanged.itemId).toBe(tree.items[0]![6]);
    await Promise.all(clients.map((c) => c.dispose()));
  });

  it('limits subscriptions per connection and takes only subscriptions', async () => {
    const client = liveClient(app.url, app.adminToken);
    const subs = Array.from({ length: 21 }, () => collect(client, ITEMS, { key: 'live-a' }));
    await subs[20]!.ended;
    expect(subs[20]!.errors).toMatchObject([{ extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } }]);
    const query = collect(client, '{ initiatives { key } }');
    await query.ended;
    expect(query.errors).toMatchObject([{ extensions: { code: 'BAD_REQUEST' } }]);
    await client.dispose();
  });

  // Per address (src/server/client-key.ts), where all of loopback is one: any local process
  // may send from any 127.x address, and 127.0.0.2 was a fresh 100.
  it('counts anonymous subscriptions per address, all of loopback as one, not per reader', async () => {
    // Five sockets of 20 from 127.0.0.1 take that address's 100.
    const here = Array.from({ length: 5 }, () => liveClient(app.url, null));
    const held = here.flatMap((c) =>
      Array.from({ length: 20 }, () => collect(c, ITEMS, { key: 'live-a' })),
    );
    const extra = liveClient(app.url, null);
    const refused = collect(extra, ITEMS, { key: 'live-a' });
    await refused.ended;
    expect(refused.errors).toMatchObject([{ extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } }]);
    const loopback = liveClient(app.url, null, undefined, '127.0.0.2');
    const alsoRefused = collect(loopback, ITEMS, { key: 'live-a' });
    await alsoRefused.ended;
    expect(alsoRefused.errors).toMatchObject([{ extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } }]);
    // A reader with a token counts as itself: it still subscribes and gets events.
    const other = liveClient(app.url, app.adminToken);
    const sub = collect(other, ITEMS, { key: 'live-a', after: await now('live-a') });
    await setStatus(tree.items[0]![7]!, 'DONE');
    expect((await sub.waitFor(1))[0].itemChanged.itemId).toBe(tree.items[0]![7]);
    expect(held.every((h) => h.errors.length === 0)).toBe(true);
    await Promise.all([...here, extra, loopback, other].map((c) => c.dispose()));
  });

  it('takes the token where clients put it, and refuses one it cannot read instead of serving anonymously', async () => {
    /** How connection_init ends: acknowledged, or the close code. */
    const init = (payload: unknown, headers: Record<string, string> = {}) =>
      new Promise<'ack' | number>((resolve) => {
        const ws = new WebSocket(
          `${app.url.replace(/^http/, 'ws')}/graphql`,
          'graphql-transport-ws',
          {
            headers,
          },
        );
        ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload })));
        ws.on('message', (data) => {
          if (JSON.parse(String(data)).type === 'connection_ack') {
            resolve('ack');
            ws.close();
          }
        });
        ws.on('close', (code) => resolve(code));
      });
    // Apollo's links put it under headers.
    expect(await init({ headers: { Authorization: `Bearer ${app.adminToken}` } })).toBe('ack');
    expect(await init({ headers: { Authorization: 'Bearer jdu_not-a-token' } })).toBe(4403);
    // Not a string: said (4400), where it used to read as no token at all.
    expect(await init({ authorization: 123 })).toBe(4400);
    // The names other GraphQL servers read are read too; any other field that looks like a
    // credential, or headers that are not an object, is refused rather than read as no token.
    expect(await init({ authToken: app.adminToken })).toBe('ack');
    expect(await init({ accessToken: 'jdu_not-a-token' })).toBe(4403);
    expect(await init({ access_token: app.adminToken })).toBe(4400);
    expect(await init({ apiKey: app.adminToken })).toBe(4400);
    expect(await init({ headers: 'x' })).toBe(4400);
    expect(await init({ clientName: 'dashboard', author: 'x', csrfToken: 'y' })).toBe('ack');
    expect(await init({ headers: { AUTHORIZATION: `Bearer ${app.adminToken}` } })).toBe('ack');
    expect(await init({ headers: { 'x-api-key': app.adminToken } })).toBe(4400);
    // The upgrade's own header counts when the payload names none (it was dropped).
    expect(await init({}, { authorization: 'Bearer jdu_not-a-token' })).toBe(4403);
    expect(await init({}, { authorization: `Bearer ${app.adminToken}` })).toBe('ack');
  });

  it('closes a socket that sends a frame over 100 kB with 1009, and prints no internal error', async () => {
    const printed = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const socket = new WebSocket(
        `${app.url.replace(/^http/, 'ws')}/graphql`,
        'graphql-transport-ws',
      );
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      const closed = new Promise<number>((resolve) => socket.once('close', resolve));
      socket.send('x'.repeat(100_001));
      expect(await closed).toBe(1009);
      await settle(100);
      expect(printed).not.toHaveBeenCalled();
      expect(app.loggedErrors).toEqual([]);
    } finally {
      printed.mockRestore();
    }
  });

  it('refuses node ids that are not this initiative’s, instead of a subscription that never fires', async () => {
    const client = liveClient(app.url, app.adminToken);
    const stranger = collect(client, FIGURES, { key: 'live-a', nodeIds: [other.leaves[0]] });
    await stranger.ended;
    expect(stranger.errors).toMatchObject([
      { extensions: { code: 'BAD_USER_INPUT', argument: 'nodeIds' } },
    ]);
    const own = collect(client, FIGURES, { key: 'live-a', nodeIds: [tree.leaves[0]] });
    await settle();
    expect(own.errors).toEqual([]);
    own.stop();
    await client.dispose();
  });

  it('answers a bad subscription with the code HTTP gives the same mistake, never an internal error', async () => {
    const client = liveClient(app.url, app.adminToken);
    const refusedWith = async (
      query: string,
      variables: Record<string, unknown>,
      operationName?: string,
    ) => {
      const errors: any[] = [];
      await new Promise<void>((done) =>
        client.subscribe(
          { query, variables, operationName },
          {
            next: (v) => errors.push(...(v.errors ?? [])),
            error: (e) => (errors.push(...(e as any[])), done()),
            complete: done,
          },
        ),
      );
      return errors;
    };
    // A variable of the wrong type: BAD_USER_INPUT, as over HTTP (it was an internal error).
    expect(await refusedWith(FIGURES, { key: 5 })).toMatchObject([
      { extensions: { code: 'BAD_USER_INPUT' } },
    ]);
    expect(await refusedWith(FIGURES, { key: 'live-a', min: -1 })).toMatchObject([
      { extensions: { code: 'BAD_USER_INPUT', argument: 'minChange' } },
    ]);
    expect(
      await refusedWith('subscription { itemChanged(initiativeKey: "live-a") { nosuch } }', {}),
    ).toMatchObject([{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }]);
    const unknown = await refusedWith(ITEMS, { key: 'live-a' }, 'Nope');
    expect(unknown).toMatchObject([
      {
        message: 'Unknown operation named "Nope".',
        extensions: { code: 'OPERATION_RESOLUTION_FAILURE' },
      },
    ]);
    // Two operations and no name: refused as HTTP refuses it, not the first one run.
    const two = `subscription A { itemChanged(initiativeKey: "live-a") { seq } }
      subscription B { itemChanged(initiativeKey: "live-b") { seq } }`;
    expect(await refusedWith(two, {})).toMatchObject([
      { extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } },
    ]);
    const http = await app.post(
      two
        .replaceAll('subscription', 'query')
        .replace(/itemChanged\(initiativeKey: "live-\w"\) \{ seq \}/g, '__typename'),
    );
    expect(http.body.errors[0].extensions.code).toBe('OPERATION_RESOLUTION_FAILURE');
    await client.dispose();
  });

  it('answers a subscription sent over HTTP with a 4xx, never a 500', async () => {
    const res = await app.post('subscription { itemChanged(initiativeKey: "live-a") { seq } }');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.errors[0].extensions.code).not.toBe('INTERNAL_SERVER_ERROR');
  });
});
