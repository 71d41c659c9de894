import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, POSTGRES_URL } from '../helpers/databases.js';
import { runCli, startServer } from '../helpers/server-process.js';

/**
 * PostgreSQL's driver and client (`@mikro-orm/postgresql`, `pg`) take 35–65 ms to load. A server
 * or CLI command on SQLite must not load them; one on PostgreSQL must (which shows the record
 * below sees them when they are loaded).
 */
const PRELOAD = fileURLToPath(new URL('../fixtures/record-packages.mjs', import.meta.url));
const POSTGRES_PACKAGES = ['@mikro-orm/postgresql', 'pg'];
const HIVE_TOTAL = JSON.stringify({ query: '{ initiative(key: "hive") { progress { total } } }' });

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'jindu-packages-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The packages a server on `databaseUrl` loaded while starting, answering and stopping. */
async function packagesOfServer(databaseUrl: string, name: string): Promise<string[]> {
  const out = join(dir, `${name}.json`);
  const server = await startServer({
    DATABASE_URL: databaseUrl,
    NODE_OPTIONS: `--import ${PRELOAD}`,
    JINDU_TEST_PACKAGES_OUT: out,
  });
  const answer = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: HIVE_TOTAL,
  });
  expect(await answer.json()).toEqual({ data: { initiative: { progress: { total: 164 } } } });
  expect(await server.stop()).toBe(0);
  return JSON.parse(readFileSync(out, 'utf8')) as string[];
}

describe('PostgreSQL driver loading', () => {
  it('a server on SQLite never loads it', async () => {
    const loaded = await packagesOfServer(`sqlite:${join(dir, 'serve.sqlite')}`, 'sqlite-serve');
    expect(loaded).toContain('better-sqlite3');
    expect(loaded.filter((p) => POSTGRES_PACKAGES.includes(p))).toEqual([]);
  });

  it('a CLI command on SQLite never loads it', async () => {
    const out = join(dir, 'sqlite-cli.json');
    // verify opens the database the server left and checks every figure in it.
    const run = await runCli(['verify'], {
      DATABASE_URL: `sqlite:${join(dir, 'serve.sqlite')}`,
      NODE_OPTIONS: `--import ${PRELOAD}`,
      JINDU_TEST_PACKAGES_OUT: out,
    });
    expect(run.code, run.stderr).toBe(0);
    const loaded = JSON.parse(readFileSync(out, 'utf8')) as string[];
    expect(loaded).toContain('better-sqlite3');
    expect(loaded.filter((p) => POSTGRES_PACKAGES.includes(p))).toEqual([]);
  });

  it.skipIf(!POSTGRES_URL)('a server on PostgreSQL loads it', async () => {
    const db = await createTestDatabase('postgresql');
    try {
      const loaded = await packagesOfServer(db.url, 'postgres-serve');
      expect(loaded).toEqual(expect.arrayContaining(POSTGRES_PACKAGES));
    } finally {
      await db.drop();
    }
  });
});
