import v8 from 'node:v8';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverOptions } from '../../src/config.js';
import type { Context } from '../../src/graphql/context.type.js';
import { jinduSchema } from '../../src/graphql/schema.js';
import { createApollo } from '../../src/server/apollo.js';
import { silentLog } from '../helpers/test-app.js';

/**
 * A request's objects must be garbage once it is answered, and die in the young generation.
 * Apollo hands a gateway's executor (Jindu's: executor.ts) a view of the request whose
 * `response.http.status` was an object literal's getter and setter: every request made new
 * accessor functions, so every request's view got a hidden class of its own, kept in the old
 * generation, that pointed at the request. Young collections then kept each request's whole
 * graph alive and promoted it (about 1.8 kB a `{ __typename }` over HTTP, 0.9 kB here), and
 * the scavenger's work grew with it. patches/@apollo+server+*.patch gives that view a class.
 */
describe("a request's garbage", () => {
  let apollo: ApolloServer<Context>;
  const context = {
    principal: { kind: 'anonymous', canRead: true },
    actor: 'anonymous',
    clientKey: 'test',
    log: silentLog,
  } as unknown as Context;
  const typename = async () => {
    const res = await apollo.executeOperation(
      { query: '{ __typename }' },
      { contextValue: context },
    );
    if (res.body.kind !== 'single' || res.body.singleResult.data?.__typename !== 'Query')
      throw new Error(`unexpected answer: ${JSON.stringify(res.body)}`);
  };

  beforeAll(async () => {
    apollo = createApollo(await jinduSchema(), silentLog, serverOptions({ executor: 'jit' }));
    await apollo.start();
  });
  afterAll(() => apollo.stop());

  it('dies young: young collections promote next to nothing of answered requests', async () => {
    for (let i = 0; i < 2_000; i++) await typename(); // compiled code and caches settle first
    const requests = 10_000;
    const profiler = new v8.GCProfiler();
    profiler.start();
    for (let i = 0; i < requests; i++) await typename();
    const { statistics } = profiler.stop();
    const oldSpace = (heap: v8.GCProfilerResult['statistics'][number]['beforeGC']) =>
      heap.heapSpaceStatistics.find((s) => s.spaceName === 'old_space')!.spaceUsedSize;
    const young = statistics.filter((gc) => gc.gcType === 'Scavenge');
    const promoted = young.reduce(
      (sum, gc) => sum + oldSpace(gc.afterGC) - oldSpace(gc.beforeGC),
      0,
    );
    // Enough collections to see it: each request allocates tens of kB.
    expect(young.length).toBeGreaterThanOrEqual(3);
    // Before the patch: about 900 bytes a request; after it, a few.
    expect(promoted / requests).toBeLessThan(100);
  });
});

describe("a gateway's view of the response (Apollo, as patched)", () => {
  it('reads and sets the HTTP status and headers of the response it stands for', async () => {
    let seenStatus: number | undefined = -1;
    const schema = await jinduSchema();
    const server = new ApolloServer({
      gateway: {
        onSchemaLoadOrUpdate(callback) {
          callback({ apiSchema: schema, coreSupergraphSdl: '' });
          return () => {};
        },
        async load() {
          return {
            executor: async (request) => {
              const http = request.response!.http!;
              seenStatus = http.status;
              http.status = 418;
              http.headers.set('x-gateway', 'yes');
              return { data: { __typename: 'Query' } };
            },
          };
        },
        async stop() {},
      },
    });
    await server.start();
    try {
      const res = await server.executeHTTPGraphQLRequest({
        httpGraphQLRequest: {
          method: 'POST',
          headers: new HeaderMap([['content-type', 'application/json']]),
          search: '',
          body: { query: '{ __typename }' },
        },
        context: async () => ({}),
      });
      expect(seenStatus).toBeUndefined();
      expect(res.status).toBe(418);
      expect(res.headers.get('x-gateway')).toBe('yes');
    } finally {
      await server.stop();
    }
  });
});
