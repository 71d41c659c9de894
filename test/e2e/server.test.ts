import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE_GRACE_MS } from '../../src/server/app.js';
import { runCli, startServer, type ServerProcess } from '../helpers/server-process.js';

const HIVE =
  '{ initiative(key: "hive") { progress { percent total } workstreams { name progress { percent total } } } }';

/** What every start reads back from SQLite (R7), first boot and restart alike. */
const pragmas = (synchronous: string) =>
  `"pragmas":{"journalMode":"wal","synchronous":"${synchronous}","busyTimeout":5000,"foreignKeys":true}`;
/** With group commit (the default) SQLite syncs no commit itself: the server syncs the WAL. */
const GROUPED = pragmas('NORMAL');
const GROUP_COMMIT_LINE = 'group commit: each write is answered once its commit is synced to disk';

describe('jindu serve, over HTTP, on a real SQLite file', () => {
  let dir: string;
  let env: Record<string, string>;
  let server: ServerProcess;
  const post = (
    body: string,
    headers: Record<string, string> = { 'content-type': 'application/json' },
  ) => fetch(`${server.url}/graphql`, { method: 'POST', headers, body });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jindu-e2e-'));
    // NODE_ENV=production as deployed: Apollo's own signal handler (on outside NODE_ENV=test)
    // once cut the graceful stop short.
    env = { DATABASE_URL: `sqlite:${join(dir, 'jindu.sqlite')}`, NODE_ENV: 'production' };
    server = await startServer(env);
  });
  afterAll(async () => {
    if (server?.child.exitCode === null) await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('seeds an empty database on first start and serves the week-20 figures', async () => {
    const res = await post(JSON.stringify({ query: HIVE }));
    expect(res.status).toBe(200);
    const { data } = await res.json();
    expect(data.initiative.progress.percent.toFixed(2)).toBe('87.23');
    expect(data.initiative.workstreams[0]).toMatchObject({
      name: '迁移',
      progress: { total: 164 },
    });
    expect(data.initiative.workstreams[0].progress.percent.toFixed(2)).toBe('86.11');
    expect(server.logs.join('')).toContain('loaded the week-20 seed');
    expect(server.logs.join('')).toContain(GROUPED);
    expect(server.logs.join('')).toContain(GROUP_COMMIT_LINE);
  });

  it('answers /livez, /readyz and an offline /graphiql page', async () => {
    expect(await (await fetch(`${server.url}/livez`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${server.url}/readyz`)).json()).toEqual({ status: 'ready' });
    const page = await fetch(`${server.url}/graphiql`);
    expect(page.headers.get('content-type')).toContain('text/html');
    // Any site could frame it on a developer's loopback server, with the headers typed into it.
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await page.text();
    expect(html).toContain('graphiql');
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)="https?:\/\//);
  });

  it('answers HEAD wherever it answers GET, and a write to a page with 405 naming both', async () => {
    for (const path of ['/graphiql', '/', '/livez', '/api/export?initiative=hive&format=csv']) {
      const [got, head] = [
        await fetch(`${server.url}${path}`),
        await fetch(`${server.url}${path}`, { method: 'HEAD' }),
      ];
      expect([path, head.status]).toEqual([path, 200]);
      expect(head.headers.get('content-type')).toBe(got.headers.get('content-type'));
      expect(await head.text()).toBe('');
      expect((await got.text()).length).toBeGreaterThan(0);
    }
    for (const path of ['/graphiql', '/', '/api/export?initiative=hive']) {
      const res = await fetch(`${server.url}${path}`, { method: 'POST', body: 'x' });
      expect([path, res.status, res.headers.get('allow')]).toEqual([path, 405, 'GET, HEAD']);
      expect((await res.json()).errors[0].extensions.code).toBe('METHOD_NOT_ALLOWED');
    }
  });

  it('answers bad HTTP with JSON errors below 500', async () => {
    const cases: [Promise<Response>, number, string][] = [
      [post('{not json'), 400, 'BAD_REQUEST'],
      [post(''), 400, 'BAD_REQUEST'],
      [
        post(JSON.stringify({ query: '{ __typename }' }), { 'content-type': 'text/plain' }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
      [
        post(JSON.stringify({ query: `{ __typename } #${'x'.repeat(101 * 1024)}` })),
        413,
        'PAYLOAD_TOO_LARGE',
      ],
      [fetch(`${server.url}/nowhere`), 404, 'NOT_FOUND'],
      [fetch(`${server.url}/graphql`, { method: 'DELETE' }), 405, 'METHOD_NOT_ALLOWED'],
      [fetch(`${server.url}/livez`, { method: 'POST' }), 405, 'METHOD_NOT_ALLOWED'],
      [
        post(JSON.stringify({ query: '{ __typename }' }), {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
        }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
      [fetch(`${server.url}/readyz`, { method: 'DELETE' }), 405, 'METHOD_NOT_ALLOWED'],
      [fetch(`${server.url}/metrics`, { method: 'PUT' }), 405, 'METHOD_NOT_ALLOWED'],
      // A mutation by GET: the same code as any method the path does not take.
      [
        fetch(`${server.url}/graphql?query=${encodeURIComponent('mutation { __typename }')}`, {
          headers: { 'apollo-require-preflight': 'true' },
        }),
        405,
        'METHOD_NOT_ALLOWED',
      ],
      // A plain GET that could come from another site's page: refused, in Jindu's words.
      [
        fetch(`${server.url}/graphql?query=${encodeURIComponent('{ __typename }')}`),
        400,
        'BAD_REQUEST',
      ],
    ];
    for (const [pending, status, code] of cases) {
      const res = await pending;
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toContain('application/json');
      expect((await res.json()).errors[0].extensions.code).toBe(code);
    }
    const csrf = await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ __typename }')}`);
    expect((await csrf.json()).errors[0].message).toContain('跨站请求伪造');
    const syntax = await post(JSON.stringify({ query: '{ initiative(' }));
    expect(syntax.status).toBe(400);
    expect((await syntax.json()).errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('refuses seed --reset while it serves the file', async () => {
    const reset = await runCli(['seed', '--reset', '--yes'], env);
    expect(reset.code).toBe(1);
    expect(reset.stderr).toContain('jindu seed: a jindu serve is using');
    const res = await post(JSON.stringify({ query: HIVE }));
    expect((await res.json()).data.initiative.progress.total).toBe(164);
  });

  it('keeps writes across a restart, does not seed twice, and verify finds no difference', async () => {
    const item = await post(
      JSON.stringify({
        query:
          '{ initiative(key: "hive") { workstreams { children { items(first: 1, status: [NOT_STARTED]) { nodes { id version } } } } } }',
      }),
    );
    const target = (await item.json()).data.initiative.workstreams[0].children[1].items.nodes[0];
    const created = await runCli(
      ['token', 'create', '--name', 'pm', '--role', 'editor', '--initiative', 'hive'],
      env,
    );
    expect(created.code).toBe(0);
    const secret = created.stdout.trimEnd().split('\n').at(-1)!;
    expect(secret).toMatch(/^jindu_[A-Za-z0-9_-]{43}$/);
    const set = await post(
      JSON.stringify({
        query:
          'mutation($id: ID!, $v: Int) { setItemStatus(input: { itemId: $id, status: DONE, expectedVersion: $v }) { item { version } userErrors { code } } }',
        variables: { id: target.id, v: target.version },
      }),
      { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
    );
    expect((await set.json()).data.setItemStatus).toEqual({
      item: { version: target.version + 1 },
      userErrors: [],
    });
    expect(await server.stop('SIGTERM')).toBe(0);
    expect(server.logs.join('')).toContain('"msg":"stopped"');
    const firstLogs = server.logs.join('');

    // Restarted with group commit off: SQLite syncs every commit itself, checked again.
    server = await startServer({ ...env, JINDU_SQLITE_GROUP_COMMIT: 'false' });
    expect(server.logs.join('')).toContain('database has data: seed skipped');
    expect(server.logs.join('')).toContain(pragmas('FULL'));
    expect(server.logs.join('')).not.toContain(GROUP_COMMIT_LINE);
    const again = await post(JSON.stringify({ query: HIVE }));
    const { data } = await again.json();
    // One 未启动 item of 164 now done: +1 credit over the same 164.
    expect(data.initiative.workstreams[0].progress.percent).toBeCloseTo((142.22 / 164) * 100, 9);
    await server.stop();

    const verify = await runCli(['verify'], env);
    expect(verify.stdout).toContain('ok: every counter and figure matches the items');
    expect(verify.code).toBe(0);
    // The secret appears in no log line of the server that served it, nor of the CLI.
    expect(firstLogs).toContain('"path":"/graphql","status":200');
    expect(firstLogs + created.stderr + verify.stdout + verify.stderr).not.toContain(secret);
  });

  // Found only after migrating, a taken port let a new release that could not serve upgrade the
  // schema under the older instances still serving it.
  it('says in one line that the port is taken, without a stack trace, before touching the database', async () => {
    // Another program holds the port (a plain TCP listener, whatever ran before in this file).
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    try {
      const res = await runCli(['serve'], {
        DATABASE_URL: `sqlite:${join(dir, 'second.sqlite')}`,
        PORT: String(port),
        JINDU_SEED: 'none',
        LOG_LEVEL: 'warn',
      });
      expect(res.code).toBe(1);
      expect(res.stderr).toBe(
        `jindu: 127.0.0.1:${port} is already in use (another Jindu, or another program); stop it or start with another PORT (PORT=0 picks a free one)\n`,
      );
      expect(existsSync(join(dir, 'second.sqlite'))).toBe(false);
    } finally {
      holder.close();
    }
  });

  it('says in one line that HOST is not a name it can resolve', async () => {
    const res = await runCli(['serve'], {
      DATABASE_URL: `sqlite:${join(dir, 'third.sqlite')}`,
      HOST: 'jindu-no-such-host.invalid',
      PORT: '4999',
      JINDU_SEED: 'none',
    });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(
      /^jindu: HOST jindu-no-such-host\.invalid is not a name this machine can resolve \((ENOTFOUND|EAI_AGAIN)\)/,
    );
    expect(existsSync(join(dir, 'third.sqlite'))).toBe(false);
  });

  it('explains a bad configuration instead of crashing', async () => {
    const res = await runCli(['migrate'], { DATABASE_URL: 'mysql://nope', PORT: 'x' });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('DATABASE_URL must be sqlite:PATH or postgres://');
    expect(res.stderr).toContain('PORT must be');
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('JINDU_SEED=none', () => {
  it('starts on an empty database without loading the seed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jindu-e2e-empty-'));
    try {
      const server = await startServer({
        DATABASE_URL: `sqlite:${join(dir, 'j.sqlite')}`,
        JINDU_SEED: 'none',
      });
      const res = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ initiatives { key } }' }),
      });
      expect((await res.json()).data).toEqual({ initiatives: [] });
      expect(await server.stop()).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * A server on a new database, and a client whose request stopped mid-body: its headers promise
 * 100 bytes of body, 9 arrive and nothing more, so a stop waits the close grace for it.
 */
async function withStuckClient(
  test: (server: ServerProcess, socket: Socket) => Promise<void>,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'jindu-e2e-stuck-'));
  try {
    const server = await startServer({
      DATABASE_URL: `sqlite:${join(dir, 'j.sqlite')}`,
      JINDU_SEED: 'none',
    });
    const { port } = new URL(server.url);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write(
      'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"query":',
    );
    await test(server, socket);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Under `npm start` a Ctrl-C or a supervisor's SIGTERM to the process group reaches the server
// twice (directly, and forwarded by npm): the second ended it mid-shutdown, exit by signal, the
// last log lines lost.
describe('a signal repeated while the server is stopping', () => {
  it('is ignored: the stop goes on to its end, and the server exits 0', () =>
    // The stuck client holds the stop for the close grace: time to signal again.
    withStuckClient(async (server, socket) => {
      socket.on('error', () => {}); // closed by the server at the end of the grace
      const exit = server.stop('SIGTERM');
      await expect.poll(() => server.logs.join('')).toContain('"msg":"shutting down"');
      server.child.kill('SIGINT');
      server.child.kill('SIGTERM');
      expect(await exit).toBe(0);
      const logs = server.logs.join('');
      expect(logs).toContain('"msg":"stopped"');
      expect(logs.match(/"msg":"shutting down"/g)).toHaveLength(1);
    }));
});

describe('SIGTERM with a client that stopped sending mid-request', () => {
  it('closes that connection after the grace and stops cleanly', () =>
    withStuckClient(async (server, socket) => {
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      await new Promise((r) => setTimeout(r, 200));
      const started = performance.now();
      expect(await server.stop('SIGTERM')).toBe(0);
      const ms = performance.now() - started;
      await closed;
      expect(ms).toBeGreaterThanOrEqual(CLOSE_GRACE_MS - 100);
      expect(ms).toBeLessThan(CLOSE_GRACE_MS + 4_000);
      expect(server.logs.join('')).toContain('"msg":"stopped"');
      expect(server.logs.join('')).not.toContain('shutdown did not finish');
    }));
});
