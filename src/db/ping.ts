import type { MikroORM } from '@mikro-orm/core';
import type { Em } from './em.js';

/** How long `/readyz` waits for the database before it says "not ready". */
export const PING_TIMEOUT_MS = 2_000;

/**
 * True when the database answers `select 1` within `timeoutMs`: a readiness check that answers
 * in bounded time even when the pool is exhausted or the server is unreachable.
 */
export async function pingDatabase(orm: MikroORM, timeoutMs = PING_TIMEOUT_MS): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const ping = (orm.em.fork() as Em).execute('select 1').then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([ping, late]);
  } finally {
    clearTimeout(timer);
  }
}
