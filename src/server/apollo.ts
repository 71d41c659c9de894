import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import type { FormattedExecutionResult, GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import { serverOptions, type ServerOptions } from '../config.js';
import type { Context } from '../graphql/context.type.js';
import { formatError } from '../graphql/errors.js';
import { databaseUnavailablePlugin } from './database-unavailable.js';
import type { AnswerCache } from './answer-cache.js';
import { createExecutor } from './executor.js';
import { boundedAnswer, limitRules, limitsPlugin } from './limits.js';
import { RateLimiter } from './rate-limiter.js';

/**
 * Apollo with everything that costs CPU or phones home turned off: the cache-control plugin
 * (it wraps every field resolver), usage reporting, inline traces, and the CDN landing page;
 * with the API's limits on; executing through graphql-jit (see executor.ts).
 */
export function createApollo(
  schema: GraphQLSchema,
  log: Logger,
  options: ServerOptions = serverOptions(),
  /** More plugins (the operation-duration metric). */
  extraPlugins: readonly ApolloServerPlugin<Context>[] = [],
  /** Kept serialized answers (answer-cache.ts); none: every answer is made afresh. */
  answers?: AnswerCache,
  /** The rate limit's buckets, shared with the subscriptions of the same server. */
  limiter: RateLimiter = new RateLimiter(options.rateLimitPerMinute),
): ApolloServer<Context> {
  const executor = createExecutor(schema, options.executor);
  const stringify = (value: FormattedExecutionResult) =>
    answers ? answers.stringify(value, () => JSON.stringify(value)) : JSON.stringify(value);
  return new ApolloServer<Context>({
    gateway: executor.gateway,
    stringifyResult: (value) => boundedAnswer(stringify(value), options.maxAnswerBytes),
    introspection: options.introspection,
    includeStacktraceInErrorResponses: false,
    // Field suggestions ("Did you mean …") would tell what introspection hides.
    hideSchemaDetailsFromClientErrors: !options.introspection,
    // `jindu serve` stops gracefully on SIGINT/SIGTERM itself (HTTP, then the database, then the
    // last log lines). Apollo's own handler would stop Apollo and re-raise the signal, killing
    // the process halfway (it is off only when NODE_ENV=test, which hid it from the tests).
    stopOnTerminationSignals: false,
    csrfPrevention: true,
    validationRules: limitRules(),
    formatError: (formatted, error) =>
      formatError(
        formatted,
        error,
        (err) => log.error({ err }, 'unexpected error while resolving a request'),
        { suggestions: options.introspection },
      ),
    plugins: [
      limitsPlugin(schema, limiter, {
        maxNodes: options.maxNodes,
        maxBytes: options.maxAnswerBytes,
      }),
      databaseUnavailablePlugin(),
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ...extraPlugins,
      // Last: it answers only what every plugin above has admitted (limits, rate).
      ...(answers ? [answers.plugin()] : []),
    ],
  });
}
