import { setImmediate as turn } from 'node:timers/promises';
import { dialectOf, type Em } from './em.js';

/**
 * Lets the event loop turn in the middle of a long write (an import of 10,000 rows, between its
 * steps and statements). Only on SQLite inside a transaction: better-sqlite3 answers at once,
 * so a write's awaits resolve as microtasks and would hold the loop to its end. The transaction
 * holds the connection (Kysely's mutex, from `begin` to `commit`), so other requests' statements
 * wait for its end while what needs no database (health checks, sockets, files, a Ctrl-C) is
 * served. PostgreSQL's statements turn the loop anyway, and a turn there would only hold the
 * write's locks longer (the outbox's commit-order lock holds up every writer).
 */
export async function turnInWrite(em: Em): Promise<void> {
  if (em.isInTransaction() && dialectOf(em) === 'sqlite') await turn();
}
