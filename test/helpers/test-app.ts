import assert from 'node:assert/strict';
import type { MikroORM } from '@mikro-orm/core';
import type { ApolloServer } from '@apollo/server';
import { pino } from 'pino';
import { actorName, type Principal } from '../../src/domain/access.js';
import { serverOptions } from '../../src/config.js';
import { openOrm } from '../../src/db/orm.js';
import { type Em } from '../../src/db/em.js';
import type { Context } from '../../src/graphql/context.type.js';
import { createLoaders } from '../../src/graphql/loaders.js';
import { jinduSchema } from '../../src/graphql/schema.js';
import { createApollo } from '../../src/server/apollo.js';
import type { ExecutorMode } from '../../src/config.js';
import { createTestDatabase, type DialectName, type TestDatabase } from './databases.js';

export interface GqlResult<T = any> {
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export interface TestApp {
  readonly orm: MikroORM;
  readonly db: TestDatabase;
  readonly apollo: ApolloServer<Context>;
  /** Runs one operation through Apollo with a fresh per-request context. */
  gql<T = any>(
    query: string,
    variables?: Record<string, unknown>,
    principal?: Principal,
  ): Promise<GqlResult<T>>;
  /** Like gql, but fails the test on any top-level error. */
  ok<T = any>(query: string, variables?: Record<string, unknown>): Promise<T>;
  em(): Em;
  close(): Promise<void>;
}

export const silentLog = pino({ level: 'silent' });

const KEPT_LOG_LINES = 50;

/**
 * A logger that keeps the server's error lines (the last 50) in `lines` and drops the rest: an
 * unexpected error reaches the client as INTERNAL_SERVER_ERROR alone, and these say what it was.
 */
export function errorCapturingLog(lines: string[]) {
  return pino(
    { level: 'error' },
    {
      write(line: string) {
        lines.push(line.trimEnd());
        if (lines.length > KEPT_LOG_LINES) lines.shift();
      },
    },
  );
}

/** The principal tests act as unless they say otherwise: a global admin named "test". */
export const TEST_ADMIN: Principal = {
  kind: 'token',
  tokenId: 0,
  name: 'test',
  role: 'admin',
  initiativeId: null,
};

export async function createTestApp(
  dialect: DialectName,
  opts: {
    sqliteFile?: boolean;
    onQuery?: (sql: string) => void;
    /** `compare` (both executors, answers must agree) unless a test measures the real path. */
    executor?: ExecutorMode;
  } = {},
): Promise<TestApp> {
  const db = await createTestDatabase(dialect, opts.sqliteFile);
  const orm = await openOrm({ databaseUrl: db.url, onQuery: opts.onQuery });
  await orm.schema.refresh();
  const loggedErrors: string[] = [];
  const log = errorCapturingLog(loggedErrors);
  const apollo = createApollo(
    await jinduSchema(),
    log,
    serverOptions({ executor: opts.executor ?? 'compare' }),
  );
  await apollo.start();
  const gql = async (
    query: string,
    variables?: Record<string, unknown>,
    principal: Principal = TEST_ADMIN,
  ) => {
    const contextValue = requestContext(orm.em.fork() as Em, { principal, log });
    const res = await apollo.executeOperation({ query, variables }, { contextValue });
    assert(res.body.kind === 'single');
    return res.body.singleResult as GqlResult;
  };
  return {
    orm,
    db,
    apollo,
    gql,
    ok: async (query, variables) => {
      const res = await gql(query, variables);
      expectNoErrors(res, loggedErrors);
      return res.data;
    },
    em: () => orm.em.fork() as Em,
    close: async () => {
      await apollo.stop();
      await orm.close();
      await db.drop();
    },
  };
}

/**
 * A request's context as the server makes one, on `em`: an admin's by default, with a silent
 * log; `more` sets the principal or adds what a test needs (a deadline, a forecast memo).
 */
export function requestContext(
  em: Em,
  more: Partial<Context> & { principal?: Principal } = {},
): Context {
  const principal = more.principal ?? TEST_ADMIN;
  return {
    em,
    loaders: createLoaders(em),
    principal,
    actor: actorName(principal),
    clientKey: 'test',
    log: silentLog,
    ...more,
  };
}

/** Fails on any top-level error; for an INTERNAL_SERVER_ERROR, with what the server logged. */
export function expectNoErrors(res: GqlResult, loggedErrors: readonly string[] = []): void {
  if (!res.errors?.length) return;
  const internal = res.errors.some((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR');
  const logged = internal && loggedErrors.length > 0 ? loggedErrors.at(-1) : undefined;
  throw new Error(
    `GraphQL errors: ${JSON.stringify(res.errors)}${logged ? `; the server's last logged error: ${logged}` : ''}`,
  );
}
