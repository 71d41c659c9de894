import type { ApolloServerPlugin } from '@apollo/server';
import type { ServerResponse } from 'node:http';
import {
  DATABASE_RETRY_AFTER_S,
  DATABASE_UNAVAILABLE,
  DATABASE_UNAVAILABLE_MESSAGE,
} from '../graphql/errors.js';
import { sendJsonError } from './http-json.js';

const RETRY_AFTER = { 'retry-after': String(DATABASE_RETRY_AFTER_S) };

/** The HTTP answer when the database failed before GraphQL ran (the token check). */
export function sendDatabaseUnavailable(res: ServerResponse): void {
  sendJsonError(res, 503, DATABASE_UNAVAILABLE, DATABASE_UNAVAILABLE_MESSAGE, RETRY_AFTER);
}

/**
 * A GraphQL answer that carries DATABASE_UNAVAILABLE (formatError put it there) goes out as
 * HTTP 503 with `Retry-After`, so load balancers and clients retry it rather than trust it.
 */
export function databaseUnavailablePlugin<T extends object>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const errors = response.body.singleResult.errors ?? [];
          if (!errors.some((e) => e.extensions?.code === DATABASE_UNAVAILABLE)) return;
          response.http.status = 503;
          response.http.headers.set('retry-after', RETRY_AFTER['retry-after']);
        },
      };
    },
  };
}
