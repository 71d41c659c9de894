import type { MikroORM } from '@mikro-orm/core';
import { openOrm, type Em } from '../../src/db/orm.js';
import { createApp, type App } from '../../src/server/app.js';
import { createTestDatabase, type DialectName, type TestDatabase } from './databases.js';
import { silentLog } from './test-app.js';

export interface HttpTestApp {
  readonly url: string;
  readonly orm: MikroORM;
  readonly db: TestDatabase;
  post(query: string, variables?: Record<string, unknown>): Promise<{ status: number; body: any }>;
  em(): Em;
  close(): Promise<void>;
}

/** The real HTTP server in this process, on a free loopback port, over a database of its own. */
export async function startHttpApp(dialect: DialectName): Promise<HttpTestApp> {
  const db = await createTestDatabase(dialect, true);
  const orm = await openOrm({ databaseUrl: db.url, poolSize: 20 });
  await orm.schema.refresh();
  const app: App = await createApp(orm, silentLog);
  const url = await app.listen(0, '127.0.0.1');
  return {
    url,
    orm,
    db,
    post: async (query, variables) => {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: await res.json() };
    },
    em: () => orm.em.fork() as Em,
    close: async () => {
      await app.close();
      await orm.close();
      await db.drop();
    },
  };
}
