import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { BodyCheckError } from './load.js';
import { createBenchDatabase, postgresUnavailable } from './postgres-bench.js';
import { startServer, type ServerProcess } from './server-process.js';
import type { Figure } from './summary.js';

/** What S13 borrows from the bench's main module. */
export interface S13Context {
  readonly dir: string;
  readonly runs: number;
  readonly smoke: boolean;
  readonly say: (text: string) => void;
  /** The environment of a server on a SQLite file (DATABASE_URL is replaced). */
  readonly serverEnv: (file: string) => NodeJS.ProcessEnv;
  readonly core: number;
}

/** 10 connections × 20 subscriptions over 4 tokens: within the limits per connection and token. */
const CONNECTIONS = 10;
const PER_CONNECTION = 20;
const TOKENS = 4;
const LEAVES = 2;
const PER_LEAF = 10;

const CREATE_INITIATIVE = `mutation($input: CreateInitiativeInput!) {
  createInitiative(input: $input) { initiative { id } userErrors { code message } } }`;
const CREATE_WORKSTREAM = `mutation($input: CreateWorkstreamInput!) {
  createWorkstream(input: $input) { workstream { id } userErrors { code message } } }`;
const CREATE_ITEMS = `mutation($input: CreateItemsInput!) {
  createItems(input: $input) { items { id } userErrors { code message } } }`;
const SET = `mutation($input: SetItemStatusInput!) {
  setItemStatus(input: $input) { item { version } userErrors { code message } } }`;
const ROOT_FIGURE = `subscription($key: String!, $nodeIds: [ID!]) {
  figureChanged(initiativeKey: $key, nodeIds: $nodeIds) { seq revision after { credit } } }`;

const percentile = (xs: readonly number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil(xs.length * p) - 1)]!;

/**
 * S13: two server processes on one PostgreSQL; 200 graphql-ws subscribers on B follow the
 * initiative's figure; writes on A, one at a time. Each latency runs from sending the mutation to
 * A (so it includes A's request and commit, an upper bound of commit → event) until the event
 * reaches a subscriber on B; the figure is the p99 over every subscriber and write. Every
 * subscriber must see every write once, in order (by the initiative's revision, which each write
 * moves by one).
 */
export async function measureS13(ctx: S13Context): Promise<Figure[]> {
  const unavailable = await postgresUnavailable();
  if (unavailable) {
    ctx.say(`S13 skipped: ${unavailable} (set JINDU_BENCH_POSTGRES_URL)`);
    return [];
  }
  const db = await createBenchDatabase(13);
  const servers: ServerProcess[] = [];
  const clients: Client[] = [];
  try {
    const cli = (args: string[]) =>
      execFileSync(process.execPath, ['bin/jindu.js', ...args], {
        env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'warn' },
        encoding: 'utf8',
      });
    cli(['migrate']);
    const tokens = Array.from({ length: TOKENS }, (_, i) =>
      cli(['token', 'create', '--name', `live-${i}`, '--role', 'admin'])
        .trim()
        .split('\n')
        .pop()!,
    );
    for (const name of ['A', 'B'])
      servers.push(
        await startServer({
          name: `Jindu (PostgreSQL, instance ${name})`,
          args: ['dist/src/cli/main.js', 'serve'],
          env: { ...ctx.serverEnv(join(ctx.dir, 'unused.sqlite')), DATABASE_URL: db.url },
          core: ctx.core,
          logFile: join(ctx.dir, `jindu-s13-${name}.log`),
        }),
      );
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const post = async (query: string, input: Record<string, unknown>) => {
      const res = await fetch(`${a.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[0]}` },
        body: JSON.stringify({ query, variables: { input } }),
      });
      const body = (await res.json()) as { data?: Record<string, any>; errors?: unknown };
      const payload = body.data ? Object.values(body.data)[0] : null;
      if (!payload || payload.userErrors.length > 0)
        throw new BodyCheckError(`S13 ${query.slice(9, 40)}: ${JSON.stringify(body)}`);
      return payload;
    };
    const key = 's13';
    const initiativeId = (await post(CREATE_INITIATIVE, { key, name: '实时基准' })).initiative.id;
    const root = (await post(CREATE_WORKSTREAM, { initiativeId, name: '总' })).workstream.id;
    const items: string[] = [];
    for (let i = 0; i < LEAVES; i++) {
      const leaf = (await post(CREATE_WORKSTREAM, { initiativeId, parentId: root, name: `分${i}` }))
        .workstream.id;
      const created = await post(CREATE_ITEMS, {
        workstreamId: leaf,
        items: Array.from({ length: PER_LEAF }, (_, n) => ({ name: `项 ${i}-${n}` })),
      });
      items.push(...created.items.map((it: { id: string }) => it.id));
    }

    // Each subscriber keeps the seqs it saw and the time each arrived.
    const seen: { revision: number; at: number }[][] = [];
    const errors: unknown[] = [];
    let wake = () => {};
    for (let c = 0; c < CONNECTIONS; c++) {
      const client = createClient({
        url: `${b.url.replace(/^http/, 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${tokens[c % TOKENS]}` },
        retryAttempts: 0,
        lazy: false,
        onNonLazyError: (e) => errors.push(e),
      });
      clients.push(client);
      for (let s = 0; s < PER_CONNECTION; s++) {
        const mine: { revision: number; at: number }[] = [];
        seen.push(mine);
        client.subscribe<{ figureChanged: { revision: number } }>(
          { query: ROOT_FIGURE, variables: { key, nodeIds: [initiativeId] } },
          {
            next: (v) => {
              if (v.errors) errors.push(...v.errors);
              if (v.data)
                mine.push({ revision: v.data.figureChanged.revision, at: performance.now() });
              wake();
            },
            error: (e) => errors.push(e),
            complete: () => {},
          },
        );
      }
    }
    const lastRevision = (s: { revision: number }[]) => s.at(-1)?.revision ?? -1;
    /** Until `done()` holds (woken by each arrival, or every 50 ms), or `ms` passed. */
    const until = async (done: () => boolean, ms: number): Promise<boolean> => {
      const deadline = Date.now() + ms;
      while (!done()) {
        if (errors.length > 0) throw new BodyCheckError(`S13: ${JSON.stringify(errors[0])}`);
        if (Date.now() > deadline) return false;
        await new Promise<void>((r) => {
          const timer = setTimeout(r, 50);
          wake = () => {
            clearTimeout(timer);
            r();
          };
        });
      }
      return true;
    };
    let written = 0;
    const write = async () => {
      const n = written++;
      const item = items[n % items.length]!;
      const status = Math.floor(n / items.length) % 2 === 0 ? 'DONE' : 'NOT_STARTED';
      await post(SET, { itemId: item, status });
    };
    // A subscription starts on B some time after it is sent (nothing acknowledges it): write
    // until every subscriber has seen the same last write, then every one is running.
    const together = () => {
      const r = lastRevision(seen[0]!);
      return r >= 0 && seen.every((s) => lastRevision(s) === r);
    };
    let synced = false;
    for (let attempt = 0; attempt < 30 && !synced; attempt++) {
      await write();
      synced = await until(together, 2_000);
    }
    if (!synced) throw new BodyCheckError('S13: the subscribers on B never all saw one write');
    let revision = lastRevision(seen[0]!);
    const from = seen.map((s) => s.length);
    /** One write on A (each moves the initiative's revision by one): the latencies of its events. */
    const measured = async (): Promise<number[]> => {
      revision++;
      const sent = performance.now();
      await write();
      if (!(await until(() => seen.every((s) => lastRevision(s) >= revision), 15_000)))
        throw new BodyCheckError(
          `S13: ${seen.filter((s) => lastRevision(s) < revision).length} subscribers missed revision ${revision}`,
        );
      return seen.map((s) => s.find((e) => e.revision === revision)!.at - sent);
    };
    const warmUp = ctx.smoke ? 3 : 20;
    const writes = ctx.smoke ? 5 : 100;
    for (let i = 0; i < warmUp; i++) await measured();
    const p99s: number[] = [];
    const details: string[] = [];
    for (let run = 1; run <= ctx.runs; run++) {
      const latencies: number[] = [];
      for (let i = 0; i < writes; i++) latencies.push(...(await measured()));
      p99s.push(percentile(latencies, 0.99));
      details.push(
        `${latencies.length} events (${writes} writes × ${seen.length} subscribers): p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms`,
      );
      ctx.say(`  S13 run ${run}/${ctx.runs}: ${details.at(-1)!}`);
    }
    // Since all were running, every subscriber saw every write once, in commit order.
    const first = revision - (warmUp + writes * ctx.runs) + 1;
    for (const s of seen) {
      const revisions = s.slice(from[seen.indexOf(s)]).map((e) => e.revision);
      if (revisions.length !== revision - first + 1 || revisions.some((r, i) => r !== first + i))
        throw new BodyCheckError(`S13: a subscriber saw revisions ${revisions.join(',')}`);
    }
    return [
      {
        id: 'S13',
        what: `PostgreSQL, mutation sent to instance A → event at ${seen.length} subscribers on B, p99`,
        unit: 'ms',
        runs: p99s,
        target: { atMost: 100 },
        details,
      },
    ];
  } finally {
    await Promise.all(clients.map((c) => c.dispose()));
    await Promise.all(servers.map((s) => s.stop()));
    await db.drop();
  }
}
