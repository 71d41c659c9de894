import type { MikroORM } from '@mikro-orm/core';
import type { Logger } from 'pino';
import type { Em } from '../db/em.js';
import { snapshotStale } from '../services/snapshots.js';

/** Often enough that a busy initiative's rows since its snapshot stay near SNAPSHOT_EVERY_ROWS. */
const CHECK_EVERY_MS = 10 * 60_000;

/**
 * Keeps as-of reads cheap without an operator: at start and then every ten minutes, snapshots
 * each initiative whose newest snapshot is a week old, has SNAPSHOT_EVERY_ROWS item rows
 * recorded after it, or is missing. The timer never holds the process
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
      log.warn({ err }, 'tally snapshots failed; retrying at the next check');
    } finally {
      running = false;
    }
  };
  void round();
  const timer = setInterval(() => void round(), CHECK_EVERY_MS).unref();
  return () => clearInterval(timer);
}
