import type { ApolloServer } from '@apollo/server';
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { Principal } from '../domain/access.js';
import type { Context } from '../graphql/context.type.js';
import type { MetricsSource } from './process-metrics.js';

/** What the HTTP server's routes are given (http-server.ts builds them from the app). */
export interface HttpDeps {
  readonly apollo: ApolloServer<Context>;
  /** The UTF-8 bytes of a kept answer (answer-cache.ts), made once for every request served it. */
  readonly answerBytes?: (text: string) => Buffer | undefined;
  readonly authenticate: (req: IncomingMessage) => Promise<Principal>;
  readonly metrics: MetricsSource;
  readonly context: (principal: Principal, req: IncomingMessage) => Context;
  readonly ready: () => Promise<boolean>;
  readonly log: Logger;
  readonly graphiql: boolean;
  readonly requestTimeoutMs: number;
  /** How long an upload's read, and then its plan, may each take (JINDU_SHEET_TIMEOUT_MS). */
  readonly sheetTimeoutMs: number;
  /** Origins whose pages may call the API (cors.ts); none by default. */
  readonly corsOrigins?: ReadonlySet<string>;
  /**
   * With group commit (src/db/group-commit.ts): nothing when every commit so far is on disk,
   * else when it will be. An answer may show what a commit wrote only once that is on disk.
   */
  readonly durable?: () => Promise<void> | undefined;
  /** Prometheus metrics (src/server/prometheus.ts); absent in embedded uses. */
  readonly prometheus?: {
    observeRequest(
      method: string | undefined,
      path: string | undefined,
      status: number,
      ms: number,
    ): void;
    text(): Promise<string>;
  };
}
