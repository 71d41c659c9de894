import { describe, expect, it } from 'vitest';
import { DIALECTS, type DialectName } from '../helpers/databases.js';
import { problemsOf, show, signatureOf, type Exchange } from '../helpers/fuzz-checks.js';
import {
  FuzzGenerator,
  loadFuzzSchema,
  renderOperation,
  type FuzzOperation,
} from '../helpers/fuzz-generator.js';
import {
  CONCURRENCY,
  failureReport,
  fuzzedServer,
  pool,
  SEED,
  sendGraphql,
} from '../helpers/fuzz-run.js';
import { shrinkCandidates } from '../helpers/fuzz-shrink.js';
import { rng } from '../helpers/random.js';

/**
 * Quality bar R2 (test/helpers/fuzz-run.ts) for GraphQL: random valid operations from the
 * committed schema with wrong, boundary, huge and malicious variables; each kind of failure is
 * shrunk to a small request that still fails the same way.
 */

const FILE = 'test/integration/fuzz-operations.test.ts';
/**
 * Generated operations, in `parts` tests of equal size, so no one test rides near its timeout on
 * a busy machine. SQLite alone meets R2's 1,000 per run; PostgreSQL adds its own.
 */
const PLAN: Record<DialectName, { operations: number; parts: number }> = {
  sqlite: { operations: 1_000, parts: 4 },
  postgresql: { operations: 400, parts: 2 },
};
const SHRINK_ATTEMPTS = 120;

describe.each(DIALECTS)('hostile input over HTTP (R2, %s)', (dialect) => {
  const plan = PLAN[dialect];
  const codes = new Map<string, number>();
  const statuses = new Map<number, number>();
  const server = fuzzedServer(dialect);

  const count = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);

  const authHeader = (op: FuzzOperation): Record<string, string> => {
    if (op.auth === 'none') return {};
    if (op.auth === 'garbage') return { authorization: op.garbageAuth! };
    const secret = op.auth === 'admin' ? server.app.adminToken : server.tokens[op.auth];
    return { authorization: `Bearer ${secret}` };
  };

  async function sendOperation(op: FuzzOperation): Promise<Exchange> {
    const { query, variables, operationName } = renderOperation(op);
    server.known.addAll(variables);
    const request = `${op.transport === 'get' ? 'GET' : 'POST'} /graphql auth=${op.auth}${
      op.garbageAuth ? ` (${JSON.stringify(op.garbageAuth.slice(0, 60))})` : ''
    }\n    query: ${query}\n    variables: ${show(variables)}${
      operationName ? `\n    operationName: ${operationName}` : ''
    }`;
    return sendGraphql(
      server.app,
      request,
      { query, variables, operationName },
      authHeader(op),
      op.transport,
    );
  }

  /** Where an answer failed, to group it: the root field and the error paths it names. */
  const whereOf = (op: FuzzOperation, x: Exchange) => {
    let paths = '';
    try {
      const body = JSON.parse(x.text);
      paths = (body.errors ?? [])
        .filter((e: any) => e?.extensions?.code === 'INTERNAL_SERVER_ERROR')
        .map((e: any) => (e.path ?? []).filter((p: unknown) => typeof p === 'string').join('.'))
        .join(',');
    } catch {
      // not JSON: the problem itself says so
    }
    return `${op.kind} ${op.field}${paths ? ` at ${paths}` : ''}`;
  };

  const record = (x: Exchange) => {
    if (x.status !== undefined) count(statuses, x.status);
    try {
      const body = JSON.parse(x.text);
      for (const e of body.errors ?? []) count(codes, String(e?.extensions?.code ?? 'none'));
      if (body.data && !body.errors) {
        const payload: any = Object.values(body.data)[0];
        count(codes, payload?.userErrors?.length ? 'userErrors' : 'ok');
      }
    } catch {
      // counted by status only
    }
  };

  const fieldsSeen = new Set<string>();
  let rootFields: string[] = [];
  const size = plan.operations / plan.parts;
  const parts = Array.from({ length: plan.parts }, (_, i) => i + 1);
  const title = `answers ${size} generated operations without a 5xx or a leak (%i/${plan.parts})`;
  it.each(parts)(title, async (part) => {
    const started = Date.now();
    codes.clear();
    statuses.clear();
    const schema = loadFuzzSchema();
    const gen = new FuzzGenerator(schema, server.idPool, rng(SEED + part - 1));
    rootFields = gen.rootFields();
    const ops = Array.from({ length: size }, () => gen.next());
    const failures = new Map<string, { op: FuzzOperation; x: Exchange; problems: string[] }[]>();
    const tags = new Map<string, number>();
    let sent = 0;
    let rateLimited = 0;

    let slowest = { ms: 0, request: '' };
    let checking = 0;
    const check = async (op: FuzzOperation) => {
      const t0 = Date.now();
      const x = await sendOperation(op);
      const ms = Date.now() - t0;
      if (ms > slowest.ms) slowest = { ms, request: x.request.slice(0, 300) };
      sent++;
      record(x);
      if (x.status === 429) rateLimited++;
      const t1 = Date.now();
      const problems = problemsOf(x, server.known);
      checking += Date.now() - t1;
      return { x, problems };
    };

    await pool(ops, CONCURRENCY, async (op) => {
      fieldsSeen.add(op.field);
      for (const t of op.tags) count(tags, t);
      const { x, problems } = await check(op);
      if (problems.length === 0) return;
      const signature = signatureOf(whereOf(op, x), problems);
      failures.set(signature, [...(failures.get(signature) ?? []), { op, x, problems }]);
    });

    // Shrink the smallest failing request of each kind while it keeps failing the same way.
    const groups = new Map<string, { count: number; request: string; answer: string }>();
    for (const [signature, list] of failures) {
      const size = (op: FuzzOperation) => JSON.stringify(renderOperation(op)).length;
      let best = list.reduce((a, b) => (size(b.op) < size(a.op) ? b : a));
      let attempts = 0;
      let improved = true;
      while (improved && attempts < SHRINK_ATTEMPTS) {
        improved = false;
        for (const candidate of shrinkCandidates(best.op)) {
          if (++attempts > SHRINK_ATTEMPTS) break;
          const { x, problems } = await check(candidate);
          if (signatureOf(whereOf(candidate, x), problems) === signature) {
            best = { op: candidate, x, problems };
            improved = true;
            break;
          }
        }
      }
      groups.set(signature, { count: list.length, request: best.x.request, answer: best.x.text });
    }

    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `fuzz ${dialect} seed=${SEED} part ${part}/${plan.parts}: ${sent} GraphQL requests (${size} generated) in ${seconds} s; ` +
        `statuses ${show(Object.fromEntries(statuses))}; codes ${show(Object.fromEntries(codes))}; ` +
        `RATE_LIMITED ${rateLimited}; tags ${show(Object.fromEntries(tags))}; ` +
        `checking ${checking} ms; slowest ${slowest.ms} ms: ${slowest.request}`,
    );
    expect(
      groups.size,
      failureReport({ app: server.app, dialect, file: FILE }, 'generated operations', size, groups),
    ).toBe(0);
  });

  it('generated operations on every root field', () => {
    expect([...fieldsSeen].sort()).toEqual(rootFields.sort());
  });
});
