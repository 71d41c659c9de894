import type { MikroORM } from '@mikro-orm/core';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { serverOptions, type ServerOptions } from '../config.js';
import { actorName, type Principal } from '../domain/access.js';
import type { Context } from '../graphql/context.type.js';
import type { Em } from '../db/em.js';
import { pingDatabase } from '../db/ping.js';
import { durableCommits, groupCommitOf } from '../db/group-commit.js';
import { guardStatements } from '../db/statement-queue.js';
import { createLoaders, type Loaders } from '../graphql/loaders.js';
import { jinduSchema } from '../graphql/schema.js';
import { ForecastMemo } from '../services/forecast-memo.js';
import { AnswerCache } from './answer-cache.js';
import { createApollo } from './apollo.js';
import { authenticateRequest, authenticateSocket } from './authenticate.js';
import { Deadline } from '../graphql/deadline.js';
import { createHttpServer } from './http-server.js';
import { startLive, type Live } from './live.js';
import { PrometheusMetrics } from './prometheus.js';
import { outboxHead } from '../db/queries/outbox.queries.js';
import { MetricsSource } from './process-metrics.js';
import { tokenCacheFor } from '../services/token-cache.js';
import { RateLimiter } from './rate-limiter.js';
import { clientKeyOf } from './client-key.js';

/** How long a stop waits for open HTTP connections before it closes them. */
export const CLOSE_GRACE_MS = 3_000;

export interface App {
  readonly server: Server;
  /** Kept answers (JINDU_ANSWER_CACHE), when on. */
  readonly answers: AnswerCache | undefined;
  /** Kept forecasts (JINDU_FORECAST_CACHE), when on. */
  readonly forecasts: ForecastMemo | undefined;
  /** Starts listening; resolves with the base URL. */
  listen(port: number, host: string): Promise<string>;
  /** Stops taking requests, lets running ones finish, then stops Apollo. */
  close(): Promise<void>;
}

/**
 * A request's context. The entity-manager fork and the loaders are made on first use: many
 * requests (`__typename`, errors caught early) never touch the database. They are getters on
 * the prototype because Apollo copies the context's own properties into a fresh object.
 */
class RequestContext implements Context {
  private forked: Em | undefined = undefined;
  private made: Loaders | undefined = undefined;
  readonly actor: string;

  constructor(
    private readonly orm: MikroORM,
    readonly principal: Principal,
    readonly clientKey: string,
    readonly log: Logger,
    readonly deadline: Deadline,
    readonly webhookAllowPrivate: boolean,
    readonly forecastMemo: ForecastMemo | undefined,
  ) {
    this.actor = actorName(principal);
  }

  get em(): Em {
    return (this.forked ??= guardStatements(this.orm.em.fork() as Em, () =>
      this.deadline.throwIfOver(),
    ));
  }

  get loaders(): Loaders {
    return (this.made ??= createLoaders(this.em));
  }

  loadersIfMade(): Loaders | undefined {
    return this.made;
  }

  writeEm(): Em {
    return this.forked ?? (this.orm.em as Em);
  }
}

/** Builds the server around an open ORM; listens only when asked (tests can import freely). */
export async function createApp(
  orm: MikroORM,
  log: Logger,
  options: ServerOptions = serverOptions(),
): Promise<App> {
  const schema = await jinduSchema();
  const tokens = await tokenCacheFor(orm);
  let live: Live | undefined = undefined;
  const prometheus = new PrometheusMetrics({
    subscriptions: () => live?.subscriptions.active() ?? 0,
    lagSeconds: () => (live?.feed.lastLagMs ?? 0) / 1000,
    pending: async () =>
      live ? Math.max(0, (await outboxHead(orm.em.fork() as Em)) - live.feed.position) : 0,
    groupCommit: () => groupCommitOf(orm.em as Em),
  });
  const answers = options.answerCache ? new AnswerCache(schema) : undefined;
  const forecasts = options.forecastCache ? new ForecastMemo() : undefined;
  // One rate limit for HTTP and the WebSocket: a subscribe spends from the client's bucket too.
  const limiter = new RateLimiter(options.rateLimitPerMinute);
  const apollo = createApollo(schema, log, options, [prometheus.plugin()], answers, limiter);
  await apollo.start();
  const metrics = new MetricsSource();
  // Aborted when the server stops: running queries end at their next deadline check.
  const stopping = new AbortController();
  const server = createHttpServer({
    apollo,
    answerBytes: answers && ((text) => answers.bytesOf(text)),
    metrics,
    prometheus,
    log,
    graphiql: options.graphiql,
    requestTimeoutMs: options.requestTimeoutMs,
    sheetTimeoutMs: options.sheetTimeoutMs,
    corsOrigins: new Set(options.corsOrigins),
    // Not ready once a sync of the WAL failed (group-commit.ts): only a restart recovers.
    ready: async () => !groupCommitOf(orm.em as Em)?.broken && (await pingDatabase(orm)),
    durable: () => durableCommits(orm.em as Em),
    authenticate: (req) =>
      authenticateRequest(
        req,
        () => orm.em.fork() as Em,
        options.anonymousRead,
        options.anonymousHosts,
        tokens,
      ),
    context: (principal, req) =>
      new RequestContext(
        orm,
        principal,
        clientKeyOf(principal, req),
        log,
        new Deadline(
          Date.now() + options.requestTimeoutMs,
          options.requestTimeoutMs,
          stopping.signal,
        ),
        options.webhooks.allowPrivate,
        forecasts,
      ),
  });
  live = await startLive({
    orm,
    server,
    schema,
    log,
    introspection: options.introspection,
    webhooks: options.webhooks,
    onWebhookAttempt: (result) => prometheus.webhookAttempt(result),
    limiter,
    authenticate: (req) =>
      authenticateSocket(
        req,
        () => orm.em.fork() as Em,
        options.anonymousRead,
        options.anonymousHosts,
        tokens,
      ),
  });
  server.keepAliveTimeout = 5_000;
  server.requestTimeout = 30_000;
  // Node's headers deadline defaults, at creation, to the lesser of 60 s and the request's
  // deadline; set afterwards, the request's 30 s left it at 60 s, and a request whose headers
  // trickled in was held twice as long as the rest.
  server.headersTimeout = server.requestTimeout;
  // Neither of those applies once a request is read: a client that stops reading its answer
  // would hold its socket, and the answer in kernel and Node buffers, for ever. WebSockets
  // (subscriptions.ts) are not cut by it: ws turns the timeout off on the sockets it takes.
  server.timeout = socketIdleMs(options);
  return {
    server,
    answers,
    forecasts,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const { port: bound } = server.address() as AddressInfo;
          resolve(`http://${host.includes(':') ? `[${host}]` : host}:${bound}`);
        });
      }),
    close: async () => {
      stopping.abort();
      await live?.close();
      // Connections of requests cut short turn idle only after their answer: close those too,
      // or a client's keep-alive holds the stop for the whole keep-alive timeout.
      const idle = setInterval(() => server.closeIdleConnections(), 50);
      // Running requests end within a slice once `stopping` is aborted; a connection still open
      // after the grace is a client that stopped sending mid-request or stopped reading.
      const cut = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }).finally(() => {
        clearInterval(idle);
        clearTimeout(cut);
      });
      await apollo.stop();
      metrics.stop();
    },
  };
}

/**
 * A connection's allowed silence while a request is read or answered: longer than a request may
 * wait on the server without a byte sent (its deadline, a sheet's read and plan after the
 * sheet thread's 60 s load), so only a client that stopped reading or sending is cut.
 */
export function socketIdleMs(options: ServerOptions): number {
  return (
    options.socketIdleMs ?? 120_000 + Math.max(options.requestTimeoutMs, 2 * options.sheetTimeoutMs)
  );
}
