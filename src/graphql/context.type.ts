import type { Logger } from 'pino';
import type { Principal } from '../domain/access.js';
import type { Em } from '../db/em.js';
import type { Deadline } from './deadline.js';
import type { Forecaster } from '../services/forecast-memo.js';
import type { Loaders } from './loaders.js';

/** Built per request: a fresh entity-manager fork, fresh loaders, who is asking. */
export interface Context {
  readonly em: Em;
  readonly loaders: Loaders;
  /**
   * The loaders if this request has made them, else undefined (a context that makes them on
   * first use): what a write forgets afterwards, without making them just to clear them.
   */
  loadersIfMade?(): Loaders | undefined;
  /**
   * What a write starts from: the request's fork if it made one, else the root entity manager.
   * The write pipeline forks it for its transaction, so a write need not fork twice.
   */
  writeEm?(): Em;
  readonly principal: Principal;
  /** The change log's actor: the token's name. */
  readonly actor: string;
  /** Rate-limit bucket: the token, or the remote address of an anonymous reader. */
  readonly clientKey: string;
  readonly log: Logger;
  /** When the answer is due; resolvers that multiply work check it (absent in unit tests). */
  readonly deadline?: Deadline;
  /** Webhook URLs on loopback and private addresses (JINDU_WEBHOOK_ALLOW_PRIVATE). */
  readonly webhookAllowPrivate?: boolean;
  /** Forecasts kept between requests (JINDU_FORECAST_CACHE); absent: made afresh each request. */
  readonly forecastMemo?: Forecaster;
}
