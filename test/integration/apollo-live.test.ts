import { ApolloClient, ApolloLink, gql, HttpLink, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { OperationTypeNode } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.js';
import { makeTree, type LiveTree } from '../helpers/live-client.js';
import { SET_ITEM_STATUS } from '../helpers/operations.js';

const FIGURE = 'id percent credit counted total';
const TREE = gql`
  query LiveTree($key: String!) {
    initiative(key: $key) {
      id
      revision
      progress { ${FIGURE} }
      workstreams { id progress { ${FIGURE} } children { id progress { ${FIGURE} } } }
    }
  }
`;
const FIGURES = gql`
  subscription Figures($key: String!, $after: Int) {
    figureChanged(initiativeKey: $key, afterRevision: $after) {
      revision
      node {
        id
        progressId
      }
      after {
        percent
        credit
        counted
        total
      }
    }
  }
`;
const PROGRESS = gql`
  fragment LiveFigure on Progress {
    percent
    credit
    counted
    total
  }
`;

/**
 * The way a client follows figures: read them with the initiative's revision (HTTP), subscribe
 * after that revision (graphql-ws), and write each event into the cache under the node's
 * Progress id. With Apollo Client 4 and its GraphQLWsLink, a write that commits between the
 * read and the subscribe is not lost, and the tree is never read again.
 */
describe.each(DIALECTS)('Apollo Client following figures live (%s)', (dialect) => {
  let app: HttpTestApp;
  let tree: LiveTree;
  beforeAll(async () => {
    app = await startHttpApp(dialect);
    tree = await makeTree((q, v) => app.post(q, v), 'follow', 2, 4);
  });
  afterAll(() => app?.close());

  it('reads once, subscribes after the revision read, and its cache ends equal to the server', async () => {
    const sent: string[] = [];
    const socket = createClient({
      url: `${app.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${app.adminToken}` },
      retryAttempts: 0,
    });
    const client = new ApolloClient({
      cache: new InMemoryCache({ possibleTypes: { Node: ['Initiative', 'Workstream', 'Item'] } }),
      link: ApolloLink.split(
        (operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION,
        new GraphQLWsLink(socket),
        new HttpLink({
          uri: `${app.url}/graphql`,
          headers: { authorization: `Bearer ${app.adminToken}` },
          fetch: (url, init) => {
            sent.push(JSON.parse(String(init?.body)).operationName);
            return fetch(url, init);
          },
        }),
      ),
    });
    const read = (await client.query({ query: TREE, variables: { key: 'follow' } })).data as any;
    // Someone else's write commits before this client has subscribed: leaf 0 alone moves.
    const before = await app.post(SET_ITEM_STATUS, {
      input: { itemId: tree.items[0]![1], status: 'DONE' },
    });
    expect(before.body.data.setItemStatus.userErrors).toEqual([]);

    const revisions: number[] = [];
    const following = client
      .subscribe({ query: FIGURES, variables: { key: 'follow', after: read.initiative.revision } })
      .subscribe({
        next: ({ data }) => {
          const event = (data as any).figureChanged;
          revisions.push(event.revision);
          client.cache.writeFragment({
            id: client.cache.identify({ __typename: 'Progress', id: event.node.progressId }),
            fragment: PROGRESS,
            // The event's figure under the cache's Progress entry (it arrives as a FigureValue).
            data: { ...event.after, __typename: 'Progress', id: event.node.progressId },
          });
        },
      });
    // And one after it has: leaf 1 moves.
    await app.post(SET_ITEM_STATUS, {
      input: { itemId: tree.items[1]![2], status: 'IN_PROGRESS', percent: 40 },
    });

    const fresh = (await app.post(TREE.loc!.source.body, { key: 'follow' })).body.data;
    const cachedNow = () => {
      const cached = client.readQuery({ query: TREE, variables: { key: 'follow' } });
      return JSON.parse(JSON.stringify(cached, (k, v) => (k === '__typename' ? undefined : v)));
    };
    // The cached revision stays the one read; every figure must reach the server's.
    const withoutRevision = (d: any) => ({ ...d, initiative: { ...d.initiative, revision: 0 } });
    await expect
      .poll(() => withoutRevision(cachedNow()), { timeout: 10_000 })
      .toEqual(withoutRevision(fresh));
    expect(cachedNow().initiative.workstreams[0].children[0].progress.percent).toBe(25);
    // Both writes came, in order, the first from the outbox.
    expect([...new Set(revisions)]).toEqual([
      read.initiative.revision + 1,
      fresh.initiative.revision,
    ]);
    expect(sent.filter((name) => name === 'LiveTree')).toHaveLength(1);
    following.unsubscribe();
    await socket.dispose();
  });
});
