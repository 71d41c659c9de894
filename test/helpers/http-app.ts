import type { MikroORM } from '@mikro-orm/core';
import { openOrm, type Em } from '../../src/db/orm.js';
import { serverOptions, type ServerOptions } from '../../src/config.js';
import { createApp, type App } from '../../src/server/app.js';
import { createToken } from '../../src/services/tokens.js';
import { createTestDatabase, type DialectName, type TestDatabase } from './databases.js';
import { silentLog } from './test-app.js';

export interface HttpTestApp {
  readonly url: string;
  readonly orm: MikroORM;
  readonly db: TestDatabase;
  /** A global admin token's secret; `post` sends it unless told otherwise (null: no token). */
  readonly adminToken: string;
  post(
    query: string,
    variables?: Record<string, unknown>,
    token?: string | null,
  ): Promise<{ status: number; body: any; headers: Headers }>;
  token(
    name: string,
    role: 'viewer' | 'editor' | 'admin',
    initiativeKey?: string,
    expires?: string,
  ): Promise<string>;
  em(): Em;
  close(): Promise<void>;
}

/** The real HTTP server in this process, on a free loopback port, over a database of its own. */
export async function startHttpApp(
  dialect: DialectName,
  options: Partial<ServerOptions> = {},
  poolSize = 20,
): Promise<HttpTestApp> {
  const db = await createTestDatabase(dialect, true);
  const orm = await openOrm({ databaseUrl: db.url, poolSize });
  await orm.schema.refresh();
  const app: App = await createApp(
    orm,
    silentLog,
    serverOptions({ executor: 'compare', ...options }),
  );
  const url = await app.listen(0, '127.0.0.1');
  const token = async (
    name: string,
    role: 'viewer' | 'editor' | 'admin',
    initiativeKey?: string,
    expires?: string,
  ) => (await createToken({ em: orm.em.fork() as Em, name, role, initiativeKey, expires })).token;
  const adminToken = await token('test-admin', 'admin');
  return {
    url,
    orm,
    db,
    adminToken,
    token,
    post: async (query, variables, secret = adminToken) => {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(secret ? { authorization: `Bearer ${secret}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: await res.json(), headers: res.headers };
    },
    em: () => orm.em.fork() as Em,
    close: async () => {
      await app.close();
      await orm.close();
      await db.drop();
    },
  };
}
