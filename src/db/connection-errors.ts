/**
 * Tells a database that cannot be reached (down, restarting, connections cut, pool exhausted)
 * from every other failure, so the edge can answer 503 "retry" instead of a masked 500.
 */

/** SQLSTATEs: connection exceptions (08…), shutdown or startup (57P01–57P03), too many clients. */
const SQLSTATES = /^(08\w{3}|57P0[123]|53300)$/;

/** Socket errors Node reports when the server is unreachable or hangs up. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/** What `pg` and pg-pool say when a connection broke or none could be had (they set no code). */
const MESSAGES =
  /Connection terminated|is not queryable|timeout exceeded when trying to connect|PostgreSQL connection lost|terminating connection due to|the database system is (starting up|shutting down|in recovery mode)|is not currently accepting connections/i;

/**
 * SQLite's "database is locked": another process (`jindu import`, a backup) held the write lock
 * longer than the busy timeout, or committed after this transaction's snapshot began
 * (`SQLITE_BUSY_SNAPSHOT`, retried by inTransaction first). Busy, not broken: try again later.
 */
export const isSqliteBusy = (err: unknown): boolean =>
  typeof (err as { code?: unknown } | null)?.code === 'string' &&
  /^SQLITE_BUSY/.test((err as { code: string }).code);

/** True when `err` (or what it wraps) says the database is unreachable right now. */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (depth > 5 || err === null || typeof err !== 'object') return false;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && (SQLSTATES.test(e.code) || SOCKET_CODES.has(e.code)))
    return true;
  // The WAL could not be synced (src/db/group-commit.ts): writes cannot be acknowledged.
  if (e.code === 'WAL_SYNC_FAILED') return true;
  if (isSqliteBusy(e)) return true;
  if (typeof e.message === 'string' && MESSAGES.test(e.message)) return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailable(x, depth + 1)))
    return true;
  const original = (err as { originalError?: unknown }).originalError;
  return isDatabaseUnavailable(e.cause, depth + 1) || isDatabaseUnavailable(original, depth + 1);
}

/**
 * SQLite and PostgreSQL codes of a database that answers but cannot take writes: a read-only
 * file or file system, a full disk, an I/O error, a damaged file; PostgreSQL's full disk
 * (53100) and a read-only transaction (25006: a standby, default_transaction_read_only).
 */
const BROKEN_CODES = /^(SQLITE_(READONLY|FULL|IOERR|CORRUPT|NOTADB)(_\w+)?|53100|25006)$/;

/**
 * True when `err` (or what it wraps) says the database cannot take writes until an operator
 * acts. Answered as DATABASE_UNAVAILABLE (503), as an outage is, since the request was fine and
 * a retry may pass once it is fixed; unlike an outage it is logged as an error, since nothing
 * fixes it by waiting.
 */
export function isDatabaseBroken(err: unknown, depth = 0): boolean {
  if (depth > 5 || err === null || typeof err !== 'object') return false;
  const e = err as { code?: unknown; cause?: unknown; originalError?: unknown };
  if (typeof e.code === 'string' && BROKEN_CODES.test(e.code)) return true;
  return isDatabaseBroken(e.cause, depth + 1) || isDatabaseBroken(e.originalError, depth + 1);
}

/**
 * How a failure of the database is answered, the one decision of every edge (GraphQL errors, the
 * HTTP routes): 'outage' (503 DATABASE_UNAVAILABLE, not logged: it passes), 'broken' (503, and
 * logged as an error: an operator must act), null (not the database's: the caller's own answer).
 */
export function databaseFailure(err: unknown): 'outage' | 'broken' | null {
  if (isDatabaseBroken(err)) return 'broken';
  return isDatabaseUnavailable(err) ? 'outage' : null;
}
