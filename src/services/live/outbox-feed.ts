import type { Logger } from 'pino';
import type { LiveEvent } from '../../domain/live-events.js';
import { durableCommits } from '../../db/group-commit.js';
import type { Em } from '../../db/em.js';
import { outboxHead, readOutboxAfter, type OutboxRow } from '../../db/queries/outbox.queries.js';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { decodeLiveEvent } from '../../db/outbox-payload.js';

const BATCH = 500;

export interface FeedOptions {
  /** The catch-up read's period: events arrive at least this often without any doorbell. */
  readonly catchUpMs: number;
}

/**
 * This process's reader of the outbox: reads rows after the last one it saw, in seq order, and
 * hands each event to its listeners once. Any doorbell (a commit here, a NOTIFY from any
 * instance, the periodic catch-up) only says "read now" (or "read if you have not reached seq
 * N"); what is read is always "after the last seq", so a lost or doubled ring loses or doubles
 * nothing. Reads never overlap.
 */
export class OutboxFeed {
  private last = 0;
  private reading: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<(event: LiveEvent) => void>();
  /** When the newest event read was committed (for the outbox-lag metric). */
  lastEventAt: number | null = null;
  lastLagMs = 0;

  constructor(
    private readonly em: () => Em,
    private readonly log: Logger,
    private readonly options: FeedOptions,
  ) {}

  /** Starts after the outbox's current end: subscribers get what commits from now on. */
  async start(): Promise<void> {
    this.last = await outboxHead(this.em());
    this.timer = setInterval(() => this.wake(), this.options.catchUpMs);
    this.timer.unref();
  }

  get position(): number {
    return this.last;
  }

  listen(listener: (event: LiveEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Reads now (or right after the read under way). A ring that names the last seq of the commit
   * it announces (a NOTIFY carries it) reads nothing when that row was handed out already: the
   * NOTIFY of this process's own commit, whose rows `take` handed out, costs no read.
   */
  wake(notified?: number): Promise<void> {
    if (notified !== undefined && notified <= this.last && !this.reading) return Promise.resolve();
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = this.drain().finally(() => {
      this.reading = null;
      if (this.again) {
        this.again = false;
        void this.wake();
      }
    });
    return this.reading;
  }

  /**
   * A write of this process committed `committed` (its outbox rows, in seq order). When they
   * are the very next rows (the first is the one after the last seen, no read is under way,
   * and they follow one another), they are handed out from here as a read would have handed
   * them out, without reading them back; otherwise (another process or instance committed in
   * between, or a read is under way) this is a doorbell like any other.
   */
  take(committed: readonly OutboxRow[]): Promise<void> {
    const next =
      !this.reading &&
      committed.length > 0 &&
      committed.every((row, i) => row.seq === this.last + 1 + i);
    if (!next) return this.wake();
    for (const row of committed) this.deliver(row);
    return Promise.resolve();
  }

  private deliver(row: OutboxRow): void {
    this.last = row.seq;
    const event = row.event ?? decodeLiveEvent(row.payload);
    this.lastEventAt = row.createdAt.getTime();
    this.lastLagMs = Math.max(0, Date.now() - this.lastEventAt);
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.log.error({ err, seq: row.seq }, 'live listener failed');
      }
    }
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        const em = this.em();
        const rows = await readOutboxAfter(em, this.last, BATCH);
        // With group commit (SQLite), a row read may be committed but not yet on disk.
        const durable = rows.length > 0 ? durableCommits(em) : undefined;
        if (durable) await durable;
        // Rows handed out meanwhile (take) are not handed out again.
        for (const row of rows) if (row.seq > this.last) this.deliver(row);
        if (rows.length < BATCH) return;
        // A backlog goes batch by batch, requests served between them (SQLite's driver is
        // synchronous: the awaits above do not let the event loop run).
        await nextTurn();
      }
    } catch (err) {
      // The database is away: the next ring or catch-up reads from the same place.
      this.log.warn({ err: (err as Error).message }, 'outbox read failed; will retry');
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.listeners.clear();
  }
}
