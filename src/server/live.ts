import type { MikroORM } from '@mikro-orm/core';
import type { GraphQLSchema } from 'graphql';
import type { IncomingMessage, Server } from 'node:http';
import type { Logger } from 'pino';
import type { Principal } from '../domain/access.js';
import { dialectOf, type Em } from '../db/em.js';
import { onCommit } from '../services/live/commit-bell.js';
import { OutboxFeed } from '../services/live/outbox-feed.js';
import { PgDoorbell } from '../services/live/pg-doorbell.js';
import { messagesOf } from '../graphql/webhooks/webhook-messages.js';
import { WebhookWorker } from '../services/webhooks/webhook-worker.js';
import type { WebhookOptions } from '../config.js';
import { attachSubscriptions, type SubscriptionServer } from './subscriptions.js';
import type { RateLimiter } from './rate-limiter.js';

/** The catch-up read's period: the longest an event can wait if every doorbell failed. */
export const CATCH_UP_MS = 1_000;

export interface Live {
  readonly feed: OutboxFeed;
  readonly subscriptions: SubscriptionServer;
  readonly doorbell: PgDoorbell | null;
  readonly webhooks: WebhookWorker | null;
  close(): Promise<void>;
}

/**
 * This instance's live side: the outbox reader, its doorbells (this process's commits; on
 * PostgreSQL, LISTEN for every instance's), and graphql-ws on /graphql.
 */
export async function startLive(deps: {
  orm: MikroORM;
  server: Server;
  schema: GraphQLSchema;
  log: Logger;
  introspection: boolean;
  webhooks: WebhookOptions;
  onWebhookAttempt: (result: string) => void;
  authenticate: (req: IncomingMessage) => Promise<Principal>;
  /** The HTTP rate limit's buckets: a subscribe spends from the same ones. */
  limiter?: RateLimiter;
}): Promise<Live> {
  const em = () => deps.orm.em.fork() as Em;
  const feed = new OutboxFeed(em, deps.log, { catchUpMs: CATCH_UP_MS });
  await feed.start();
  // This process's own rows are handed out without reading them back when they are the next
  // ones (outbox-feed.ts: seqs are taken under the commit-order lock, so they follow commit
  // order on both databases). On SQLite its commits are the only doorbell; on PostgreSQL the
  // NOTIFY of every commit on any instance rings too, and reads only when it names a seq not
  // handed out yet.
  const unring = onCommit(deps.orm.em.getDriver(), (committed) => void feed.take(committed));
  let doorbell: PgDoorbell | null = null;
  if (dialectOf(em()) === 'postgresql') {
    doorbell = new PgDoorbell(
      String(deps.orm.config.get('clientUrl')),
      (notified) => void feed.wake(notified),
      deps.log,
    );
    await doorbell.start();
  }
  let webhooks: WebhookWorker | null = null;
  if (deps.webhooks.worker) {
    const worker = (webhooks = new WebhookWorker(
      em,
      deps.log,
      deps.webhooks,
      messagesOf,
      deps.onWebhookAttempt,
    ));
    feed.listen(() => void worker.kick('commit'));
    worker.start();
  }
  const subscriptions = attachSubscriptions({
    server: deps.server,
    schema: deps.schema,
    live: feed,
    em,
    log: deps.log,
    introspection: deps.introspection,
    authenticate: deps.authenticate,
    limiter: deps.limiter,
  });
  return {
    feed,
    subscriptions,
    doorbell,
    webhooks,
    close: async () => {
      unring();
      await webhooks?.stop();
      await subscriptions.close();
      await doorbell?.stop();
      feed.stop();
    },
  };
}
