import type pg from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';
import type { Logger } from 'pino';
import { POOL_ACQUIRE_TIMEOUT_MS } from '../../db/pg-pool-guard.js';
import { OUTBOX_CHANNEL } from '../../db/queries/outbox.queries.js';
import { pgClient } from '../../db/pg-url.js';

/** The listening connection's application_name (operators and tests can find it by it). */
export const LISTENER_NAME = 'jindu-outbox-listener';

/**
 * LISTEN on a dedicated PostgreSQL connection (a pooled one would be handed to others and lose
 * the LISTEN): every NOTIFY from a commit on any instance rings `ring` with the seq it names.
 * When the connection drops it reconnects with a growing pause, listens again, and rings once,
 * so what committed while it was away is read at once (the feed reads "after the last seq", so
 * nothing is lost).
 */
export class PgDoorbell {
  private client: pg.Client | null = null;
  private stopped = false;
  private pause = 100;
  /** How many times the connection was (re)established. */
  connections = 0;

  constructor(
    private readonly url: string,
    private readonly ring: (notified?: number) => void,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    await this.connect().catch(() => this.retry());
  }

  private async connect(): Promise<void> {
    const { Client } = await pgClient();
    // Checked after every wait: a stop while the client loads or connects must not leave a
    // connection listening behind it.
    if (this.stopped) return;
    const client = new Client({
      // Parsed, not passed as connectionString: pg lets a connection string's parameters win
      // over the options beside it, and an application_name in DATABASE_URL would then hide
      // the listener from `jindu seed --reset`, which looks for it by name.
      ...parseIntoClientConfig(this.url),
      application_name: LISTENER_NAME,
      // As the pool's connections (pg-pool-guard.ts): a bounded connect, TCP keep-alive so a
      // vanished server is noticed.
      connectionTimeoutMillis: POOL_ACQUIRE_TIMEOUT_MS,
      keepAlive: true,
    });
    // The payload is the last seq the commit wrote (publishOutbox): the feed skips a read
    // when it has handed that row out already.
    client.on('notification', (message) => this.ring(seqOf(message.payload)));
    client.on('error', (err) => {
      this.log.warn({ err: err.message }, 'outbox listener connection failed');
    });
    client.on('end', () => {
      if (this.client === client) {
        this.client = null;
        this.retry();
      }
    });
    // A client that will not listen ends without the reconnect its 'end' would start.
    const discard = async () => {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
    };
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
    } catch (err) {
      await discard();
      throw err;
    }
    if (this.stopped) return discard();
    this.client = client;
    this.connections++;
    this.pause = 100;
    if (this.connections > 1) this.log.info('outbox listener reconnected');
    this.ring(); // catch up on what committed while no one listened
  }

  private retry(): void {
    if (this.stopped) return;
    const wait = this.pause;
    this.pause = Math.min(this.pause * 2, 2_000);
    setTimeout(() => {
      this.connect().catch((err: Error) => {
        this.log.warn({ err: err.message }, 'outbox listener could not reconnect');
        this.retry();
      });
    }, wait).unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}

/** The seq a NOTIFY names, or undefined (then the ring reads whatever it names). */
function seqOf(payload: string | undefined): number | undefined {
  const seq = payload === undefined || payload === '' ? Number.NaN : Number(payload);
  return Number.isSafeInteger(seq) ? seq : undefined;
}
