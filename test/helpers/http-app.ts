import type { MikroORM } from '@mikro-orm/core';
import { openOrm } from '../../src/db/orm.js';
import { type Em } from '../../src/db/em.js';
import { serverOptions, type ServerOptions } from '../../src/config.js';
import { createApp, type App } from '../../src/server/app.js';
import { createToken } from '../../src/services/tokens.js';
import { createTestDatabase, type DialectName, type TestDatabase } from './databases.js';
import { asAdmin, databaseName, terminateBackends } from './pg-admin.js';
import { errorCapturingLog } from './test-app.js';

export interface HttpTestApp {
  readonly url: string;
  /** The HTTP server, for a test that tunes its timeouts. */
  readonly server: App['server'];
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
  /**
   * What the server logged at level error or above, oldest first (the last 50): an unexpected
   * error reaches the client as INTERNAL_SERVER_ERROR alone, and this says what it was. A test
   * may empty it to see only what comes after.
   */
  readonly loggedErrors: string[];
  close(): Promise<void>;
}

/** How long one step of `close` may take before the test app says so and forces it. */
const CLOSE_STEP_MS = 20_000;

/**
 * Waits for one step of closing. On PostgreSQL a step has been seen to wait past the hook's
 * timeout on a busy machine (about one full run in four; two pooled sessions sat idle and the
 * close never finished), without a cause found yet. A step that takes CLOSE_STEP_MS says what
 * the database's sessions were doing, then ends them: a session that ends hands its pooled
 * connection back (pg-pool-guard.ts), so the step can finish.
 */
async function bounded(
  db: TestDatabase,
  what: string,
  step: Promise<void>,
  pool: () => unknown,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const slow = new Promise<'slow'>((resolve) => {
    timer = setTimeout(() => resolve('slow'), CLOSE_STEP_MS);
  });
  const first = await Promise.race([step.then(() => 'done' as const), slow]);
  clearTimeout(timer);
  if (first === 'done' || db.dialect !== 'postgresql') return step;
  const name = databaseName(db.url);
  const sessions = await asAdmin((em) =>
    em.execute(
      `select application_name, state, wait_event_type, wait_event, left(query, 200) as query
         from pg_stat_activity where datname = ?`,
      [name],
    ),
  );
  console.warn(
    `closing the test app: ${what} did not close in ${CLOSE_STEP_MS} ms; the pool: ${JSON.stringify(pool())}; the sessions of ${name}: ${JSON.stringify(sessions)}; ending them`,
  );
  await asAdmin((em) => terminateBackends(em, name));
  return step;
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
  const loggedErrors: string[] = [];
  const app: App = await createApp(
    orm,
    errorCapturingLog(loggedErrors),
    serverOptions({ executor: 'compare', ...options }),
  );
  const url = await app.listen(0, '127.0.0.1');
  const pgPool =
    db.dialect === 'postgresql'
      ? ((await (
          orm.em.getDriver().getConnection() as unknown as { getNativeClient(): Promise<unknown> }
        ).getNativeClient()) as { totalCount: number; idleCount: number; waitingCount: number })
      : null;
  const poolCounts = () =>
    pgPool && {
      total: pgPool.totalCount,
      idle: pgPool.idleCount,
      waiting: pgPool.waitingCount,
    };
  const token = async (
    name: string,
    role: 'viewer' | 'editor' | 'admin',
    initiativeKey?: string,
    expires?: string,
  ) => (await createToken({ em: orm.em.fork() as Em, name, role, initiativeKey, expires })).token;
  const adminToken = await token('test-admin', 'admin');
  return {
    url,
    server: app.server,
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
    loggedErrors,
    close: async () => {
      await bounded(db, 'the server', app.close(), poolCounts);
      await bounded(db, 'the ORM', orm.close(), poolCounts);
      await db.drop();
    },
  };
}
