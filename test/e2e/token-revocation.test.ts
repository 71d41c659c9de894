import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/databases.js';
import { runCli, startServer, type ServerProcess } from '../helpers/server-process.js';

const READ = '{ initiatives { key } }';

/**
 * A token revoked by another process (the `jindu token revoke` command) is refused by every
 * running server on its very next request, however often it was accepted just before: on
 * SQLite the one server of the file, on PostgreSQL each of two instances.
 */
describe.each(DIALECTS)('token revoked by another process (%s)', (dialect) => {
  let db: TestDatabase;
  let servers: ServerProcess[] = [];
  let env: Record<string, string>;

  const ask = async (server: ServerProcess, token: string) =>
    (
      await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: READ }),
      })
    ).status;

  beforeAll(async () => {
    db = await createTestDatabase(dialect, true);
    env = { DATABASE_URL: db.url, JINDU_SEED: 'week-20', LOG_LEVEL: 'warn' };
    expect((await runCli(['migrate'], env)).code).toBe(0);
    servers = [await startServer({ ...env, LOG_LEVEL: 'info' })];
    if (dialect === 'postgresql') servers.push(await startServer({ ...env, LOG_LEVEL: 'info' }));
  }, 60_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop('SIGKILL')));
    await db?.drop();
  });

  it('is accepted until the revoke commits, and refused (401) by every instance right after', async () => {
    for (const name of ['first', 'second']) {
      const created = await runCli(['token', 'create', '--name', name, '--role', 'viewer'], env);
      expect(created.code).toBe(0);
      const token = created.stdout.trim().split('\n').pop()!;
      for (let round = 0; round < 20; round++)
        for (const server of servers) expect(await ask(server, token)).toBe(200);
      expect((await runCli(['token', 'revoke', name], env)).code).toBe(0);
      for (const server of servers) expect(await ask(server, token)).toBe(401);
    }
  }, 60_000);
});
