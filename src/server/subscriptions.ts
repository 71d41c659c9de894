import type { ExecutionResult, GraphQLError, GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Principal } from '../domain/access.js';
import type { Em } from '../db/em.js';
import { formatError } from '../graphql/errors.js';
import type { LiveSource } from '../graphql/live/live-stream.js';
import type { SubscriptionContext } from '../graphql/live/subscription-scope.js';
import { clientKeyOf } from './client-key.js';
import { isTokenRefusal, socketAuthRequest } from './socket-auth.js';
import { SUBSCRIPTION_LIMITS, SubscriptionCounts } from './subscription-counts.js';
import { checkSubscriptionDocument, refuse } from './subscription-document.js';
import type { RateLimiter } from './rate-limiter.js';

/** Subscriptions one connection may hold, and one token across this instance's connections. */
/** How often a connection's token is checked again (revoked or expired: the socket closes). */
const RECHECK_MS = 30_000;

export interface SubscriptionDeps {
  readonly server: Server;
  readonly schema: GraphQLSchema;
  readonly live: LiveSource;
  readonly em: () => Em;
  readonly log: Logger;
  readonly introspection: boolean;
  readonly authenticate: (req: IncomingMessage) => Promise<Principal>;
  /** The HTTP rate limit's buckets (keyed alike: token, or an anonymous reader's address). */
  readonly limiter?: RateLimiter;
}

type Extra = {
  principal?: Principal;
  /** Whose subscriptions these count as: the token, or an anonymous reader's address. */
  limitKey?: string;
  ids?: Set<string>;
  timer?: NodeJS.Timeout;
};

export interface SubscriptionServer {
  /** Subscriptions running now on this instance. */
  active(): number;
  close(): Promise<void>;
}

/**
 * A socket's 'error' is the client's doing (a frame over maxPayload, bad UTF-8, a reset): ws has
 * already closed the socket with the fitting code when it emits one. graphql-ws's own listener
 * would print each as an "internal error" with a stack, in plain text amid the JSON log, for
 * anyone who sends one oversized frame; it becomes one log line instead.
 */
function quietClientErrors(ws: WebSocket, log: Logger): void {
  const emit = ws.emit.bind(ws);
  ws.emit = (event: string | symbol, ...args: unknown[]): boolean => {
    if (event !== 'error') return emit(event, ...args);
    const err = args[0] as NodeJS.ErrnoException | undefined;
    log.info({ code: err?.code, reason: err?.message }, 'websocket closed on a client error');
    return true;
  };
}

/**
 * graphql-ws on the HTTP server's /graphql path. The token comes with connection_init and is
 * checked there (a bad one closes the socket with 4403) and again every 30 s; each subscribe's
 * document is checked as HTTP checks a query's (subscription-document.ts), then counted against
 * the rate limit and the per-connection and per-token limits. Only subscriptions run here;
 * queries and mutations go over HTTP.
 */
export function attachSubscriptions(deps: SubscriptionDeps): SubscriptionServer {
  // Upgrades are handed over by hand rather than with ws's `server` option: with it, ws also
  // re-emits the HTTP server's own errors (a port in use) as its own, which graphql-ws prints
  // as an internal error with a stack trace before `jindu serve` can say what happened.
  const wss = new WebSocketServer({ noServer: true, path: '/graphql', maxPayload: 100_000 });
  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) =>
    wss.handleUpgrade(req, socket, head, (ws) => {
      quietClientErrors(ws, deps.log);
      wss.emit('connection', ws, req);
    });
  deps.server.on('upgrade', upgrade);
  const counts = new SubscriptionCounts();
  const release = (extra: Extra, id: string) => {
    if (extra.ids?.delete(id)) counts.release(extra.limitKey!, extra.principal!.kind !== 'token');
  };
  const format = (errors: readonly GraphQLError[]) =>
    errors.map((e) =>
      formatError(
        e.toJSON(),
        e,
        (err) => deps.log.error({ err }, 'unexpected error in a subscription'),
        {
          suggestions: deps.introspection,
        },
      ),
    );

  const disposable = useServer<Record<string, unknown> | undefined, Extra>(
    {
      schema: deps.schema,
      onConnect: async (ctx) => {
        const extra = ctx.extra as Extra & { request: IncomingMessage; socket: WebSocket };
        const asked = socketAuthRequest(extra.request, ctx.connectionParams);
        if (!asked) {
          extra.socket.close(
            4400,
            'Bad authorization in connection_init: give the token as a string in authorization (or token, headers.authorization)',
          );
          return false;
        }
        const check = () => deps.authenticate(asked);
        try {
          extra.principal = await check();
        } catch (err) {
          if (isTokenRefusal(err)) return false; // 4403: the token is refused
          // The token could not be checked (the database is down): not the client's fault, so
          // not 4403, which clients take as "sign in again". 1013 is retried by graphql-ws.
          deps.log.warn({ err }, 'websocket token check failed; asked to try again later');
          extra.socket.close(1013, 'Try Again Later');
          return false;
        }
        extra.limitKey = clientKeyOf(extra.principal, extra.request);
        extra.ids = new Set();
        extra.timer = setInterval(() => {
          check().catch((err: unknown) => {
            if (isTokenRefusal(err)) extra.socket.close(4403, 'Forbidden');
            // A token checked once stays trusted while it cannot be checked again (a database
            // restart must not close every socket as if signed out); the next check decides.
            else deps.log.warn({ err }, 'websocket token recheck failed; checked again later');
          });
        }, RECHECK_MS);
        extra.timer.unref();
        return true;
      },
      onClose: (ctx) => {
        const extra = ctx.extra as Extra;
        clearInterval(extra.timer);
        for (const id of [...(extra.ids ?? [])]) release(extra, id);
      },
      onSubscribe: (ctx, id, payload) => {
        const extra = ctx.extra as Extra;
        const checked = checkSubscriptionDocument(deps.schema, payload);
        if ('refused' in checked) return checked.refused;
        const { document, cost } = checked;
        // A subscribe costs what the same document costs over HTTP, from the same bucket: a
        // resumed one may replay a thousand events, and a token holds a hundred.
        const wait = deps.limiter?.take(extra.limitKey!, Math.max(1, cost)) ?? 0;
        if (wait > 0)
          return refuse(`请求过于频繁，请 ${wait} 秒后重试`, 'RATE_LIMITED', { retryAfter: wait });
        if ((extra.ids?.size ?? 0) >= SUBSCRIPTION_LIMITS.perConnection)
          return refuse(
            `每个连接最多 ${SUBSCRIPTION_LIMITS.perConnection} 个订阅`,
            'TOO_MANY_SUBSCRIPTIONS',
          );
        const full = counts.admit(extra.limitKey!, extra.principal!.kind !== 'token');
        if (full) return refuse(full, 'TOO_MANY_SUBSCRIPTIONS');
        extra.ids!.add(id);
        const contextValue: SubscriptionContext = {
          principal: extra.principal!,
          em: deps.em(),
          live: deps.live,
          onEnd: () => {},
        };
        return {
          schema: deps.schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue,
        };
      },
      onNext: (_ctx, _id, _payload, _args, result: ExecutionResult) =>
        result.errors ? { ...result, errors: format(result.errors) } : undefined,
      onError: (ctx, id, _payload, errors) => {
        release(ctx.extra as Extra, id);
        return format(errors);
      },
      onComplete: (ctx, id) => release(ctx.extra as Extra, id),
    },
    wss,
  );
  return {
    active: () => counts.active,
    close: async () => {
      deps.server.off('upgrade', upgrade);
      for (const client of wss.clients) client.close(1001, 'Going away');
      await disposable.dispose();
    },
  };
}
