import { IsolationLevel } from '@mikro-orm/core';
import { dialectOf, type Em } from './em.js';

const snapshots = new WeakSet<Em>();

/**
 * True when what `em` reads is committed data only, so it may be kept between requests: outside
 * a transaction, or in a read snapshot. A write's transaction sees its own uncommitted work.
 */
export function readsCommittedOnly(em: Em): boolean {
  return !em.isInTransaction() || snapshots.has(em);
}

/** True when `em` reads in a read snapshot: a state that may be older than the latest commit. */
export const inSnapshot = (em: Em): boolean => snapshots.has(em);

/**
 * Runs `read` on a fork of `em` that sees one state of the database from its first statement
 * to its last, for an answer read in several statements that must not mix two states (a
 * weekly report: initiatives, trees, counters, item percents, metrics, milestones). Without
 * it, a write committed between two of the statements shows in the later ones only: a line
 * whose counts say one thing and whose percents another.
 *
 * - PostgreSQL: a `REPEATABLE READ`, `READ ONLY` transaction: one snapshot, taken at its first
 *   statement, on one pooled connection for the whole read.
 * - SQLite (WAL): a deferred transaction, which reads the commits made before its first
 *   statement. It holds the process's one connection until it ends, so this process's writes
 *   wait for the read (they would otherwise have waited between its statements); another
 *   process's commits (`jindu import`) go ahead and are not seen.
 *
 * The transaction is rolled back, not committed: it writes nothing, and a rollback leaves what
 * a SQLite server keeps between writes (published figures, the commit count group commit
 * syncs by) as it was.
 *
 * Kept trees are served and kept inside it as outside (tree-cache.ts): the stamps it reads are
 * its snapshot's (PostgreSQL's revisions; on SQLite `data_version` stays what it was at the
 * transaction's first statement, and this process commits nothing while it runs), so a tree
 * kept under a stamp is exactly the snapshot's data, both ways.
 */
export async function inReadSnapshot<T>(em: Em, read: (snapshot: Em) => Promise<T>): Promise<T> {
  // Already in a transaction (a write's): its reads are as consistent as they can be, and on
  // SQLite a second transaction would wait for the connection that one holds, for ever.
  if (em.isInTransaction()) return read(em);
  const fork = em.fork() as Em;
  snapshots.add(fork);
  await fork.begin(
    dialectOf(em) === 'postgresql'
      ? { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true }
      : {},
  );
  let result: T;
  try {
    result = await read(fork);
  } catch (err) {
    await fork.rollback().catch(() => undefined); // the read's own error is the one to report
    throw err;
  }
  await fork.rollback();
  return result;
}
