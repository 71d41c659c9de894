import type { MikroORM } from '@mikro-orm/core';
import type { Logger } from 'pino';
import type { Em } from '../db/orm.js';
import { snapshotStale } from '../services/snapshots.js';

const CHECK_EVERY_MS = 3_600_000;

/**
 * Keeps as-of reads cheap without an operator: at start and then hourly, snapshots each
 * initiative whose newest snapshot is a week old (or missing). The timer never holds the process
 * open; a failed round is logged and the next one tries again. Returns the stop function.
 */
export function startSnapshotTimer(orm: MikroORM, log: Logger): () => void {
  let running = false;
  const round = async () => {
    if (running) return;
    running = true;
    try {
      const taken = await snapshotStale(orm.em.fork() as Em);
      if (taken.length > 0)
        log.info(
          { snapshots: taken.map((s) => ({ initiativeId: s.initiativeId, at: s.effectiveAt })) },
          'tally snapshots taken',
        );
    } catch (err) {
      log.warn({ err }, 'tally snapshots failed; retrying in an hour');
    } finally {
      running = false;
    }
  };
  void round();
  const timer = setInterval(() => void round(), CHECK_EVERY_MS).unref();
  return () => clearInterval(timer);
}
