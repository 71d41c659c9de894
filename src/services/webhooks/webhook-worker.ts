import type { Logger } from 'pino';
import type { WebhookOptions } from '../../config.js';
import type { Em } from '../../db/em.js';
import { hasEnabledWebhooks, pruneOutbox, PRUNE_BATCH } from '../../db/queries/webhook.queries.js';
import {
  claimDueDeliveries,
  releaseDeliveries,
  type DeliveryRow,
} from '../../db/queries/webhook-delivery.queries.js';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { FAN_OUT_BATCH, fanOutOutbox, type MessagesOf } from './webhook-fan-out.js';
import { sendDelivery, SEND_TIMEOUT_MS, type AttemptResult } from './send-delivery.js';

/** Outbox rows are kept this long after every reader is past them (late readers, debugging). */
export const OUTBOX_KEEP_MS = 7 * 24 * 3_600_000;
const PRUNE_EVERY_MS = 10 * 60_000;
const IDLE_ADVANCE_MS = 10_000;
/**
 * With no endpoint enabled, how long that answer is trusted before it is asked again: a busy
 * writer no longer pays a query per commit, and an endpoint enabled meanwhile (here or on
 * another instance) gets its first deliveries at most this much later (the outbox rows wait).
 */
export const IDLE_RECHECK_MS = 250;
const LEASE_MS = 60_000;
/**
 * A lane starts a send only while the lease has this long left: the POST's own 10 s and as
 * long again for what comes before it (the address's look-up, the durable wait, a busy pool).
 */
const SEND_BUDGET_MS = 2 * SEND_TIMEOUT_MS;
/** Endpoints sent to at once by this process (as many as one claim took before lanes). */
const MAX_LANES = 20;

/**
 * Delivers webhooks from the outbox, at least once, on any number of instances:
 * 1. fan-out: under the lock of the outbox position 'webhooks', outbox rows after it become one
 *    delivery row per endpoint and message, and the position moves, in one transaction: a
 *    crash before commit leaves the rows to the next run, after commit the deliveries persist;
 * 2. delivery: due deliveries are claimed with a lease (SKIP LOCKED between instances), signed
 *    (Standard Webhooks) and sent; each attempt is logged; 2xx delivers, 410 disables the
 *    endpoint, anything else retries with exponential backoff and jitter until MAX_ATTEMPTS.
 *    Each endpoint has a lane of its own: its deliveries go one at a time, in order, and a slow
 *    or failing endpoint holds up only its own lane, never another endpoint's deliveries.
 */
export class WebhookWorker {
  private running: Promise<void> | null = null;
  private again = false;
  /** Whether the run under way, or the one queued after it, also claims due deliveries. */
  private claimAgain = false;
  private timer: NodeJS.Timeout | undefined;
  private prunedAt = 0;
  /** When a fan-out last moved the position (or found webhooks to feed). */
  private advancedAt = 0;
  /** When the last check found no endpoint enabled; null when it found one (or none yet). */
  private idleSince: number | null = null;
  /** Endpoints whose lane is sending here, and the lanes (shutdown waits for them a while). */
  private readonly busy = new Set<number>();
  private readonly lanes = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly em: () => Em,
    private readonly log: Logger,
    private readonly options: WebhookOptions,
    private readonly messagesOf: MessagesOf,
    private readonly onAttempt: (result: AttemptResult) => void = () => {},
  ) {}

  start(): void {
    this.timer = setInterval(() => this.kick(), Math.min(1_000, this.options.retryBaseMs));
    this.timer.unref();
    this.kick();
  }

  /**
   * Runs now (or once more after the run under way). `commit`: woken by a new outbox row, it
   * fans out and sends what that created; due retries wait for the timer's run (at most a
   * second or `retryBaseMs` away), so a busy writer does not pay a claim per commit.
   */
  kick(reason: 'timer' | 'commit' = 'timer'): Promise<void> {
    const claim = reason === 'timer';
    if (this.running) {
      this.again = true;
      this.claimAgain ||= claim;
      return this.running;
    }
    this.running = this.run(claim).finally(() => {
      this.running = null;
      if (this.again) {
        const claimNext = this.claimAgain;
        this.again = false;
        this.claimAgain = false;
        void this.kick(claimNext ? 'timer' : 'commit');
      }
    });
    return this.running;
  }

  private async run(claim: boolean): Promise<void> {
    try {
      let created = 0;
      for (;;) {
        const { rows, deliveries } = await this.fanOut();
        created += deliveries;
        if (rows !== FAN_OUT_BATCH) break;
        // A backlog goes batch by batch, requests served between them (SQLite's driver is
        // synchronous: the awaits above do not let the event loop run).
        await nextTurn();
      }
      if (Date.now() - this.prunedAt > PRUNE_EVERY_MS) {
        this.prunedAt = Date.now();
        const before = new Date(Date.now() - OUTBOX_KEEP_MS);
        while ((await pruneOutbox(this.em(), before)) === PRUNE_BATCH) await nextTurn();
      }
      if (!claim && created === 0) return;
      // At most MAX_LANES endpoints at a time: a claim of n rows starts at most n lanes.
      while (!this.stopped && this.busy.size < MAX_LANES) {
        const claimedAt = Date.now();
        const due = await claimDueDeliveries(
          this.em(),
          new Date(claimedAt),
          LEASE_MS,
          MAX_LANES - this.busy.size,
          [...this.busy],
        );
        if (due.length === 0) break;
        const byEndpoint = new Map<number, DeliveryRow[]>();
        for (const d of due)
          byEndpoint.set(d.webhookId, [...(byEndpoint.get(d.webhookId) ?? []), d]);
        for (const [webhookId, list] of byEndpoint) this.startLane(webhookId, list, claimedAt);
      }
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'webhook worker failed; will retry');
    }
  }

  /**
   * Sends one endpoint's claimed deliveries in order, then looks for more. It hands back what it
   * could not send before the lease runs out, so no other instance sends them meanwhile.
   */
  private startLane(webhookId: number, list: readonly DeliveryRow[], claimedAt: number): void {
    this.busy.add(webhookId);
    const lane = (async () => {
      for (const [i, d] of list.entries()) {
        if (this.stopped || Date.now() - claimedAt + SEND_BUDGET_MS > LEASE_MS) {
          // Only while the lease is still this claim's: another instance may hold them now.
          await releaseDeliveries(
            this.em(),
            list.slice(i).map((r) => r.id),
            new Date(),
            new Date(claimedAt + LEASE_MS),
          );
          return;
        }
        const result = await sendDelivery(this.em(), d, this.options, this.log);
        if (result) this.onAttempt(result);
      }
    })()
      .catch((err: unknown) => {
        this.log.warn(
          { err: (err as Error).message, webhookId },
          'webhook lane failed; will retry',
        );
      })
      .finally(() => {
        this.busy.delete(webhookId);
        this.lanes.delete(lane);
        if (!this.stopped) void this.kick('timer');
      });
    this.lanes.add(lane);
  }

  private async idle(): Promise<boolean> {
    if (this.idleSince !== null && Date.now() - this.idleSince < IDLE_RECHECK_MS) return true;
    const idle = !(await hasEnabledWebhooks(this.em()));
    this.idleSince = idle ? Date.now() : null;
    return idle;
  }

  /**
   * Fans out the outbox unless no endpoint is enabled. Then there is nothing to deliver: the
   * position (which only bounds what the outbox pruning may drop) moves every IDLE_ADVANCE_MS
   * instead of in a write transaction, with its durable commit, after every write of the server.
   * Rows it has not passed are read again later, and give an endpoint made meanwhile nothing
   * older than itself.
   */
  private async fanOut(): Promise<{ rows: number; deliveries: number }> {
    const idle = await this.idle();
    if (idle && Date.now() - this.advancedAt < IDLE_ADVANCE_MS) return { rows: 0, deliveries: 0 };
    this.advancedAt = Date.now();
    return fanOutOutbox(this.em(), idle, this.messagesOf);
  }

  /**
   * Stops: no new claim or send; each lane ends after the request it is sending, and hands the
   * rest back. Waits up to `graceMs` for them, so their attempts are recorded before the
   * database closes (one still sending after that is sent again when its lease runs out).
   */
  async stop(graceMs = 3_000): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.all(this.lanes), grace]);
    clearTimeout(timer);
  }
}
