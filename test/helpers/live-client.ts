import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { Em } from '../../src/db/em.js';
import { CREATE_INITIATIVE, CREATE_ITEMS, CREATE_WORKSTREAM } from './operations.js';

type Post = (
  query: string,
  variables?: Record<string, unknown>,
) => Promise<{ status: number; body: any }>;

/** A graphql-ws client on a server's /graphql, sending the token with connection_init. */
export function liveClient(
  baseUrl: string,
  token?: string | null,
  origin?: string,
  /** The client's own address (every loopback address counts as one client: client-key.ts). */
  localAddress?: string,
): Client {
  // A browser always sends its page's Origin with the upgrade; `origin` plays one.
  class FromPage extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, {
        ...(origin === undefined ? {} : { headers: { origin } }),
        ...(localAddress === undefined ? {} : { localAddress }),
      });
    }
  }
  return createClient({
    url: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: origin === undefined && localAddress === undefined ? WebSocket : FromPage,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => {},
  });
}

export interface Collected<T = any> {
  readonly events: T[];
  readonly errors: unknown[];
  /** Resolves when the subscription ends (complete or error). */
  readonly ended: Promise<void>;
  /** Resolves once `n` events arrived (rejects after `ms`). */
  waitFor(n: number, ms?: number): Promise<T[]>;
  stop(): void;
}

export function collect<T = any>(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): Collected<T> {
  const events: T[] = [];
  const errors: unknown[] = [];
  let end!: () => void;
  const ended = new Promise<void>((r) => (end = r));
  const stop = client.subscribe<T>(
    { query, variables },
    {
      next: (v) => {
        if (v.errors) errors.push(...v.errors);
        if (v.data) events.push(v.data as T);
      },
      error: (e) => {
        if (Array.isArray(e)) errors.push(...e);
        else errors.push(e);
        end();
      },
      complete: () => end(),
    },
  );
  return {
    events,
    errors,
    ended,
    stop,
    waitFor: async (n, ms = 10_000) => {
      const until = Date.now() + ms;
      while (events.length < n) {
        if (Date.now() > until)
          throw new Error(`got ${events.length} of ${n} events; errors ${JSON.stringify(errors)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return events;
    },
  };
}

/** A pause: for events that should not come, or for subscriptions to be running before timing. */
export const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));

/**
 * The initiative's revision now, read from its database. A test's subscriptions resume after it
 * (`afterRevision`): a subscribe is acknowledged by nothing, and on a busy machine one can still
 * be setting up when the test's first write commits; resumed, it gets that write's events from
 * the outbox instead of missing them, so no pause before writing is needed.
 */
export async function revisionNow(em: Em, key: string): Promise<number> {
  const [row] = await em.execute(
    `select r.revision from initiative_revision r join initiative i on i.id = r.initiative_id
      where i.key = ?`,
    [key],
  );
  return Number(row?.revision ?? 0);
}

export interface LiveTree {
  readonly initiativeId: string;
  readonly root: string;
  readonly leaves: string[];
  readonly items: string[][];
}

/** key: an initiative with one top workstream and `leaves` leaf workstreams of `perLeaf` items. */
export async function makeTree(
  post: Post,
  key: string,
  leaves = 2,
  perLeaf = 10,
): Promise<LiveTree> {
  const ok = async (query: string, input: Record<string, unknown>) => {
    const res = await post(query, { input });
    if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
    const payload = Object.values(res.body.data)[0] as any;
    if (payload.userErrors.length) throw new Error(JSON.stringify(payload.userErrors));
    return payload;
  };
  const initiativeId = (await ok(CREATE_INITIATIVE, { key, name: `项目 ${key}` })).initiative.id;
  const root = (await ok(CREATE_WORKSTREAM, { initiativeId, name: '总' })).workstream.id;
  const leafIds: string[] = [];
  const items: string[][] = [];
  for (let i = 0; i < leaves; i++) {
    const leaf = (await ok(CREATE_WORKSTREAM, { initiativeId, parentId: root, name: `分${i}` }))
      .workstream.id;
    leafIds.push(leaf);
    const created = await ok(CREATE_ITEMS, {
      workstreamId: leaf,
      items: Array.from({ length: perLeaf }, (_, n) => ({ name: `项 ${i}-${n}` })),
    });
    items.push(created.items.map((it: { id: string }) => it.id));
  }
  return { initiativeId, root, leaves: leafIds, items };
}
