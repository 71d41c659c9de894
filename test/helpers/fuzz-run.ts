import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { week20Seed } from '../../seeds/week-20.seed.js';
import { loadSeed } from '../../src/services/load-seed.js';
import type { DialectName } from './databases.js';
import { excerpt, KnownStrings, type Exchange } from './fuzz-checks.js';
import type { IdPool } from './fuzz-generator.js';
import { startHttpApp, type HttpTestApp } from './http-app.js';

/**
 * Quality bar R2, hostile input: ≥ 1,000 generated requests per run (random valid operations
 * from the committed schema with wrong, boundary, huge and malicious variables, plus malformed
 * HTTP) and not one answer ≥ 500, no INTERNAL_SERVER_ERROR, no SQL text, file path or stack
 * trace in any body. FUZZ_SEED=n reruns a seed; every failure message names it.
 *
 * What the fuzz test files share: the seed, the seeded app's ids and tokens, sending a GraphQL
 * request, and the failure message.
 */
export const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;
export const CONCURRENCY = 8;

/** Failures grouped by cause: how many, and the one request (and answer) that shows it. */
export type FailureGroups = Map<string, { count: number; request: string; answer: string }>;

/** Runs `work` over `items`, `limit` at a time. */
export async function pool<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

export interface FuzzSeed {
  readonly idPool: IdPool;
  readonly tokens: Record<'editor' | 'viewer', string>;
  /** The seed's strings and ids, to which each test adds what it sends. */
  readonly known: KnownStrings;
}

/** A seeded app and what the fuzzer picks from, filled in before the block's tests run. */
export interface FuzzedServer extends FuzzSeed {
  readonly app: HttpTestApp;
}

/**
 * A server of its own for the describe block that calls this: started and seeded before its
 * tests, its logged errors emptied before each (a test reads only its own), closed after.
 */
export function fuzzedServer(dialect: DialectName): FuzzedServer {
  const server = {} as { -readonly [K in keyof FuzzedServer]: FuzzedServer[K] };
  beforeAll(async () => {
    server.app = await startHttpApp(dialect);
    Object.assign(server, await seedForFuzz(server.app));
  });
  beforeEach(() => {
    server.app.loggedErrors.length = 0;
  });
  afterAll(async () => {
    await server.app?.close();
  });
  return server;
}

/** Loads the week-20 seed into `app` and reads back the ids the fuzzer picks from. */
export async function seedForFuzz(app: HttpTestApp): Promise<FuzzSeed> {
  const known = new KnownStrings();
  await loadSeed({ em: app.em(), initiatives: week20Seed });
  const WS = 'id items(first: 100) { nodes { id } }';
  const res = await app.post(
    `{ initiatives { id key workstreams { ${WS} children { ${WS} children { ${WS} children { ${WS} } } } } } }`,
  );
  expect(res.body.errors).toBeUndefined();
  const workstreams: any[] = [];
  const walk = (list: any[]) => {
    for (const w of list) {
      workstreams.push(w);
      walk(w.children ?? []);
    }
  };
  for (const i of res.body.data.initiatives) walk(i.workstreams);
  const idPool: IdPool = {
    initiatives: res.body.data.initiatives.map((i: any) => i.id),
    initiativeKeys: res.body.data.initiatives.map((i: any) => i.key),
    workstreams: workstreams.map((w) => w.id),
    items: workstreams.flatMap((w) => w.items.nodes.map((n: any) => n.id)),
  };
  expect(idPool.items.length).toBeGreaterThan(10);
  const tokens = {
    editor: await app.token('fuzz-editor', 'editor', 'hive'),
    viewer: await app.token('fuzz-viewer', 'viewer', 'hive'),
  };
  known.addAll(week20Seed);
  known.addAll(idPool);
  return { idPool, tokens, known };
}

/** POSTs one GraphQL request; a failure to get an answer is an Exchange without status. */
export async function sendGraphql(
  app: HttpTestApp,
  request: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = { authorization: `Bearer ${app.adminToken}` },
  transport: 'post' | 'get' = 'post',
): Promise<Exchange> {
  try {
    let res: Response;
    if (transport === 'get') {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(body)) {
        if (v !== undefined) params.set(k, typeof v === 'string' ? v : JSON.stringify(v));
      }
      res = await fetch(`${app.url}/graphql?${params}`, {
        headers: { ...headers, 'apollo-require-preflight': 'true' },
        signal: AbortSignal.timeout(20_000),
      });
    } else {
      res = await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(20_000),
      });
    }
    return {
      request,
      status: res.status,
      headers: Object.fromEntries(res.headers),
      text: await res.text(),
    };
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return {
      request,
      headers: {},
      text: '',
      error: `${String(err)}${cause ? ` (${cause.code ?? cause.message})` : ''}`,
    };
  }
}

/**
 * The failure message: the seed and how to rerun it, one request and answer for each distinct
 * failure, and what the server logged meanwhile.
 */
export function failureReport(
  run: { app: HttpTestApp; dialect: DialectName; file: string },
  kind: string,
  total: number,
  groups: FailureGroups,
): string {
  const { app, dialect, file } = run;
  const lines = [
    `fuzz seed ${SEED} (rerun: FUZZ_SEED=${SEED} npx vitest run ${file}), ` +
      `${dialect}: ${groups.size} distinct failure(s) in ${total} ${kind}`,
  ];
  let n = 0;
  for (const [signature, g] of groups) {
    lines.push(
      `[${++n}] ${signature} (${g.count} request(s))`,
      `    ${g.request}`,
      `    answer: ${excerpt(g.answer)}`,
    );
  }
  // The client sees INTERNAL_SERVER_ERROR alone; the server's log says what it was.
  if (groups.size > 0 && app.loggedErrors.length > 0)
    lines.push(
      `the server logged these errors meanwhile (the last ${app.loggedErrors.length}):`,
      ...app.loggedErrors.map((line) => `    ${excerpt(line, 2_000)}`),
    );
  return lines.join('\n');
}
