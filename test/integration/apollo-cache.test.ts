import { ApolloClient, gql, HttpLink, InMemoryCache } from '@apollo/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.js';
import { makeTree, type LiveTree } from '../helpers/live-client.js';

const FIGURE = 'id percent credit counted total';
const TREE = gql`
  query Tree($key: String!) {
    initiative(key: $key) {
      id
      progress { ${FIGURE} }
      workstreams { id progress { ${FIGURE} } children { id progress { ${FIGURE} } } }
    }
  }
`;
const SET = gql`
  mutation Set($input: SetItemStatusInput!) {
    setItemStatus(input: $input) {
      item { id status percent version }
      affectedNodes {
        id
        ... on Initiative { progress { ${FIGURE} } }
        ... on Workstream { progress { ${FIGURE} } }
      }
      userErrors { code }
    }
  }
`;

// A past figure read beside the live tree. The parents' ids are left out so they are stored
// under this query rather than merged into the live Initiative and Workstream entries (an
// as-of object keeps the id of the object it is a view of).
const PAST = gql`
  query Past($key: String!, $leaf: ID!, $asOf: DateTimeISO!) {
    initiative(key: $key, asOf: $asOf) {
      progress { ${FIGURE} }
      workstreams { progress { ${FIGURE} } children { progress { ${FIGURE} } } }
    }
    node(id: $leaf, asOf: $asOf) { ... on Workstream { progress { ${FIGURE} } } }
  }
`;

/** A real Apollo Client 4 cache in front of the server: a mutation keeps the cached tree right. */
describe.each(DIALECTS)('Apollo Client InMemoryCache (%s)', (dialect) => {
  let app: HttpTestApp;
  let tree: LiveTree;
  let requests: string[];
  let client: ApolloClient;

  beforeAll(async () => {
    app = await startHttpApp(dialect);
    tree = await makeTree((q, v) => app.post(q, v), 'cache', 2, 4);
    requests = [];
    client = new ApolloClient({
      cache: new InMemoryCache({ possibleTypes: { Node: ['Initiative', 'Workstream', 'Item'] } }),
      link: new HttpLink({
        uri: `${app.url}/graphql`,
        headers: { authorization: `Bearer ${app.adminToken}` },
        fetch: (url, init) => {
          requests.push(JSON.parse(String(init?.body)).operationName);
          return fetch(url, init);
        },
      }),
    });
  });
  afterAll(() => app?.close());

  it('shows the new figures of the item’s workstream and every ancestor without a refetch', async () => {
    const before = (await client.query({ query: TREE, variables: { key: 'cache' } })).data as any;
    expect(before.initiative.progress.percent).toBe(0);
    const result = await client.mutate({
      mutation: SET,
      variables: { input: { itemId: tree.items[1]![0], status: 'DONE' } },
    });
    expect((result.data as any).setItemStatus.userErrors).toEqual([]);
    expect(
      (result.data as any).setItemStatus.affectedNodes.map((n: { id: string }) => n.id),
    ).toEqual([tree.initiativeId, tree.leaves[1], tree.root]);

    // Read from the cache only: no request goes out for it.
    const sent = requests.length;
    const cached = client.readQuery({ query: TREE, variables: { key: 'cache' } }) as any;
    expect(requests.length).toBe(sent);
    // What the server says now, read past any cache.
    const fresh = (await app.post(TREE.loc!.source.body, { key: 'cache' })).body.data;
    const plain = JSON.parse(
      JSON.stringify(cached, (k, v) => (k === '__typename' ? undefined : v)),
    );
    expect(plain).toEqual(fresh);
    expect(cached.initiative.progress.percent).toBe(12.5); // 1 of 8
    const root = cached.initiative.workstreams[0];
    expect(root.progress.percent).toBe(12.5);
    expect(root.children[1].progress.percent).toBe(25); // 1 of 4
    expect(root.children[0].progress.percent).toBe(0);
    // Every Progress is its own cache entry, keyed by its id.
    const entries = Object.keys(client.cache.extract() as object);
    expect(entries.filter((k) => k.startsWith('Progress:'))).toHaveLength(4);
  });

  it('keeps every cached figure right after a move, a delete, a policy change and a stage', async () => {
    const shape = await makeTree((q, v) => app.post(q, v), 'shape', 3, 2);
    const AFFECTED = `affectedNodes { id ... on Initiative { progress { ${FIGURE} } }
      ... on Workstream { progress { ${FIGURE} } } } userErrors { code }`;
    const run = async (mutation: string, input: Record<string, unknown>) => {
      const res = await client.mutate({ mutation: gql(mutation), variables: { input } });
      const payload = Object.values(res.data as object)[0] as any;
      expect(payload.userErrors).toEqual([]);
      return payload;
    };
    // Every figure in the cache equals what the server says now, node by node.
    const cachedMatchesServer = async () => {
      const cached = client.readQuery({ query: TREE, variables: { key: 'shape' } }) as any;
      const fresh = (await app.post(TREE.loc!.source.body, { key: 'shape' })).body.data;
      const figures = (t: any) => {
        const out = new Map<string, unknown>([[t.initiative.id, t.initiative.progress.percent]]);
        const walk = (n: any) => {
          out.set(n.id, n.progress.percent);
          (n.children ?? []).forEach(walk);
        };
        t.initiative.workstreams.forEach(walk);
        return out;
      };
      const now = figures(fresh);
      for (const [id, percent] of figures(cached))
        if (now.has(id)) expect([id, percent]).toEqual([id, now.get(id)]);
    };
    await run(
      `mutation($input: SetItemStatusInput!) { setItemStatus(input: $input) { ${AFFECTED} } }`,
      { itemId: shape.items[0]![0], status: 'DONE' },
    );
    await client.query({ query: TREE, variables: { key: 'shape' }, fetchPolicy: 'network-only' });

    // The workstream leaves its parent: the parent's figure loses its share.
    const moved = await run(
      `mutation($input: MoveWorkstreamInput!) { moveWorkstream(input: $input) { ${AFFECTED} } }`,
      { id: shape.leaves[0] },
    );
    expect(moved.affectedNodes.map((n: { id: string }) => n.id)).toContain(shape.root);
    await cachedMatchesServer();

    const deleted = await run(
      `mutation($input: DeleteWorkstreamInput!) { deleteWorkstream(input: $input) { deletedId ${AFFECTED} } }`,
      { id: shape.leaves[1] },
    );
    expect(deleted.affectedNodes.map((n: { id: string }) => n.id)).toContain(shape.root);
    await cachedMatchesServer();

    // A policy change re-figures every node: 未启动 left out of both sides.
    await client.query({ query: TREE, variables: { key: 'shape' }, fetchPolicy: 'network-only' });
    await run(
      `mutation($input: UpdateInitiativeInput!) { updateInitiative(input: $input) { ${AFFECTED} } }`,
      {
        initiativeId: shape.initiativeId,
        rollupPolicy: [{ status: 'NOT_STARTED', credit: 'EXCLUDED' }],
      },
    );
    await cachedMatchesServer();
    const root = (client.readQuery({ query: TREE, variables: { key: 'shape' } }) as any).initiative
      .workstreams[0];
    expect(root.progress.percent).toBe(null); // only 未启动 items left under it

    // A stage moves the item's credit: the payload carries the item and the figures.
    await run(
      `mutation($input: DefineStagesInput!) { defineStages(input: $input) { userErrors { code } } }`,
      {
        initiativeId: shape.initiativeId,
        stages: [
          { name: '开发', percent: 50 },
          { name: '上线', percent: 100 },
        ],
      },
    );
    const staged = await run(
      `mutation($input: SetItemStageInput!) { setItemStage(input: $input) {
        item { id status percent version } ${AFFECTED} } }`,
      { itemId: shape.items[2]![0], stage: '开发' },
    );
    expect(staged.item).toMatchObject({ id: shape.items[2]![0], percent: 50 });
    expect(staged.affectedNodes.map((n: { id: string }) => n.id)).toContain(shape.leaves[2]);
    await cachedMatchesServer();
  });

  it('refreshes what a move or new labels change off the write’s path: depth and status labels', async () => {
    const below = await makeTree((q, v) => app.post(q, v), 'below', 2, 2);
    const BYSTATUS = 'progress { id byStatus { status label count } }';
    const Q = gql(`query Below($key: String!) { initiative(key: $key) { id
      workstreams { id depth ${BYSTATUS} children { id depth ${BYSTATUS}
        children { id depth ${BYSTATUS} } } } } }`);
    const AFFECTED = `affectedNodes { id ... on Workstream { depth ${BYSTATUS} } } userErrors { code }`;
    const run = async (mutation: string, input: Record<string, unknown>) => {
      const res = await client.mutate({ mutation: gql(mutation), variables: { input } });
      const payload = Object.values(res.data as object)[0] as any;
      expect(payload.userErrors).toEqual([]);
    };
    /** Every workstream the cache holds: its depth and labels, as the server says them now. */
    const cachedMatchesServer = async () => {
      const nodes = (t: any) => {
        const out = new Map<string, unknown>();
        const walk = (n: any) => {
          const byStatus = n.progress.byStatus.map((b: any) => [b.status, b.label, b.count]);
          out.set(n.id, { depth: n.depth, byStatus });
          (n.children ?? []).forEach(walk);
        };
        t.initiative.workstreams.forEach(walk);
        return out;
      };
      const cached = client.readQuery({ query: Q, variables: { key: 'below' } }) as any;
      const fresh = nodes((await app.post(Q.loc!.source.body, { key: 'below' })).body.data);
      for (const [id, value] of nodes(cached))
        if (fresh.has(id)) expect([id, value]).toEqual([id, fresh.get(id)]);
    };
    await client.query({ query: Q, variables: { key: 'below' }, fetchPolicy: 'network-only' });
    const top = (
      await app.post(
        `mutation($input: CreateWorkstreamInput!) { createWorkstream(input: $input) { workstream { id } } }`,
        { input: { initiativeId: below.initiativeId, name: '新顶层' } },
      )
    ).body.data.createWorkstream.workstream.id;
    await client.query({ query: Q, variables: { key: 'below' }, fetchPolicy: 'network-only' });
    // 总 goes under 新顶层: its leaves are one level deeper, though on no write's path.
    await run(
      `mutation($input: MoveWorkstreamInput!) { moveWorkstream(input: $input) { ${AFFECTED} } }`,
      { id: below.root, parentId: top },
    );
    await client.query({ query: Q, variables: { key: 'below' }, fetchPolicy: 'cache-only' });
    await cachedMatchesServer();
    // New labels: every node's byStatus says them.
    await run(
      `mutation($input: UpdateInitiativeInput!) { updateInitiative(input: $input) { ${AFFECTED} } }`,
      { initiativeId: below.initiativeId, statusLabels: [{ status: 'DONE', label: '搞定' }] },
    );
    await cachedMatchesServer();
  });

  it('answers a retry with an idempotency key with the same affected nodes as the first run', async () => {
    const own = await makeTree((q, v) => app.post(q, v), 'retry', 2, 2);
    const input = { itemId: own.items[0]![1], status: 'IN_PROGRESS', percent: 40 };
    const ids = async (idempotencyKey: string) => {
      const res = await app.post(SET.loc!.source.body, { input: { ...input, idempotencyKey } });
      expect(res.body.data.setItemStatus.userErrors).toEqual([]);
      return res.body.data.setItemStatus.affectedNodes.map((n: { id: string }) => n.id);
    };
    const first = await ids('retry-1');
    expect(first).toEqual([own.initiativeId, own.leaves[0], own.root]);
    expect(await ids('retry-1')).toEqual(first); // the retry writes nothing, and says the same
    const bulk = `mutation($input: SetItemStatusesInput!) { setItemStatuses(input: $input) {
      affectedNodes { id } userErrors { code } } }`;
    const many = {
      updates: [{ itemId: own.items[1]![1], status: 'DONE' }],
      idempotencyKey: 'retry-2',
    };
    const a = (await app.post(bulk, { input: many })).body.data.setItemStatuses.affectedNodes;
    const b = (await app.post(bulk, { input: many })).body.data.setItemStatuses.affectedNodes;
    expect(a.length).toBeGreaterThan(0);
    expect(b).toEqual(a);
  });

  it('keeps a figure read as of a past time apart from the live one: neither overwrites the other', async () => {
    const then = new Date();
    await new Promise((r) => setTimeout(r, 5));
    const moved = await app.post(SET.loc!.source.body, {
      input: { itemId: tree.items[0]![0], status: 'DONE' },
    });
    expect(moved.body.data.setItemStatus.userErrors).toEqual([]);
    const live = (
      await client.query({ query: TREE, variables: { key: 'cache' }, fetchPolicy: 'network-only' })
    ).data as any;
    expect(live.initiative.progress.percent).toBe(25); // 2 of 8
    expect(live.initiative.workstreams[0].children[0].progress.percent).toBe(25);
    const vars = { key: 'cache', leaf: tree.leaves[0], asOf: then.toISOString() };
    const past = (await client.query({ query: PAST, variables: vars })).data as any;
    expect(past.initiative.progress.percent).toBe(12.5); // before the second write
    expect(past.initiative.workstreams[0].children[0].progress.percent).toBe(0);
    expect(past.node.progress.percent).toBe(0);

    // The live tree in the cache still shows the live figures, and the past read its own.
    const cachedLive = client.readQuery({ query: TREE, variables: { key: 'cache' } }) as any;
    expect(cachedLive).toEqual(live);
    await client.query({ query: TREE, variables: { key: 'cache' }, fetchPolicy: 'network-only' });
    expect(client.readQuery({ query: PAST, variables: vars })).toEqual(past);
    // Live ids stay as they were; a past figure's id is another.
    const liveIds = [
      live.initiative.progress.id,
      live.initiative.workstreams[0].children[0].progress.id,
    ];
    const pastIds = [past.initiative.progress.id, past.node.progress.id];
    expect(past.initiative.workstreams[0].children[0].progress.id).toBe(pastIds[1]);
    for (const id of pastIds) expect(liveIds).not.toContain(id);
    const again = (await app.post(TREE.loc!.source.body, { key: 'cache' })).body.data;
    expect(again.initiative.progress.id).toBe(liveIds[0]);
  });
});
